"""The endpoints, one module per resource: `health` (unauthenticated: /healthz and the OpenAPI document) and
`api` (under /v1, bearer token required unless the server runs with --insecure-no-auth): evaluate and explain,
versions, the rulebook, schemas, training."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from starlette.responses import Response

from ..messages import say
from ..models import Health
from . import evaluate, rulebook, schemas, training, versions
from .common import ERRORS, answer, plain_query, state_of

__all__ = ["health", "api", "openapi_document"]



def _security_schemes() -> dict[str, Any]:
    token = say("openapi_token")
    return {"bearer": {"type": "http", "scheme": "bearer", "description": f"{token} ({token.zh})"}}

health = APIRouter(tags=["service"])
api = APIRouter(responses=ERRORS, dependencies=[Depends(plain_query)])
for _module in (evaluate, versions, rulebook, schemas, training):
    api.include_router(_module.router)


@health.get("/healthz", response_model=Health, summary="Liveness: the engine is loaded (no token needed)")
async def healthz(request: Request) -> Response:
    return answer({"status": "ok"}, state_of(request))


@health.get("/spec", include_in_schema=False)
async def spec(request: Request) -> Response:
    """The OpenAPI 3.1 document (as OpenFisca serves it at /spec); also at /v1/openapi.json."""
    return Response(json.dumps(request.app.openapi(), ensure_ascii=False).encode(), media_type="application/json")


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """OpenAPI 3.1 from the routes' models, with the request contracts (liability-facts/1 and the case file
    liability-facts/2) as the request bodies."""
    if app.openapi_schema:
        return app.openapi_schema
    from pydantic.json_schema import models_json_schema

    from ... import Facts
    from ...allocation.casefile import CaseFile

    doc = get_openapi(title=app.title, version=app.version, summary=app.summary, description=app.description,
                      routes=app.routes)
    _, defs = models_json_schema([(Facts, "validation"), (CaseFile, "validation")], by_alias=True,
                                 ref_template="#/components/schemas/{model}")
    doc.setdefault("components", {})["securitySchemes"] = _security_schemes()
    for path, methods in doc["paths"].items():
        if path.startswith("/v1/"):
            for operation in methods.values():
                operation["security"] = [{"bearer": []}]
    components = doc["components"].setdefault("schemas", {})
    for name, schema in defs.get("$defs", {}).items():
        if name in components and components[name] != schema:
            raise RuntimeError(f"OpenAPI: two schemas named {name}")  # pragma: no cover - caught by the tests
        components[name] = schema
    # Over HTTP the body's `schema` is what tells a case file from a person's facts (the discriminator): a case
    # file sent without it is read as liability-facts/1, so the request contract requires it.
    case = components["CaseFile"]
    case["required"] = ["schema", *[r for r in case.get("required", []) if r != "schema"]]
    app.openapi_schema = doc
    return doc
