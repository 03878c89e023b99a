"""`liability replay DB [--rules DIR]`: every logged decision re-evaluated under a rulebook; what would change."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .. import __version__
from ..errors import LiabilityError
from ._common import BackendOption, Format, Lang, LangOption, RulesOption, fail, load_engine, pick_lang, rules_folder

__all__ = ["replay"]


def replay(
    db: Path = typer.Argument(...),
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
    fmt: Format = typer.Option(Format.text, "--format", "-f"),
    lang: Optional[Lang] = LangOption,
) -> None:
    """Re-evaluate every decision in DB under the current rulebook (or --rules DIR) and list those whose finding,
    liability or citation would change, with the deciding rules on each side. 以当前（或指定）规则库重放日志中的决定。"""
    from ..decisionlog import DecisionLog
    from ..decisionlog.replay import replay as run

    engine = load_engine(rules, backend)
    try:
        log = DecisionLog(db, create=False)
        report = run(log, engine, log_name=str(db), rules_folder=str(rules_folder(rules)), engine_version=__version__)
    except LiabilityError as exc:
        fail(exc)
        return
    if fmt is Format.json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
        return
    _table(report, pick_lang(lang), engine.rulebook)


_CHANGED_ZH = {"finding": "认定", "liable": "是否担责", "citation": "引用条文", "missing": "行为缺失"}


def _table(report, lang: str, rulebook) -> None:  # type: ignore[no-untyped-def]
    """One block per changed conduct: what was logged, what the rulebook says now, and the deciding rules."""
    zh = lang == "zh"
    w = sys.stdout.write
    w((f"重放 {report.log}：{report.decisions} 项决定，{report.changed} 项将改变，{report.errors} 项无法重放"
       f"（规则库 {report.rulebook[:16]}，{report.rules_folder}）\n") if zh else
      (f"replay of {report.log}: {report.decisions} decisions, {report.changed} would change, {report.errors} "
       f"cannot be replayed (rulebook {report.rulebook[:16]}, {report.rules_folder})\n"))

    def side(s) -> str:  # type: ignore[no-untyped-def]
        if s is None:
            return "—"
        cite = (s.citation_zh if zh else s.citation) or "—"
        liable = ("有责" if s.liable else "无责") if zh else ("liable" if s.liable else "not liable")
        rules = ", ".join(s.deciding_rules) or "—"
        finding = rulebook.finding_label(s.finding, lang) if zh else s.finding
        return f"{finding} · {liable} · {cite}    {'决定规则' if zh else 'decided by'} {rules}"

    for d in report.changes:
        w(f"\n{d.decision_id}  {'案件' if zh else 'case'} {d.case_id or '-'}  as_of {d.as_of}  "
          f"{'记录于' if zh else 'logged'} {d.logged_at}\n")
        if d.rulebook_changed:
            w(f"  ! {d.note_zh if zh else d.note}\n")
        if d.status == "error":
            for p in d.error or []:
                w(f"  {'无法重放' if zh else 'cannot replay'}: {p.get('field', '')} {p.get('message', '')}\n")
            continue
        for c in d.changes:
            changed = "、".join(_CHANGED_ZH[x] for x in c.changed) if zh else ", ".join(c.changed)
            w(f"  {'行为' if zh else 'conduct'} {c.conduct_id}: {'改变' if zh else 'changed'} {changed}\n")
            w(f"    {'记录时' if zh else 'logged  '}  {side(c.logged)}\n")
            w(f"    {'重放后' if zh else 'replayed'}  {side(c.replayed)}\n")
    if report.logged_under_other_rulebooks:
        w((f"\n{report.logged_under_other_rulebooks} 项决定记录时所用的规则库并非本次重放所用的规则库"
           f"（{report.rulebook[:16]}）：已按本规则库重放。\n") if zh else
          (f"\n{report.logged_under_other_rulebooks} decisions were logged under another rulebook than the one "
           f"replayed with ({report.rulebook[:16]}): they were replayed under it.\n"))
