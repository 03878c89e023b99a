"""`liability replay DB [--rules DIR]`: every logged decision re-evaluated under a rulebook; what would change."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

from .. import __version__
from ..errors import LiabilityError, writable
from ..i18n import text, word
from ._common import (BackendOption, Format, Lang, LangOption, RulesOption, fail, load_engine, pick_lang,
                      refuse_folder_as_log, rules_folder)

__all__ = ["replay"]


def replay(
    db: Path = typer.Argument(...),
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
    fmt: Format = typer.Option(Format.text, "--format", "-f"),
    lang: Optional[Lang] = LangOption,
) -> None:
    """Re-evaluate every decision in DB under the current rulebook (or --rules DIR) and list those whose finding,
    liability or citation would change, with the deciding rules on each side."""
    from ..decisionlog import DecisionLog
    from ..decisionlog.replay import replay as run

    refuse_folder_as_log(db)
    engine = load_engine(rules, backend)
    try:
        with DecisionLog(db, create=False) as log:  # closed: no -wal or -shm left beside a log nobody writes
            report = run(log, engine, log_name=writable(str(db)), rules_folder=writable(str(rules_folder(rules))),
                         engine_version=__version__)
    except LiabilityError as exc:
        fail(exc)
        return
    if fmt is Format.json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
        return
    ReplayText(pick_lang(lang), engine.rulebook).write(report)


class ReplayText:
    """The report as text: one block per changed decision, then per changed conduct or person: what was logged,
    what the rulebook says now, and the deciding rules on each side."""

    def __init__(self, lang: str, rulebook: Any):
        self.lang, self.rulebook, self.w = lang, rulebook, sys.stdout.write

    def t(self, key: str, **values: Any) -> str:
        return text(f"decisionlog.{key}", self.lang, **values)

    def write(self, report: Any) -> None:
        self.w(self.t("replay_head", log=report.log, decisions=report.decisions, changed=report.changed,
                      errors=report.errors, rulebook=report.rulebook[:16], folder=report.rules_folder) + "\n")
        for d in report.changes:
            self.decision(d)
        if report.logged_under_other_rulebooks:
            self.w("\n" + self.t("replay_other_rulebooks", count=report.logged_under_other_rulebooks,
                                 rulebook=report.rulebook[:16]) + "\n")

    def decision(self, d: Any) -> None:
        self.w("\n" + self.t("replay_decision", id=d.decision_id, case=d.case_id or "-", as_of=d.as_of,
                             logged_at=d.logged_at) + "\n")
        if d.rulebook_changed:
            self.w(f"  ! {d.note_zh if self.lang == 'zh' else d.note}\n")
        for p in d.error or []:
            self.w("  " + self.t("replay_cannot", field=p.get("field", ""),
                                 message=p.get("message_zh" if self.lang == "zh" else "message") or p.get("message", ""))
                   + "\n")
        for c in d.changes:
            self.conduct(c, "  ")
        for p in d.persons:
            self.w("  " + self.t("replay_person", person=p.person_id, changed=self.changed(p.changed)) + "\n")
            self.w(f"    {self.t('replay_logged')}  {self.person(p.logged)}\n")
            self.w(f"    {self.t('replay_replayed')}  {self.person(p.replayed)}\n")
            for c in p.conducts:
                self.conduct(c, "    ")

    def changed(self, names: list[str]) -> str:
        return self.t("list_join").join(self.t(f"changed.{n}") for n in names)

    def conduct(self, c: Any, indent: str) -> None:
        self.w(indent + self.t("replay_conduct", conduct=c.conduct_id, changed=self.changed(c.changed)) + "\n")
        self.w(f"{indent}  {self.t('replay_logged')}  {self.side(c.logged)}\n")
        self.w(f"{indent}  {self.t('replay_replayed')}  {self.side(c.replayed)}\n")

    def liable(self, value: bool | None) -> str:
        return self.t("undetermined" if value is None else "liable" if value else "not_liable")

    def finding(self, finding: str | None) -> str:
        if finding is None:
            return "—"
        return self.rulebook.finding_label(finding, self.lang) if self.lang == "zh" else finding

    def side(self, s: Any) -> str:
        if s is None:
            return "—"
        cite = (s.citation_zh if self.lang == "zh" else s.citation) or "—"
        rules = ", ".join(s.deciding_rules) or "—"
        return f"{self.finding(s.finding)} · {self.liable(s.liable)} · {cite}    {self.t('replay_decided_by')} {rules}"

    def person(self, s: Any) -> str:
        if s is None:
            return "—"
        share = self.t("replay_share", share=word(f"allocation.result.{s.share}", self.lang, s.share) if s.share else "—")
        rules = ", ".join(s.deciding_rules) or "—"
        return (f"{self.finding(s.finding)} · {self.liable(s.liable)} · {', '.join(s.citations) or '—'} · {share}    "
                f"{self.t('replay_decided_by')} {rules}")
