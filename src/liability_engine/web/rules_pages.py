"""`/rules` and `/rules/diff`: the rulebook read-only — the articles, their text, the rules as a decision
table, interpretations and source confidence — and where two versions judge the exercise bank's
cases differently. The rulebook is immutable: each view is computed once per language."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from ..determination.explain import Words
from . import present
from .pages import Pages, Visit
from .words import say

__all__ = ["add_routes"]


def add_routes(router: APIRouter, pages: Pages) -> None:
    config = pages.config
    views: dict[tuple[str, str | None, str], Any] = {}
    diffs: dict[tuple[str, str], tuple[list[Any], int]] = {}

    @router.get("/rules", response_class=HTMLResponse)
    def rules(visit: Visit = Depends(pages.signed_in)) -> Response:
        rb = config.engine.rulebook
        ids = [v.id for v in rb.versions]
        wanted = visit.query("version") or ids[-1]
        if wanted not in ids:
            return pages.error(visit, 404, "not_found")
        version = rb.version(wanted)
        article = visit.query("article") or None
        key = None
        if article is not None:
            key = next((k for k, a in version.articles.items() if k == article or str(a.number) == article), None)
            if key is None:
                return pages.error(visit, 404, "not_found")
        cache_key = (version.id, key, visit.lang)
        if cache_key not in views:
            views[cache_key] = present.rules_view(rb, version, key, visit.lang)
        return pages.render(visit, "rules.html", versions=ids, v=views[cache_key], article=key)

    @router.get("/rules/diff", response_class=HTMLResponse)
    def rules_diff(visit: Visit = Depends(pages.signed_in)) -> Response:
        ids = [v.id for v in config.engine.rulebook.versions]
        old = visit.query("old") or (ids[-2] if len(ids) > 1 else ids[-1])
        new = visit.query("new") or ids[-1]
        if old not in ids or new not in ids:
            return pages.error(visit, 404, "not_found")
        if (old, new) not in diffs:
            diffs[(old, new)] = _compare(config, old, new)
        rows, total = diffs[(old, new)]
        shown = [_diff_row(config.engine.rulebook, r, visit.lang) for r in rows]
        return pages.render(visit, "diff.html", versions=ids, old=old, new=new, rows=shown, total=total)


def _compare(config: Any, old: str, new: str) -> tuple[list[Any], int]:
    """Every conduct of the exercise bank judged by either version alone: the rows that differ, and how many."""
    from ..authoring.version_diff import compare_versions

    rows, total = [], 0
    for ex in config.trainer().exercises:
        total += len(ex.facts.conducts)
        rows.extend(compare_versions(config.engine, ex.facts, old, new, ex.id))
    return rows, total


def _diff_row(rb: Any, r: Any, lang: str) -> dict[str, Any]:
    words = Words(rb)

    def side(e: Any) -> tuple[str, str, str]:
        return (present.finding_text(rb, e.finding, lang), present.liable_text(rb, e.finding, e.liable, lang),
                e.citation.label_text.get(lang) if e.citation else "—")

    return {"case": r.source, "conduct": r.conduct_id, "changed": [say(f"changed_{c}", lang) for c in r.changed],
            "act": words.value("act", r.act, lang), "fault": words.value("fault", r.fault, lang),
            "old": side(r.old), "new": side(r.new), "why": (r.old.decided_by or "—", r.new.decided_by or "—")}
