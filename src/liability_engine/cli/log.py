"""`liability log list|show|export`: read a decision log."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import LiabilityError, Problem
from ._common import Format, Lang, LangOption, fail, pick_lang

__all__ = ["app"]

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Read a decision log (决定日志): list, show ID, export --jsonl.")
DbArgument = typer.Argument(...)


def _open(db: Path):  # type: ignore[no-untyped-def]
    from ..decisionlog import DecisionLog

    try:
        return DecisionLog(db, create=False)
    except LiabilityError as exc:
        fail(exc)


@app.command("list")
def list_(db: Path = DbArgument, limit: Optional[int] = typer.Option(None, "--limit", min=1),
          fmt: Format = typer.Option(Format.text, "--format", "-f"),
          lang: Optional[Lang] = LangOption) -> None:
    """The decisions, oldest first: id, time, caller, case, finding, rulebook. 列出决定。"""
    log = _open(db)
    rows = [d for _, d in zip(range(limit or 2**62), log)]
    if fmt is Format.json:
        for d in rows:
            record = d.record()
            record.pop("facts"), record.pop("determination")
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    from .. import render

    zh = pick_lang(lang) == "zh"
    heads = ("编号", "决定 ID", "时间", "调用方", "案件", "认定", "规则库") if zh else \
        ("#", "decision id", "logged at", "caller", "case", "finding", "rulebook")
    table = Table(*heads, title=f"{log.path} · {log.count()} " + ("项决定" if zh else "decisions"))
    for d in rows:
        table.add_row(str(d.seq), d.decision_id, d.logged_at, d.caller or "-", d.case_id or "-",
                      f"{d.overall_finding} ({'liable' if d.overall_liable else 'not liable'})",
                      d.rulebook_digest[:16])
    render.stdout_console().print(table)


@app.command()
def show(db: Path = DbArgument, decision: str = typer.Argument(...))-> None:
    """One decision as a liability-decision/1 record (JSON): facts, determination, rulebook. 显示一项决定。"""
    log = _open(db)
    found = log.get(decision)
    if found is None:
        from ..errors import did_you_mean

        fail(LiabilityError(Problem(f"no decision '{decision}' in this log（日志中无此决定）", path=str(db), field="ID",
                                    value=decision, suggestion=did_you_mean(decision, log.ids()))))
        return
    sys.stdout.write(json.dumps(found.record(), ensure_ascii=False, indent=2) + "\n")


@app.command()
def export(db: Path = DbArgument,
           jsonl: bool = typer.Option(True, "--jsonl/--no-jsonl")) -> None:
    """Every decision, one JSON record a line (liability-decision/1). 导出全部决定。"""
    if not jsonl:
        fail(LiabilityError(Problem("export writes JSON Lines only（仅支持 JSON Lines）", field="--jsonl")))
    log = _open(db)
    out = sys.stdout
    for d in log:
        out.write(json.dumps(d.record(), ensure_ascii=False, separators=(",", ":")) + "\n")
