"""The endpoints: `health` (unauthenticated: /healthz and the OpenAPI document) and `api` (under /v1,
bearer token required unless the server runs with --insecure-no-auth)."""

from __future__ import annotations

import asyncio
import datetime as _dt
import json
from enum import Enum
from typing import Any, Optional

from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.openapi.utils import get_openapi
from starlette.responses import Response

from .. import FactsError, LiabilityError, __version__
from ..errors import did_you_mean
from .auth import check_token
from .errors import ApiError
from .messages import pick_lang, say
from .models import (DecisionTableResponse, ErrorRecord, EvaluateResponse, ExercisesResponse, GradeResponse, Health,
                     RulesResponse, SchemaList, SchemaResponse, VersionDiffResponse, VersionsResponse)

__all__ = ["health", "api", "openapi_document"]

JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
BODY_NAME = "request body"
INLINE_BYTES = 16 * 1024  # a body up to this size is evaluated on the event loop (a few conducts: ~1 ms)

_ERROR = {"model": ErrorRecord, "description": "liability-error/1"}
ERRORS: dict[int | str, dict[str, Any]] = {code: dict(_ERROR) for code in (401, 422, 500, 503, 504)}
BODY_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, 413: dict(_ERROR), 415: dict(_ERROR)}
NOT_FOUND: dict[int | str, dict[str, Any]] = {**ERRORS, 404: dict(_ERROR)}


class Lang(str, Enum):
    zh = "zh"
    en = "en"


SECURITY_SCHEMES = {"bearer": {"type": "http", "scheme": "bearer",
                               "description": "A token from the server's token file or LIABILITY_TOKENS (令牌)"}}


def authorise(state: Any, header: str | None) -> str:
    """The caller's name (the token's name) for an Authorization header; ApiError 401 without a valid token.
    Called by the service middleware for every /v1 request but the OpenAPI document."""
    if not state.config.auth:
        return "anonymous"
    scheme, _, credentials = (header or "").partition(" ")
    if not header:
        raise ApiError.message(401, "auth", "auth.missing", headers={"WWW-Authenticate": 'Bearer realm="liability"'})
    found = check_token(credentials.strip(), state.config.tokens) if scheme.lower() == "bearer" else None
    if found is None:
        raise ApiError.message(401, "auth", "auth.bad",
                               headers={"WWW-Authenticate": 'Bearer realm="liability", error="invalid_token"'})
    return found


health = APIRouter(tags=["service"])
api = APIRouter(responses=ERRORS)


def _state(request: Request) -> Any:
    return request.app.state.service


def _json(model_data: dict[str, Any], state: Any, status: int = 200) -> Response:
    text = json.dumps(model_data, ensure_ascii=False, default=str, separators=(",", ":"))
    body = (text[:-1] + ',"service":').encode() + state.info_json + b"}" if text != "{}" else \
        b'{"service":' + state.info_json + b"}"
    return Response(body, status_code=status, media_type="application/json")


# --- health and the API's description ------------------------------------------------------------


@health.get("/healthz", response_model=Health, summary="Liveness: the engine is loaded (no token needed)")
async def healthz(request: Request) -> Response:
    return _json({"status": "ok"}, _state(request))


@health.get("/spec", include_in_schema=False)
async def spec(request: Request) -> Response:
    """The OpenAPI 3.1 document (as OpenFisca serves it at /spec); also at /v1/openapi.json."""
    return Response(json.dumps(request.app.openapi(), ensure_ascii=False).encode(), media_type="application/json")


# --- reading request bodies ------------------------------------------------------------------------


async def read_body(request: Request) -> tuple[bytes, bool]:
    """The body and whether it is JSON (else YAML); 415 for another media type, 422 when empty."""
    state = _state(request)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype in JSON_TYPES or ctype.endswith("+json"):
        is_json = True
    elif ctype in YAML_TYPES:
        is_json = False
    else:
        raise ApiError.message(415, "media_type", "media_type", given=ctype or "(none)", field="Content-Type",
                               value=ctype or None, allowed=[*JSON_TYPES, *YAML_TYPES])
    try:
        async with asyncio.timeout(state.config.request_timeout):  # no task per request, unlike wait_for
            raw = await request.body()
    except TimeoutError:
        raise ApiError.message(504, "timeout", "timeout", seconds=state.config.request_timeout) from None
    if not raw.strip():
        raise ApiError.message(422, "facts", "empty_body")
    return raw, is_json


def _document(raw: bytes, is_json: bool, error: type[LiabilityError]) -> Any:
    from ..facts import parse_document

    return parse_document(raw, BODY_NAME, error, json_hint=is_json)


def parse_body_facts(raw: bytes, is_json: bool) -> Any:
    from ..facts import facts_from_data

    doc = _document(raw, is_json, FactsError)
    return facts_from_data(doc.data, source=doc)


FACTS_BODY = {"requestBody": {"required": True, "description": "liability-facts/1, as JSON or YAML", "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/Facts"}},
    "application/yaml": {"schema": {"$ref": "#/components/schemas/Facts"}}}}}
SHEET_ENTRY = {"type": "object", "additionalProperties": False, "properties": {
    "finding": {"type": ["string", "null"]}, "article": {"type": ["string", "integer", "null"]},
    "paragraph": {"type": ["string", "integer", "null"]}, "item": {"type": ["string", "integer", "null"]},
    "liable": {"type": ["boolean", "string", "null"]}}}
SHEET_BODY = {"requestBody": {"required": True, "description": "An answer sheet: exercise id → answer", "content": {
    "application/json": {"schema": {"type": "object", "additionalProperties": SHEET_ENTRY, "minProperties": 1}},
    "application/yaml": {"schema": {"type": "object", "additionalProperties": SHEET_ENTRY, "minProperties": 1}}}}}


# --- evaluation -------------------------------------------------------------------------------------


async def _determine(request: Request, as_of: Optional[_dt.date], lang: Optional[Lang],
                     explain: bool) -> Response:
    from ..decisionlog import DecisionLogError

    state = _state(request)
    caller = request.state.caller  # set by the service middleware (`authorise`)
    raw, is_json = await read_body(request)
    markdown = request.headers.get("accept", "").split(",")[0].strip().lower().startswith("text/markdown")
    language = pick_lang(lang.value if lang else None, request.headers.get("accept-language"), state.config.lang)
    endpoint = request.scope["path"]

    def work() -> tuple[bytes, str | None, str]:
        facts = parse_body_facts(raw, is_json)
        engine = state.engine
        det = engine.explain(facts, as_of=as_of) if explain else engine.evaluate(facts, as_of=as_of)
        det_json = det.model_dump_json()
        decision_id = None
        if state.log is not None:
            try:
                decision_id = state.log.record_determination(
                    facts, det, rulebook_digest=state.digest, engine_version=__version__, caller=caller,
                    channel="http", endpoint=endpoint, determination_json=det_json)
            except DecisionLogError as exc:
                raise ApiError.message(503, "unavailable", "log_unavailable", detail=exc.problems[0].message) from None
        if markdown:
            from ..render import markdown_report

            report = markdown_report(engine.rulebook, det, language, facts if explain else None)
            stamp = (f"\n---\n{'引擎' if language == 'zh' else 'engine'} {__version__} · "
                     f"{'规则库' if language == 'zh' else 'rulebook'} {state.digest}"
                     + (f" · {'决定编号' if language == 'zh' else 'decision'} {decision_id}" if decision_id else "")
                     + "\n")
            return (report + stamp).encode("utf-8"), decision_id, "text/markdown; charset=utf-8"
        body = det_json[:-1].encode("utf-8") + b',"service":' + state.info_with(decision_id) + b"}"
        return body, decision_id, "application/json"

    # A small evaluation runs on the event loop: handing it to a thread costs more than it does (the GIL's
    # switch interval, ~2 ms a request under load). A large body, or explain (which re-evaluates variations),
    # goes to the pool, where the request timeout can stop waiting for it.
    if explain or len(raw) > INLINE_BYTES:
        body, decision_id, media = await state.run(work)
    else:
        body, decision_id, media = work()
    headers = {"X-Decision-Id": decision_id} if decision_id else None
    return Response(body, media_type=media, headers=headers)


def _options(request: Request, explain_allowed: bool) -> tuple[Optional[_dt.date], Optional[Lang], bool]:
    """as_of, lang and explain, read by hand: FastAPI's parameter machinery costs more than the evaluation
    (documented in EVALUATE_QUERY for OpenAPI). Invalid values are 422s in the same shape as elsewhere."""
    query = request.query_params
    problems = []
    as_of = lang = None
    explain = False
    if "as_of" in query:
        try:
            as_of = _dt.date.fromisoformat(query["as_of"])
        except ValueError:
            problems.append(("as_of", query["as_of"], "not a date: write it YYYY-MM-DD", "不是日期：请写作 YYYY-MM-DD",
                             None))
    if "lang" in query:
        try:
            lang = Lang(query["lang"])
        except ValueError:
            problems.append(("lang", query["lang"], "unknown language", "未知语言", ["zh", "en"]))
    if explain_allowed and "explain" in query:
        value = query["explain"].lower()
        if value in ("true", "1", "yes", "on"):
            explain = True
        elif value not in ("false", "0", "no", "off"):
            problems.append(("explain", query["explain"], "not a boolean", "不是布尔值", ["true", "false"]))
    if problems:
        raise ApiError(422, "request", [
            {"message": say("query", "en", field=f, detail=en), "message_zh": say("query", "zh", field=f, detail=zh),
             "field": f, "value": v, **({"allowed": allowed} if allowed else {})} for f, v, en, zh, allowed in problems])
    return as_of, lang, explain


_AS_OF = {"name": "as_of", "in": "query", "required": False, "description": "Evaluate as if on this date "
          "(YYYY-MM-DD); default today", "schema": {"type": "string", "format": "date"}}
_LANG = {"name": "lang", "in": "query", "required": False, "description": "zh or en: the language of a "
         "text/markdown report and of messages", "schema": {"type": "string", "enum": ["zh", "en"]}}
_EXPLAIN = {"name": "explain", "in": "query", "required": False, "description": "also compute what would change "
            "each finding", "schema": {"type": "boolean", "default": False}}
LangQuery = Query(None, description="zh or en: the language of messages and labels")


@api.post("/evaluate", response_model=EvaluateResponse, responses=BODY_ERRORS,
          openapi_extra={**FACTS_BODY, "parameters": [_AS_OF, _LANG, _EXPLAIN]},
          summary="Determine the judicial responsibility of each conduct (liability-determination/1)")
async def evaluate(request: Request) -> Response:
    """Facts as JSON (`application/json`) or YAML (`application/yaml`). `Accept: text/markdown` answers with the
    report in `lang`. Every determination served is recorded in the decision log (X-Decision-Id)."""
    return await _determine(request, *_options(request, True))


@api.post("/explain", response_model=EvaluateResponse, responses=BODY_ERRORS,
          openapi_extra={**FACTS_BODY, "parameters": [_AS_OF, _LANG]},
          summary="Evaluate and explain: why, why not each other finding, what would change it")
async def explain(request: Request) -> Response:
    as_of, lang, _ = _options(request, False)
    return await _determine(request, as_of, lang, True)


# --- versions -----------------------------------------------------------------------------------------


def version_rows(engine: Any, lang: str) -> list[dict[str, Any]]:
    rows = []
    for v in engine.rulebook.versions:
        by_conf = {c: sum(1 for r in v.rules if r.source_confidence == c) for c in ("confirmed", "moderate", "low")}
        rows.append({"version": v.id, "title": v.manifest.short.get(lang), "issuer": v.manifest.issuer,
                     "in_force_from": str(v.in_force_from),
                     "in_force_until": str(v.manifest.in_force_until) if v.manifest.in_force_until else None,
                     "source": v.manifest.source, "source_confidence": v.manifest.source_confidence,
                     "rules": len(v.rules), "rules_by_confidence": by_conf,
                     "temporal_article": bool(v.temporal_rules)})
    return rows


@api.get("/versions", response_model=VersionsResponse, summary="The encoded versions, dates, source confidence")
async def versions(request: Request, lang: Optional[Lang] = LangQuery) -> Response:
    state = _state(request)
    language = pick_lang(lang.value if lang else None, request.headers.get("accept-language"), state.config.lang)
    return _json({"versions": version_rows(state.engine, language)}, state)


def _version(state: Any, value: str, field: str) -> str:
    ids = [v.id for v in state.engine.rulebook.versions]
    if value not in ids:
        raise ApiError.message(404, "not_found", "no_version", value=value, field=field, allowed=ids,
                               suggestion=did_you_mean(value, ids))
    return value


@api.post("/versions/diff", response_model=VersionDiffResponse, responses={**BODY_ERRORS, 404: _ERROR},
          openapi_extra=FACTS_BODY, summary="Judge each conduct by OLD and by NEW alone: where they differ")
async def versions_diff(request: Request, old: str = Query(..., description="the older version, e.g. 2020"),
                        new: str = Query(..., description="the newer version, e.g. 2024")) -> Response:
    from ..authoring import compare_versions

    state = _state(request)
    _version(state, old, "old")
    _version(state, new, "new")
    raw, is_json = await read_body(request)

    def work() -> dict[str, Any]:
        facts = parse_body_facts(raw, is_json)
        rows = compare_versions(state.engine, facts, old, new, BODY_NAME)
        return {"old": old, "new": new, "conducts_compared": len(facts.conducts),
                "differences": [r.model_dump(mode="json") for r in rows]}

    return _json(await state.run(work), state)


# --- the rulebook as data -------------------------------------------------------------------------------


def _rule_data(rule: Any, row: dict[str, str]) -> dict[str, Any]:
    return {"id": rule.id, "version": rule.version, "article": rule.article, "paragraph": rule.paragraph,
            "item": rule.item, "cite": row["cite"], "text": row["text"], "layer": rule.layer, "finding": rule.finding,
            "liable": rule.liable, "acts": sorted(rule.acts) if rule.acts is not None else None,
            "conditions": row["conditions"], "defeats": list(rule.defeats), "precedence": row["precedence"],
            "warns_only": rule.warns_only, "interpretation": rule.interpretation,
            "interpretation_zh": rule.interpretation_zh, "source_confidence": rule.source_confidence,
            "file": rule.file.rsplit("rules/", 1)[-1] if rule.file else None, "line": rule.line}


def _rules(state: Any, version: str | None, article: int | None, lang: str) -> list[dict[str, Any]]:
    from ..render.rules import decision_rows

    out = []
    for v in state.engine.rulebook.versions:
        if version is not None and v.id != version:
            continue
        rules = [r for r in v.rules if article is None or r.article == article]
        out += [_rule_data(r, row) for r, row in zip(rules, decision_rows(state.engine.rulebook, v, article, lang))]
    return out


@api.get("/rules", response_model=RulesResponse, responses=NOT_FOUND, summary="Every rule, as data")
async def rules(request: Request, version: Optional[str] = Query(None, description="only this version"),
                article: Optional[int] = Query(None, ge=1, le=999, description="only this article"),
                lang: Optional[Lang] = LangQuery) -> Response:
    state = _state(request)
    if version is not None:
        _version(state, version, "version")
    language = pick_lang(lang.value if lang else None, request.headers.get("accept-language"), state.config.lang)
    return _json({"rules": _rules(state, version, article, language)}, state)


@api.get("/rules/{version}/articles/{article}", response_model=DecisionTableResponse, responses=NOT_FOUND,
         summary="The decision table of one article: item, text, conditions, finding, precedence")
async def decision_table(request: Request, version: str = Path(..., description="e.g. 2024"),
                         article: int = Path(..., ge=1, le=999), lang: Optional[Lang] = LangQuery) -> Response:
    from ..render.rules import decision_rows

    state = _state(request)
    _version(state, version, "version")
    language = pick_lang(lang.value if lang else None, request.headers.get("accept-language"), state.config.lang)
    chosen = next(v for v in state.engine.rulebook.versions if v.id == version)
    rows = decision_rows(state.engine.rulebook, chosen, article, language)
    if not rows:
        articles = sorted({r.article for r in chosen.rules if r.article is not None})
        raise ApiError.message(404, "not_found", "no_article", version=version, article=article, field="article",
                               value=article, allowed=articles)
    return _json({"version": version, "article": article, "lang": language, "rows": rows}, state)


# --- schemas --------------------------------------------------------------------------------------------

def _schema_kinds() -> list[str]:
    from ..authoring import SCHEMA_KINDS

    return list(SCHEMA_KINDS)


@api.get("/schemas", response_model=SchemaList, summary="The contracts that have a JSON Schema")
async def schemas(request: Request) -> Response:
    return _json({"schemas": _schema_kinds()}, _state(request))


@api.get("/schemas/{kind}", response_model=SchemaResponse, responses=NOT_FOUND,
         summary="The JSON Schema of one contract (as `liability schema KIND`)")
async def schema(request: Request, kind: str = Path(..., description="facts, determination, rules, …")) -> Response:
    from ..authoring import json_schema

    kinds = _schema_kinds()
    if kind not in kinds:
        raise ApiError.message(404, "not_found", "no_schema", value=kind, field="kind", allowed=kinds,
                               suggestion=did_you_mean(kind, kinds))
    data = json_schema(kind)
    return _json({"kind": kind, "schema": data}, _state(request))


# --- training --------------------------------------------------------------------------------------------


@api.get("/training/exercises", response_model=ExercisesResponse, responses=NOT_FOUND,
         summary="Exercises for new inspectors: the story and the facts, not the answer")
async def exercises(request: Request,
                    topic: Optional[str] = Query(None, max_length=64, description="art8, art7.item2, art28 …"),
                    difficulty: Optional[int] = Query(None, ge=1, le=3),
                    count: Optional[int] = Query(None, ge=1, le=1000),
                    seed: Optional[int] = Query(None, ge=0, le=2**32, description="same seed, same exercises")
                    ) -> Response:
    from .. import training as tr

    state = _state(request)
    trainer = await state.run(state.trainer)
    pool = tr.select(trainer.exercises, topic=topic, difficulty=difficulty)
    if not pool:
        topics = sorted({e.topic for e in trainer.exercises})
        raise ApiError.message(404, "not_found", "no_exercise", field="topic", value=topic, allowed=topics,
                               suggestion=did_you_mean(topic, topics) if topic else None)
    chosen = tr.select(pool, count=count, seed=seed, shuffle=seed is not None)
    out = []
    for ex in chosen:
        data = ex.as_file()
        data.pop("teaching_note", None)  # it gives the answer away
        out.append(data)
    return _json({"exercises": out}, state)


@api.post("/training/grade", response_model=GradeResponse, responses=BODY_ERRORS, openapi_extra=SHEET_BODY,
          summary="Grade an answer sheet (exercise id → finding, article, item, liable)")
async def grade(request: Request) -> Response:
    from .. import training as tr

    state = _state(request)
    raw, is_json = await read_body(request)

    def work() -> dict[str, Any]:
        trainer = state.trainer()
        sheet = tr.sheet_from_document(_document(raw, is_json, tr.TrainingError), state.engine.rulebook)
        return tr.sheet_report(trainer.grade_sheet(sheet))

    return _json({"report": await state.run(work)}, state)


# --- the OpenAPI document ----------------------------------------------------------------------------------


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """OpenAPI 3.1 from the routes' models, with the facts contract (liability-facts/1) as the request body."""
    if app.openapi_schema:
        return app.openapi_schema
    from pydantic.json_schema import models_json_schema

    from .. import Facts

    doc = get_openapi(title=app.title, version=app.version, summary=app.summary, description=app.description,
                      routes=app.routes)
    _, defs = models_json_schema([(Facts, "validation")], by_alias=True,
                                 ref_template="#/components/schemas/{model}")
    doc.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    for path, methods in doc["paths"].items():
        if path.startswith("/v1/"):
            for operation in methods.values():
                operation["security"] = [{"bearer": []}]
    components = doc["components"].setdefault("schemas", {})
    for name, schema in defs.get("$defs", {}).items():
        if name in components and components[name] != schema:
            raise RuntimeError(f"OpenAPI: two schemas named {name}")  # pragma: no cover - caught by the tests
        components[name] = schema
    app.openapi_schema = doc
    return doc
