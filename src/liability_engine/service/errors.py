"""Every error the service answers, in one shape: `liability-error/1` (the record `liability evaluate --jsonl`
writes for a bad line), with the HTTP status, a title in zh and en, and the service's stamp. File-less:
the problems keep their field path, line and column in the body, allowed values and did-you-mean, and
lose the file path. Never a stack trace: an unexpected exception is logged server-side and answered 500.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from ..errors import LiabilityError, Problem
from .messages import both, pick_lang, say

__all__ = ["ApiError", "error_response", "error_bytes", "install_handlers", "problems_of"]

log = logging.getLogger("liability.service")

_STATUS_KIND = {400: "request", 401: "auth", 403: "auth", 404: "not_found", 405: "method", 413: "too_large",
                415: "media_type", 406: "request", 422: "request", 500: "internal", 503: "unavailable",
                504: "timeout"}


class ApiError(Exception):
    """An error answered as liability-error/1."""

    def __init__(self, status: int, kind: str, problems: list[dict[str, Any]], *, source: str | None = None,
                 headers: dict[str, str] | None = None):
        self.status, self.kind, self.problems, self.source = status, kind, problems, source
        self.headers = headers or {}
        super().__init__(f"{status} {kind}")

    @classmethod
    def message(cls, status: int, kind: str, key: str, *, field: str | None = None, value: Any = None,
                allowed: list[Any] | None = None, suggestion: str | None = None,
                headers: dict[str, str] | None = None, **values: Any) -> "ApiError":
        en, zh = both(key, field=field, value=value, **values)
        problem: dict[str, Any] = {"message": en, "message_zh": zh}
        for name, v in (("field", field), ("value", value), ("allowed", allowed), ("suggestion", suggestion)):
            if v is not None:
                problem[name] = v
        return cls(status, kind, [problem], headers=headers)


def problems_of(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """The library's problems without their file path (a request body has none)."""
    out = []
    for p in problems:
        data = p.as_dict()
        data.pop("path", None)
        out.append(data)
    return out


def error_bytes(status: int, kind: str, problems: list[dict[str, Any]], info_json: bytes, lang: str = "zh",
                source: str | None = None) -> bytes:
    import json

    en, zh = both(f"title.{kind}") if f"title.{kind}" in _titles() else both("title.request")
    record = {"schema": "liability-error/1", "status": status, "error": kind, "title": en, "title_zh": zh}
    if source is not None:
        record["source"] = source
    record["problems"] = problems
    text = json.dumps(record, ensure_ascii=False, default=str, separators=(",", ":"))
    return text[:-1].encode("utf-8") + b',"service":' + info_json + b"}"


def _titles() -> set[str]:
    from .messages import MESSAGES

    return {k for k in MESSAGES if k.startswith("title.")}


def error_response(request: Request | None, status: int, kind: str, problems: list[dict[str, Any]],
                   source: str | None = None, headers: dict[str, str] | None = None) -> Response:
    state = request.app.state.service if request is not None else None
    info = state.info_json if state is not None else b"{}"
    lang = _lang(request, state)
    body = error_bytes(status, kind, problems, info, lang, source)
    return Response(body, status_code=status, media_type="application/json", headers=headers,
                    )


def _lang(request: Request | None, state: Any) -> str:
    if request is None:
        return "zh"
    return pick_lang(request.query_params.get("lang"), request.headers.get("accept-language"),
                     state.config.lang if state is not None else "zh")


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.kind, exc.problems, exc.source, exc.headers)

    @app.exception_handler(LiabilityError)
    async def _liability_error(request: Request, exc: LiabilityError) -> Response:
        kind = {"facts": "facts", "training": "training", "rules": "rules"}.get(exc.kind, "request")
        return error_response(request, 422, kind, problems_of(exc.problems), "request body")

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for e in exc.errors():
            loc = [str(x) for x in e.get("loc", ())]
            field = ".".join(loc[1:]) if len(loc) > 1 else ".".join(loc)
            en = say("query", "en", field=field, detail=e.get("msg", ""))
            zh = say("query", "zh", field=field, detail=e.get("msg", ""))
            problem: dict[str, Any] = {"message": en, "message_zh": zh, "field": field}
            if "input" in e and isinstance(e["input"], (str, int, float, bool)):
                problem["value"] = e["input"]
            ctx = e.get("ctx") or {}
            if "expected" in ctx:
                problem["allowed"] = [s.strip().strip("'") for s in str(ctx["expected"]).replace(" or ", ",").split(",")
                                      if s.strip()]
            problems.append(problem)
        return error_response(request, 422, "request", problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        kind = _STATUS_KIND.get(status, "request")
        path = request.url.path
        headers = dict(exc.headers or {})
        if status == 404:
            err = ApiError.message(404, kind, "not_found", path=path)
        elif status == 405:
            allowed = headers.get("Allow") or headers.get("allow") or ""
            err = ApiError.message(405, kind, "method", path=path, method=request.method, methods=allowed,
                                   allowed=[m.strip() for m in allowed.split(",") if m.strip()] or None)
        else:
            detail = str(exc.detail)
            err = ApiError(status, kind, [{"message": detail, "message_zh": detail}])
        return error_response(request, status, kind, err.problems, headers=headers)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        # The traceback goes to the server's log, never to the caller (it could quote the facts).
        log.error("internal error on %s %s: %s", request.method, request.url.path, type(exc).__name__,
                  exc_info=exc)
        err = ApiError.message(500, "internal", "internal")
        return error_response(request, 500, "internal", err.problems)
