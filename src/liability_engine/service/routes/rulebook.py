"""The rulebook as data: GET /v1/rules (every rule) and /v1/rules/{version}/articles/{article} (a decision table)."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from ..errors import ApiError
from ..models import DecisionTableResponse, RulesResponse
from .common import NOT_FOUND, Lang, LangQuery, answer, known_version, language, state_of

__all__ = ["router"]

router = APIRouter()


def _rule_data(rule: Any, row: dict[str, str]) -> dict[str, Any]:
    return {"id": rule.id, "version": rule.version, "article": rule.article, "paragraph": rule.paragraph,
            "item": rule.item, "cite": row["cite"], "text": row["text"], "layer": rule.layer, "finding": rule.finding,
            "liable": rule.liable, "acts": sorted(rule.acts) if rule.acts is not None else None,
            "conditions": row["conditions"], "defeats": list(rule.defeats), "precedence": row["precedence"],
            "warns_only": rule.warns_only, "interpretation": rule.interpretation,
            "interpretation_zh": rule.interpretation_zh, "source_confidence": rule.source_confidence,
            "file": rule.file.rsplit("rules/", 1)[-1] if rule.file else None, "line": rule.line}


def _rules(state: Any, version: str | None, article: int | None, lang: str) -> list[dict[str, Any]]:
    from ...render.rules import decision_rows

    out = []
    for v in state.engine.rulebook.versions:
        if version is not None and v.id != version:
            continue
        rules = [r for r in v.rules if article is None or r.article == article]
        out += [_rule_data(r, row) for r, row in zip(rules, decision_rows(state.engine.rulebook, v, article, lang))]
    return out


@router.get("/rules", response_model=RulesResponse, responses=NOT_FOUND, summary="Every rule, as data")
async def rules(request: Request, version: Optional[str] = Query(None, description="only this version"),
                article: Optional[int] = Query(None, ge=1, le=999, description="only this article"),
                lang: Optional[Lang] = LangQuery) -> Response:
    state = state_of(request)
    if version is not None:
        known_version(state, version, "version")
    return answer({"rules": _rules(state, version, article, language(request, lang))}, state)


@router.get("/rules/{version}/articles/{article}", response_model=DecisionTableResponse, responses=NOT_FOUND,
            summary="The decision table of one article: item, text, conditions, finding, precedence")
async def decision_table(request: Request, version: str = Path(..., description="e.g. 2024"),
                         article: int = Path(..., ge=1, le=999), lang: Optional[Lang] = LangQuery) -> Response:
    from ...render.rules import decision_rows

    state = state_of(request)
    known_version(state, version, "version")
    lang_ = language(request, lang)
    chosen = next(v for v in state.engine.rulebook.versions if v.id == version)
    rows = decision_rows(state.engine.rulebook, chosen, article, lang_)
    if not rows:
        articles = sorted({r.article for r in chosen.rules if r.article is not None})
        raise ApiError.message(404, "not_found", "no_article", version=version, article=article, field="article",
                               value=article, allowed=articles)
    return answer({"version": version, "article": article, "lang": lang_, "rows": rows}, state)
