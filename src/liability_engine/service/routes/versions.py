"""GET /v1/versions and POST /v1/versions/diff: the encoded versions, and where two differ on given facts."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from ... import FactsError
from ..errors import BODY_SOURCE
from ..models import VersionDiffResponse, VersionsResponse
from .common import BODY_ERRORS, ERROR, Lang, LangQuery, answer, body, document, known_version, language, state_of

__all__ = ["router", "version_rows"]

router = APIRouter()

_FACTS_BODY = {"requestBody": {"required": True, "description": "liability-facts/1, as JSON or YAML", "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/Facts"}},
    "application/yaml": {"schema": {"$ref": "#/components/schemas/Facts"}}}}}


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


@router.get("/versions", response_model=VersionsResponse, summary="The encoded versions, dates, source confidence")
async def versions(request: Request, lang: Optional[Lang] = LangQuery) -> Response:
    state = state_of(request)
    return answer({"versions": version_rows(state.engine, language(request, lang))}, state)


@router.post("/versions/diff", response_model=VersionDiffResponse, responses={**BODY_ERRORS, 404: ERROR},
             openapi_extra=_FACTS_BODY, summary="Judge each conduct by OLD and by NEW alone: where they differ")
async def versions_diff(request: Request, old: str = Query(..., description="the older version, e.g. 2020"),
                        new: str = Query(..., description="the newer version, e.g. 2024")) -> Response:
    from ...authoring import compare_versions
    from ...facts import facts_from_data

    state = state_of(request)
    known_version(state, old, "old")
    known_version(state, new, "new")
    raw, is_json = await body(request)

    def work() -> dict[str, Any]:
        doc = document(raw, is_json, FactsError)
        facts = facts_from_data(doc.data, source=doc)
        rows = compare_versions(state.engine, facts, old, new, BODY_SOURCE)
        return {"old": old, "new": new, "conducts_compared": len(facts.conducts),
                "differences": [r.model_dump(mode="json") for r in rows]}

    return answer(await state.run(work), state)
