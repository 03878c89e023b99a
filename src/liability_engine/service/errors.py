"""Every error the service answers, in one shape: `liability-error/1`, the record the command line writes for an
input it could not evaluate (`liability_engine.error_record`, one model for both), with the HTTP status, a title
in zh and en, and the service's stamp. File-less: the problems keep their field path, line and column in the
body, allowed values and did-you-mean, and lose the file path. Never a stack trace: an unexpected exception is
logged server-side and answered 500.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from ..error_record import ERROR_KINDS, ErrorRecord, ProblemRecord
from ..errors import LiabilityError, Problem
from .messages import say

__all__ = ["ApiError", "stamped", "error_response", "error_bytes", "install_handlers", "problems_of", "from_library",
           "internal_error", "refuse_query"]

log = logging.getLogger("liability.service")

_STATUS_KIND = {400: "request", 401: "auth", 403: "auth", 404: "not_found", 405: "method", 413: "too_large",
                415: "media_type", 406: "request", 422: "request", 500: "internal", 503: "unavailable",
                504: "timeout"}
_LIBRARY_KIND = {"facts": "facts", "training": "training", "rules": "rules"}
BODY_SOURCE = "request body"


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
        text = say(key, field=field, value=value, **values)
        problem: dict[str, Any] = {"message": str(text), "message_zh": text.zh}
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


def from_library(exc: LiabilityError) -> ApiError:
    """A library error met while answering (invalid facts, answer sheet, rulebook): 422."""
    return ApiError(422, _LIBRARY_KIND.get(exc.kind, "request"), problems_of(exc.problems), source=BODY_SOURCE)


def internal_error() -> ApiError:
    return ApiError.message(500, "internal", "internal")


def error_bytes(status: int, kind: str, problems: list[dict[str, Any]], info_json: bytes,
                source: str | None = None) -> bytes:
    """The liability-error/1 record (the one model of `error_record`), with the service's stamp (already JSON)."""
    title = say(f"title.{kind if kind in ERROR_KINDS else 'request'}")
    record = ErrorRecord(status=status, error=kind, title=str(title), title_zh=title.zh, source=source,  # type: ignore[arg-type]
                         problems=[ProblemRecord(**p) for p in problems])
    return stamped(record.model_dump_json(by_alias=True, exclude_none=True, fallback=str), info_json)


def stamped(json_object: str | bytes, info_json: bytes) -> bytes:
    """A JSON object (text, or its UTF-8 bytes) with the service's stamp (already JSON) added as its last member,
    `service`. Bytes are spliced as they are: a determination's JSON is not decoded and encoded again."""
    body = json_object if isinstance(json_object, bytes) else json_object.encode("utf-8")
    head = body[:-1].rstrip()
    return head + (b',"service":' if head != b"{" else b'"service":') + info_json + b"}"


def error_response(request: Request | None, err: ApiError) -> Response:
    state = request.app.state.service if request is not None else None
    info = state.info_json if state is not None else b"{}"
    body = error_bytes(err.status, err.kind, err.problems, info, err.source)
    return Response(body, status_code=err.status, media_type="application/json", headers=err.headers or None)


# pydantic's complaints about a query or path parameter, in the catalogue's words (key, the context values it needs):
# its own sentences are English only ("Input should be a valid integer"), and were the message_zh too
_PARAMETER_WORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "enum": ("input_hunt.parameter_enum", ("expected",)), "literal_error": ("input_hunt.parameter_enum", ("expected",)),
    "int_parsing": ("input_hunt.parameter_integer", ()), "int_type": ("input_hunt.parameter_integer", ()),
    "int_from_float": ("input_hunt.parameter_integer", ()),
    "greater_than_equal": ("input_hunt.parameter_at_least", ("ge",)),
    "less_than_equal": ("input_hunt.parameter_at_most", ("le",)),
    "string_too_long": ("input_hunt.parameter_too_long", ("max_length",)),
    "missing": ("input_hunt.parameter_missing", ()),
}


def _parameter_words(error: dict[str, Any]) -> Any:
    words = _PARAMETER_WORDS.get(error.get("type", ""))
    if words is None:
        return error.get("msg", "")
    from ..i18n import msg

    ctx = {**(error.get("ctx") or {})}
    if "expected" in ctx:
        ctx["expected"] = ", ".join(_allowed(ctx))
    return msg(words[0], **{name: ctx.get(name, "?") for name in words[1]})


def _allowed(ctx: dict[str, Any]) -> list[str]:
    """pydantic's "'zh' or 'en'" as a list."""
    return [s.strip().strip("'") for s in str(ctx["expected"]).replace(" or ", ",").split(",") if s.strip()]


def refuse_query(pairs: list[tuple[str, str]], taken: Iterable[str]) -> None:
    """422 for a query parameter the endpoint does not take (`?asof=2020-01-01` was ignored: the case was judged
    as of today, without a word) or one given more than once (`?lang=zh&lang=en`: the last one won, unsaid)."""
    from ..errors import did_you_mean
    from ..i18n import msg

    allowed = sorted(taken)
    counts: dict[str, int] = {}
    for name, _ in pairs:
        counts[name] = counts.get(name, 0) + 1
    problems = []
    for name, count in counts.items():
        if name not in allowed:
            detail = msg("input_hunt.parameter_unknown", allowed=", ".join(allowed) or "—")
            extra: dict[str, Any] = {"allowed": allowed}
            suggestion = did_you_mean(name, allowed)
            if suggestion:
                extra["suggestion"] = suggestion
        elif count > 1:
            detail, extra = msg("input_hunt.parameter_repeated", count=count), {}
        else:
            continue
        text = say("query", field=name, detail=detail)
        problems.append({"message": str(text), "message_zh": text.zh, "field": name, **extra})
    if problems:
        raise ApiError(422, "request", problems)


def _invalid_request(exc: RequestValidationError) -> ApiError:
    problems = []
    for e in exc.errors():
        loc = [str(x) for x in e.get("loc", ())]
        field = ".".join(loc[1:]) if len(loc) > 1 else ".".join(loc)
        text = say("query", field=field, detail=_parameter_words(e))
        problem: dict[str, Any] = {"message": str(text), "message_zh": text.zh, "field": field}
        if "input" in e and isinstance(e["input"], (str, int, float, bool)):
            problem["value"] = e["input"]
        ctx = e.get("ctx") or {}
        if "expected" in ctx:
            problem["allowed"] = _allowed(ctx)
        problems.append(problem)
    return ApiError(422, "request", problems)


def _http_error(request: Request, exc: StarletteHTTPException) -> ApiError:
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
        words = _form_words(detail) if status == 400 else None
        if words is not None:
            err = ApiError(status, kind, [{"message": str(words), "message_zh": words.zh}])
        else:
            err = ApiError(status, kind, [{"message": detail, "message_zh": detail}])
    err.headers = headers
    return err


_FORM_LIMIT = re.compile(r"Too many (fields|files)\. Maximum number of \w+ is (\d+)|(?:Field|Part) exceeded maximum size "
                         r"of (\d+)KB")


def _form_words(detail: str) -> Any:
    """Starlette's refusals of a form (the web page's posts), English only, in the catalogue's words; None for
    another detail."""
    from ..i18n import msg

    found = _FORM_LIMIT.match(detail)
    if found and found.group(1) == "fields":
        return msg("input_hunt.form_too_many_fields", limit=found.group(2))
    if found and found.group(1) == "files":
        return msg("input_hunt.form_too_many_files", limit=found.group(2))
    if found:
        return msg("input_hunt.form_part_too_big", kib=found.group(3))
    if detail.startswith(("Missing boundary in multipart", "Invalid multipart data")):
        return msg("input_hunt.form_unreadable")
    return None


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc)

    @app.exception_handler(LiabilityError)
    async def _liability_error(request: Request, exc: LiabilityError) -> Response:
        return error_response(request, from_library(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, _invalid_request(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, _http_error(request, exc))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        # The traceback goes to the server's log, never to the caller (it could quote the facts).
        log.error("internal error on %s %s: %s", request.method, request.url.path, type(exc).__name__,
                  exc_info=exc)
        return error_response(request, internal_error())
