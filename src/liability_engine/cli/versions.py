"""`liability versions` and `liability versions diff`: the encoded versions, and what a revision changed."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..i18n import msg
from ..errors import LiabilityError, Problem
from ._common import (BackendOption, Exit, Format, Lang, LangOption, RulesOption, expand_inputs, fail, load_engine,
                      pick_lang)

__all__ = ["app"]

app = typer.Typer(add_completion=False, invoke_without_command=True, rich_markup_mode=None)


@app.callback()
def versions(ctx: typer.Context, rules: Optional[Path] = RulesOption, lang: Optional[Lang] = LangOption,
             fmt: Format = typer.Option(Format.text, "--format", "-f")) -> None:
    """List the encoded versions with their dates and source confidence."""
    if ctx.invoked_subcommand is not None:
        return
    from .. import render
    from ..render.versions import engine_line, versions_markdown, versions_table

    engine = load_engine(rules, "python")
    rows = []
    for v in engine.rulebook.versions:
        by_conf = {c: sum(1 for r in v.rules if r.source_confidence == c) for c in ("confirmed", "moderate", "low")}
        rows.append({"version": v.id, "title": v.manifest.short.get(pick_lang(lang)), "issuer": v.manifest.issuer,
                     "in_force_from": str(v.in_force_from),
                     "in_force_until": str(v.manifest.in_force_until) if v.manifest.in_force_until else None,
                     "source": v.manifest.source, "source_zh": v.manifest.source_zh,
                     "source_confidence": v.manifest.source_confidence,
                     "rules": len(v.rules), "rules_by_confidence": by_conf,
                     "temporal_article": bool(v.temporal_rules)})
    from ..runtime import describe

    engine_info = describe()
    if fmt is Format.json:
        sys.stdout.write(json.dumps({"versions": rows, "engine": engine_info}, ensure_ascii=False, indent=2) + "\n")
    elif fmt is Format.markdown:
        sys.stdout.write(versions_markdown(rows, pick_lang(lang)))
    else:
        versions_table(rows, render.stdout_console(), pick_lang(lang))
        engine_line(pick_lang(lang), render.stdout_console())


@app.command()
def diff(
    old: str = typer.Argument(...),
    new: str = typer.Argument(...),
    files: List[str] = typer.Argument(...),
    fmt: Format = typer.Option(Format.text, "--format", "-f"),
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
    lang: Optional[Lang] = LangOption,
) -> None:
    """Judge every conduct by OLD and by NEW alone, and show where the finding, liability or item differ."""
    from .. import render
    from ..allocation.casefile import load_any
    from ..authoring.version_diff import Comparison
    from ..errors import did_you_mean
    from ..render.versions import diff_markdown, diff_table

    engine = load_engine(rules, backend)
    ids = [v.id for v in engine.rulebook.versions]
    for name, value in (("OLD", old), ("NEW", new)):
        if value not in ids:
            fail(LiabilityError(Problem(msg("cli.no_version", version=value), field=name, value=value, allowed=ids,
                                        suggestion=did_you_mean(value, ids))))
    comparison = Comparison(old, new)
    failed = False
    err = render.stderr_console()
    for source in expand_inputs(files):
        try:
            comparison.add(engine, load_any(source), source)  # liability-facts/1, or a case file (/2)
        except LiabilityError as exc:
            render.print_error(err, exc)
            failed = True
    if fmt is Format.json:
        sys.stdout.write(json.dumps(comparison.as_json(), ensure_ascii=False, indent=2) + "\n")
    elif fmt is Format.markdown:
        sys.stdout.write(diff_markdown(engine.rulebook, comparison, pick_lang(lang)))
    else:
        diff_table(engine.rulebook, comparison, pick_lang(lang), render.stdout_console())
    if failed:
        raise Exit(2)
