"""POST /v1/evaluate and /v1/explain, the service's hot path: facts in (a person's `liability-facts/1`, or a case
file `liability-facts/2`), the determination out (`liability-determination/1`, or the case's
`liability-case-determination/1`), logged before it is answered.

`respond(state, scope, receive)` does the whole request on the ASGI scope, so that the FastAPI routes (which
declare the endpoints, and so their OpenAPI) and the bare ASGI endpoint in front of FastAPI (`EvaluateEndpoint`,
which `create_app` puts on the hot path) answer alike, byte for byte: the options, the media type, the body
(read within the timeout), the evaluation (on the event loop when small, else in the pool where the timeout can
stop waiting for it), the decision log (the row committed before the answer leaves; 503 when it cannot be),
and the answer, serialised once: the determination's JSON is the response's and the log's.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
from dataclasses import dataclass
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qsl

from .. import FactsError, LiabilityError, __version__
from ..allocation.casefile import CaseFile
from ..allocation.reading import from_document
from ..decisionlog import DecisionLogError, determination_row
from ..errors import did_you_mean
from ..facts.documents import parse_document
from ..i18n import msg, text
from .errors import BODY_SOURCE, ApiError, error_bytes, from_library, refuse_query, stamped
from .messages import pick_lang, say

__all__ = ["respond", "EvaluateEndpoint", "read_body", "body_kind", "parse_body", "JSON_TYPES", "YAML_TYPES",
           "INLINE_BYTES", "EVALUATE_PATHS"]

JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
INLINE_BYTES = 16 * 1024  # a body up to this size is evaluated on the event loop (new facts: ~1 ms a conduct)
EVALUATE_PATHS = {"/v1/evaluate": False, "/v1/explain": True}  # path -> always explains
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")
_TAKEN = {False: frozenset({"as_of", "lang", "explain", "person"}), True: frozenset({"as_of", "lang", "person"})}

Receive = Callable[[], Awaitable[dict[str, Any]]]


class ClientGone(Exception):
    """The client went away before its body arrived: nobody to answer."""


@dataclass
class Asked:
    """What a request asks for, read from its scope before the body."""

    as_of: _dt.date | None
    explain: bool
    person: str | None
    lang: str
    markdown: bool
    is_json: bool
    endpoint: str
    caller: str


def _headers(scope: dict[str, Any]) -> dict[bytes, bytes]:
    """The first value of each header (as Starlette's Headers.get)."""
    found: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name not in found:
            found[name] = value
    return found


def _options(query: dict[str, str], explain_allowed: bool) -> tuple[_dt.date | None, str | None, bool, str | None]:
    """as_of, lang, explain and person; every invalid value at once, 422 in the error shape."""
    problems: list[tuple[str, str, Any, list[str] | None]] = []
    as_of = lang = person = None
    explain = False
    if "as_of" in query:
        try:
            as_of = _dt.date.fromisoformat(query["as_of"])
        except ValueError:
            problems.append(("as_of", query["as_of"], say("not_a_date"), None))
    if "lang" in query:
        lang = query["lang"]
        if lang not in ("zh", "en"):
            problems.append(("lang", lang, say("unknown_lang"), ["zh", "en"]))
    if explain_allowed and "explain" in query:
        value = query["explain"].lower()
        if value in _TRUE:
            explain = True
        elif value not in _FALSE:
            problems.append(("explain", query["explain"], say("not_boolean"), ["true", "false"]))
    if "person" in query:
        person = query["person"]
        if explain_allowed and not explain:  # it chose nothing: the whole case was answered, `person=nobody` too
            problems.append(("person", person, msg("input_hunt.person_needs_explain"), None))
    if problems:
        out = []
        for field, value, detail, allowed in problems:
            message = say("query", field=field, detail=detail)
            out.append({"message": str(message), "message_zh": message.zh, "field": field, "value": value,
                        **({"allowed": allowed} if allowed else {})})
        raise ApiError(422, "request", out)
    return as_of, lang, explain, person


def body_kind(content_type: str) -> bool:
    """Whether a body of this media type is JSON (else YAML); 415 for another media type."""
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in JSON_TYPES or ctype.endswith("+json"):
        return True
    if ctype in YAML_TYPES:
        return False
    raise ApiError.message(415, "media_type", "media_type", given=ctype or "(none)", field="Content-Type",
                           value=ctype or None, allowed=[*JSON_TYPES, *YAML_TYPES])


async def read_body(receive: Receive, timeout: float, empty: Callable[[], ApiError] | None = None) -> bytes:
    """The whole body, within `timeout` seconds (504 when over); 422 when empty (`empty()`'s, else "send the
    facts")."""
    chunks = []
    try:
        async with asyncio.timeout(timeout):  # no task per request, unlike wait_for
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ClientGone()
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
    except TimeoutError:
        raise ApiError.message(504, "timeout", "timeout", seconds=timeout) from None
    raw = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if not raw.strip():
        raise empty() if empty is not None else ApiError.message(422, "facts", "empty_body")
    return raw


def parse_body(raw: bytes, is_json: bool) -> Any:
    """A person's Facts (liability-facts/1) or a CaseFile (liability-facts/2), by the body's `schema`, as the
    command line reads a file (`allocation.casefile.load_any`)."""
    doc = parse_document(raw, BODY_SOURCE, FactsError, json_hint=is_json)
    return from_document(doc)


def asked(state: Any, scope: dict[str, Any], explain_path: bool) -> Asked:
    query: dict[str, str] = {}
    if scope["query_string"]:
        pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        query = dict(pairs)
        taken = _TAKEN[explain_path]
        if len(query) != len(pairs) or not query.keys() <= taken:  # an unknown or a repeated parameter: 422
            refuse_query(pairs, taken)
    as_of, lang, explain, person = _options(query, not explain_path)
    headers = _headers(scope)
    is_json = body_kind(headers.get(b"content-type", b"").decode("latin-1"))
    accept = headers.get(b"accept", b"").decode("latin-1")
    language = pick_lang(lang, headers.get(b"accept-language", b"").decode("latin-1") or None, state.config.lang)
    explain = explain or explain_path
    return Asked(as_of=as_of, explain=explain, person=person if explain else None, lang=language,
                 markdown=accept.split(",")[0].strip().lower().startswith("text/markdown"), is_json=is_json,
                 endpoint=scope["path"], caller=scope["state"]["caller"])


def determine(state: Any, ask: Asked, raw: bytes) -> tuple[Any, Any, bytes]:
    """(facts, determination, its JSON as UTF-8 bytes): the CPU part of a request. The JSON is
    `det.model_dump_json()`'s, taken as pydantic's serializer makes it (bytes), not decoded to be encoded again."""
    facts = parse_body(raw, ask.is_json)
    engine = state.engine
    if isinstance(facts, CaseFile):
        if ask.explain:
            from ..allocation.evaluate import explain_case

            det = explain_case(engine, facts, as_of=ask.as_of, person=_person(facts, ask.person))
        else:
            det = engine.evaluate_case(facts, as_of=ask.as_of)
    else:
        if ask.person is not None:
            raise ApiError.message(422, "request", "person_needs_case", field="person", value=ask.person)
        det = engine.explain(facts, as_of=ask.as_of) if ask.explain else engine.evaluate(facts, as_of=ask.as_of)
    return facts, det, det.__pydantic_serializer__.to_json(det)


def _person(case: Any, person: str | None) -> str | None:
    ids = [p.id for p in case.persons]
    if person is not None and person not in ids:
        raise ApiError.message(422, "request", "no_person", field="person", value=person, allowed=ids,
                               suggestion=did_you_mean(person, ids))
    return person


async def _logged(state: Any, ask: Asked, facts: Any, det: Any, det_json: bytes) -> str | None:
    """The decision's id once its row is committed (None without a log); 503 when it cannot be written."""
    if state.writer is None:
        return None
    row = determination_row(facts, det, rulebook_digest=state.digest, engine_version=__version__, caller=ask.caller,
                            channel="http", endpoint=ask.endpoint, determination_json=det_json)
    try:
        await state.writer.record(row)
    except DecisionLogError as exc:
        raise ApiError.message(503, "unavailable", "log_unavailable", detail=exc.problems[0].message) from None
    return str(row[0])


def _markdown(state: Any, ask: Asked, facts: Any, det: Any, decision_id: str | None) -> bytes:
    lang = ask.lang
    if getattr(det, "persons", None) is not None:
        from ..allocation.render import case_markdown

        report = case_markdown(state.engine.rulebook, det, lang, facts)
    else:
        from ..render import markdown_report

        report = markdown_report(state.engine.rulebook, det, lang, facts if ask.explain else None)
    stamp = (f"\n---\n{text('service.stamp_engine', lang)} {__version__} · {text('service.stamp_rulebook', lang)} "
             f"{state.digest}" + (f" · {text('service.stamp_decision', lang)} {decision_id}" if decision_id else "")
             + "\n")
    return (report + stamp).encode("utf-8")


async def respond(state: Any, scope: dict[str, Any], receive: Receive) -> tuple[bytes, str, str | None]:
    """(body, media type, decision id) of a POST to /v1/evaluate or /v1/explain; raises ApiError or
    LiabilityError for an answer in the error shape."""
    ask = asked(state, scope, EVALUATE_PATHS[scope["path"]])
    raw = await read_body(receive, state.config.request_timeout)
    # A small evaluation runs on the event loop: handing it to a thread costs more than it does (the GIL's switch
    # interval, ~2 ms a request under load). A large body, or explain (which re-evaluates variations), goes to
    # the pool, where the request timeout can stop waiting for it.
    if ask.explain or len(raw) > INLINE_BYTES:
        facts, det, det_json = await state.run(lambda: determine(state, ask, raw))
    else:
        facts, det, det_json = determine(state, ask, raw)
    decision_id = await _logged(state, ask, facts, det, det_json)
    if ask.markdown:
        return _markdown(state, ask, facts, det, decision_id), "text/markdown; charset=utf-8", decision_id
    return stamped(det_json, state.info_with(decision_id)), \
        "application/json", decision_id


class EvaluateEndpoint:
    """The bare ASGI endpoint of POST /v1/evaluate and /v1/explain, in front of FastAPI (whose routing, dependency
    solving and response classes cost more per request than the evaluation). Behind the service's front
    (stamp, limits, token, access log), as every route; answers exactly as the FastAPI routes do."""

    def __init__(self, state: Any):
        self.state = state

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Callable[..., Awaitable[None]]) -> None:
        try:
            body, media, decision_id = await respond(self.state, scope, receive)
        except ClientGone:
            return
        except (ApiError, LiabilityError) as exc:
            err = exc if isinstance(exc, ApiError) else from_library(exc)
            payload = error_bytes(err.status, err.kind, err.problems, self.state.info_json, err.source)
            headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in err.headers.items()]
            await _send(send, err.status, headers, payload, b"application/json")
            return
        headers = [(b"x-decision-id", decision_id.encode())] if decision_id else []
        await _send(send, 200, headers, body, media.encode())


async def _send(send: Callable[..., Awaitable[None]], status: int, headers: list[tuple[bytes, bytes]], body: bytes,
                media: bytes) -> None:
    """As Starlette's Response sends it: the given headers, then content-length and content-type."""
    headers.append((b"content-length", str(len(body)).encode()))
    headers.append((b"content-type", media))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
