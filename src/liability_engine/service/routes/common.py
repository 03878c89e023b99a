"""What the routes share: the error responses they document, reading a body, answering with the stamp."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from fastapi import Query, Request
from starlette.responses import Response

from ...errors import LiabilityError, did_you_mean
from ..errors import BODY_SOURCE, ApiError, refuse_query, stamped
from ..evaluation import body_kind, read_body
from ..messages import pick_lang
from ..models import ErrorRecord

__all__ = ["ERRORS", "BODY_ERRORS", "NOT_FOUND", "ERROR", "Lang", "LangQuery", "state_of", "answer", "body",
           "document", "language", "known_version", "plain_query"]

ERROR = {"model": ErrorRecord, "description": "liability-error/1"}
ERRORS: dict[int | str, dict[str, Any]] = {code: dict(ERROR) for code in (401, 422, 500, 503, 504)}
BODY_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, 413: dict(ERROR), 415: dict(ERROR)}
NOT_FOUND: dict[int | str, dict[str, Any]] = {**ERRORS, 404: dict(ERROR)}


class Lang(str, Enum):
    zh = "zh"
    en = "en"


LangQuery = Query(None, description="zh or en: the language of messages and labels")


def state_of(request: Request) -> Any:
    return request.app.state.service


def answer(model_data: dict[str, Any], state: Any, status: int = 200) -> Response:
    """`model_data` as JSON with the service's stamp (`service`) added."""
    text = json.dumps(model_data, ensure_ascii=False, default=str, separators=(",", ":"))
    return Response(stamped(text, state.info_json), status_code=status, media_type="application/json")


async def body(request: Request, *, sheet: bool = False) -> tuple[bytes, bool]:
    """The body and whether it is JSON (else YAML); 415 for another media type, 422 when empty, 504 when it
    does not arrive within the timeout. `sheet`: the body is an answer sheet (an empty one is not "send the facts")."""
    is_json = body_kind(request.headers.get("content-type", ""))
    return await read_body(request.receive, state_of(request).config.request_timeout,
                           _empty_sheet if sheet else None), is_json


def _empty_sheet() -> ApiError:
    from ...i18n import msg

    words = msg("input_hunt.empty_sheet")
    return ApiError(422, "training", [{"message": str(words), "message_zh": words.zh}])


def document(raw: bytes, is_json: bool, error: type[LiabilityError]) -> Any:
    from ...facts import parse_document

    return parse_document(raw, BODY_SOURCE, error, json_hint=is_json)


async def plain_query(request: Request) -> None:
    """Every /v1 route's dependency: its query names only the parameters it takes, each once (errors.refuse_query)."""
    pairs = request.query_params.multi_items()
    if not pairs:
        return
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    # declared as the function's parameters, or (evaluate, explain: read from the scope) in the OpenAPI extra
    extra = (getattr(route, "openapi_extra", None) or {}).get("parameters", [])
    refuse_query(pairs, [f.alias for f in dependant.query_params] + [p["name"] for p in extra if p.get("in") == "query"])


def language(request: Request, lang: Lang | None) -> str:
    return pick_lang(lang.value if lang else None, request.headers.get("accept-language"),
                     state_of(request).config.lang)


def known_version(state: Any, value: str, field: str) -> str:
    ids = [v.id for v in state.engine.rulebook.versions]
    if value not in ids:
        raise ApiError.message(404, "not_found", "no_version", value=value, field=field, allowed=ids,
                               suggestion=did_you_mean(value, ids))
    return value
