"""`liability log list|show|export`: read a decision log."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from ..errors import LiabilityError, Problem
from ..i18n import msg, text
from ._common import Format, Lang, LangOption, fail, pick_lang, refuse_folder_as_log

__all__ = ["app"]

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Read a decision log: list, show ID, export --jsonl.")
DbArgument = typer.Argument(...)
_HEADS = ("seq", "id", "logged_at", "caller", "case", "finding", "rulebook")


def _open(db: Path):  # type: ignore[no-untyped-def]
    from ..decisionlog import DecisionLog

    refuse_folder_as_log(db)
    try:
        return DecisionLog(db, create=False)
    except LiabilityError as exc:
        fail(exc)


@app.command("list")
def list_(db: Path = DbArgument, limit: Optional[int] = typer.Option(None, "--limit", min=1),
          fmt: Format = typer.Option(Format.text, "--format", "-f"),
          lang: Optional[Lang] = LangOption) -> None:
    """The decisions, oldest first: id, time, caller, case, finding, rulebook."""
    with _open(db) as log:  # closed: SQLite's -wal and -shm do not stay beside a log nobody writes
        rows = [d for _, d in zip(range(limit or 2**62), log)]
        count = log.count()
    if fmt is Format.json:
        for d in rows:
            record = d.record()
            record.pop("facts"), record.pop("determination")
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    from .. import bundled_rules_path, render
    from ..compile.rulecache import cached_rulebook
    from ..render.layout import show_table

    language = pick_lang(lang)
    rulebook = cached_rulebook(bundled_rules_path())  # the findings' words (no engine to build to list a log)

    def finding(d: Any) -> str:
        # an undetermined finding is logged with liable false (the determination's contract): its liability is
        # undetermined too, as the report says, never "not liable"
        open_question = d.overall_liable is None or d.overall_finding == "undetermined"
        liable = "undetermined" if open_question else "liable" if d.overall_liable else "not_liable"
        label = rulebook.finding_label(str(d.overall_finding), language)  # its id when the rulebook lacks it
        said = text(f"decisionlog.{liable}", language)
        return text("decisionlog.finding_liable", language, finding=label, liable=said)

    # never cut: a table where every column gets its longest word, else one block per decision (#12 §4)
    show_table(render.stdout_console(), text("decisionlog.listed", language, path=db, count=count),
               [text(f"decisionlog.heads.{h}", language) for h in _HEADS],
               [[str(d.seq), d.decision_id, d.logged_at, d.caller or "-", d.case_id or "-", finding(d),
                 d.rulebook_digest[:16]] for d in rows])


@app.command()
def show(db: Path = DbArgument, decision: str = typer.Argument(...), lang: Optional[Lang] = LangOption) -> None:
    """One decision as a liability-decision/1 record (JSON): facts, determination, rulebook."""
    with _open(db) as log:
        try:
            found = log.get(decision)
        except OverflowError:  # a number past SQLite's integers: no decision has it
            found = None
        if found is None:
            from ..errors import did_you_mean

            fail(LiabilityError(Problem(msg("decisionlog.no_decision", value=decision), path=str(db), field="ID",
                                        value=decision, suggestion=did_you_mean(decision, log.ids()))))
            return
    sys.stdout.write(json.dumps(found.record(), ensure_ascii=False, indent=2) + "\n")


@app.command()
def export(db: Path = DbArgument,
           jsonl: bool = typer.Option(True, "--jsonl/--no-jsonl"), lang: Optional[Lang] = LangOption) -> None:
    """Every decision, one JSON record a line (liability-decision/1)."""
    if not jsonl:
        fail(LiabilityError(Problem(msg("decisionlog.jsonl_only"), field="--jsonl")))
    out = sys.stdout
    with _open(db) as log:
        for d in log:
            out.write(json.dumps(d.record(), ensure_ascii=False, separators=(",", ":")) + "\n")
