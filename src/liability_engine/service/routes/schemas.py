"""GET /v1/schemas and /v1/schemas/{kind}: the JSON Schemas of the contracts (as `liability schema KIND`)."""

from __future__ import annotations

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from ...errors import did_you_mean
from ..errors import ApiError
from ..models import SchemaList, SchemaResponse
from .common import NOT_FOUND, answer, state_of

__all__ = ["router"]

router = APIRouter()


def _kinds() -> list[str]:
    from ...authoring import SCHEMA_KINDS

    return list(SCHEMA_KINDS)


@router.get("/schemas", response_model=SchemaList, summary="The contracts that have a JSON Schema")
async def schemas(request: Request) -> Response:
    return answer({"schemas": _kinds()}, state_of(request))


@router.get("/schemas/{kind}", response_model=SchemaResponse, responses=NOT_FOUND,
            summary="The JSON Schema of one contract (as `liability schema KIND`)")
async def schema(request: Request, kind: str = Path(..., description="facts, determination, rules, …")) -> Response:
    from ...authoring import json_schema

    kinds = _kinds()
    if kind not in kinds:
        raise ApiError.message(404, "not_found", "no_schema", value=kind, field="kind", allowed=kinds,
                               suggestion=did_you_mean(kind, kinds))
    return answer({"kind": kind, "schema": json_schema(kind)}, state_of(request))
