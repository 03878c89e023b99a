"""Nothing cut off: text output never ends a word with "…", piped or at a narrow terminal, and tables that do
not fit fall back to one block per record (render/layout.py).

rich marks what it cut with "…" glued to the cut word ("confide…", "2024.art28.current_per…"). The
texts themselves quote with omissions ("… (4)", "……（四）", "Art. 9(1) … Art. 9(7)"): an ellipsis after a
space or beside another ellipsis is the text's own.
"""

from __future__ import annotations

import json
import os
import io
import re
import subprocess

import pytest

from rich.cells import cell_len

from conftest import AS_OF, ROOT, cli_command, run_cli

FACTS = sorted((ROOT / "facts").glob("*.yaml"))
CUT = re.compile(r"[^\s…“‘(（「]…(?![…\w])")  # rich's cut mark ends a cell; an elision inside a quote goes on


def piped(*args: str, columns: int = 80) -> str:
    env = dict(os.environ, COLUMNS=str(columns), LANG="C.UTF-8", PYTHONIOENCODING="utf-8")
    env.pop("LIABILITY_LANG", None)
    proc = subprocess.run([*cli_command(), *args], capture_output=True, text=True, env=env, encoding="utf-8",
                          timeout=180)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_cut_mark_is_told_from_the_texts_own_ellipsis():
    assert CUT.search("│ confide… │") and CUT.search("2024.art28.current_per…")
    assert not CUT.search("responsibility: … (4) new") and not CUT.search("责任：……（四）")
    assert not CUT.search("Art. 9(1) … Art. 9(7)")
    assert not CUT.search("the lead-in (有重大过失…造成严重后果)")
    assert not CUT.search("the evidence changed” or “…”)")  # a quoted elision: the text's own


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("facts", FACTS, ids=[f.stem for f in FACTS])
def test_piped_reports_are_not_cut_and_name_every_rule_in_full(facts, lang):
    det = json.loads(run_cli("evaluate", str(facts), "-f", "json", "--as-of", AS_OF.isoformat()).stdout)
    rules = {t["rule"] for c in det["conducts"] for t in c["trace"]}
    for command in ("evaluate", "explain"):
        out = piped(command, str(facts), "--lang", lang, "--as-of", AS_OF.isoformat())
        assert not CUT.search(out), (command, CUT.search(out).group(0))
        for rule in rules:
            assert re.search(rf"(?<![\w.]){re.escape(rule)}(?![\w.])", out), (command, rule)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("args", [("rules", "show"), ("rules", "show", "2024", "--article", "8"), ("versions",),
                                  ("versions", "diff", "2020", "2024", str(ROOT / "facts"))],
                         ids=["rules-show", "rules-show-art8", "versions", "versions-diff"])
def test_piped_tables_are_not_cut(args, lang):
    out = piped(*args, "--lang", lang)
    assert not CUT.search(out), CUT.search(out).group(0)
    if args[:2] == ("rules", "show"):
        from liability_engine import Engine

        for version in Engine.default().rulebook.versions:
            for rule in version.rules:
                if len(args) == 2 or (version.id == "2024" and rule.article == 8):
                    assert rule.id in out, rule.id
    if args == ("versions",):
        assert "2024-07-04" in out and "docs/sources.md" in out


def test_a_table_that_fits_stays_a_table_and_one_that_does_not_becomes_blocks():
    wide = piped("rules", "show", "2024", "--article", "8", "--lang", "en", columns=240)
    assert "┃ rule" in wide and "\nrule:" not in wide
    narrow = piped("rules", "show", "2024", "--article", "8", "--lang", "en", columns=80)
    assert "┃" not in narrow
    assert re.search(r"^rule: +2024\.art8\.item1 *$", narrow, re.M)
    assert re.search(r"^cite: +Art\. 8\(1\) *$", narrow, re.M)
    assert max(len(line.rstrip()) for line in narrow.splitlines()) <= 80


@pytest.mark.parametrize("width", [30, 41, 80])
def test_chinese_text_breaks_between_characters_but_never_inside_an_identifier(width):
    from rich.console import Console

    from liability_engine.render.layout import renderable_table

    note = "解释：“不良影响”以事实数据规范中最相近的事实“造成恶劣影响”（effects.bad_influence）表示，见规则2024.art8.item2。"
    for rows in ([["2020.art8.item9", note]], [["规则", note + note]]):
        console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        console.print(renderable_table(None, ["规则", "说明"], rows, width))
        out = console.export_text()
        assert "effects.bad_influence" in out and "2024.art8.item2" in out, out
        assert max(cell_len(line.rstrip()) for line in out.splitlines()) <= width, out


def test_at_an_80_column_terminal_the_record_layout_is_used():
    pexpect = pytest.importorskip("pexpect")
    cmd = cli_command()
    env = dict(os.environ, LANG="C.UTF-8", TERM="xterm", PYTHONIOENCODING="utf-8")
    for var in ("COLUMNS", "LINES", "LIABILITY_LANG"):
        env.pop(var, None)
    child = pexpect.spawn(cmd[0], [*cmd[1:], "rules", "show", "2024", "--article", "8", "--lang", "en"], env=env,
                          encoding="utf-8", timeout=120, dimensions=(50, 80))
    child.expect(pexpect.EOF)
    out = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before).replace("\r\n", "\n")
    assert "┃" not in out and not CUT.search(out), out[:2000]
    assert re.search(r"^rule: +2024\.art8\.item9\b", out, re.M), out[:2000]
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_case_files_report_piped_at_80_columns_names_every_allocation_rule_in_full(lang):
    case = ROOT / "facts" / "cases" / "committee-concealed-fact.yaml"
    out = piped("evaluate", str(case), "--lang", lang, "--as-of", str(AS_OF))
    assert not CUT.search(out), CUT.findall(out)[:5]
    data = json.loads(run_cli("evaluate", str(case), "--format", "json", "--as-of", str(AS_OF)).stdout)
    rules = {entry["rule"] for person in data["persons"] for entry in person["trace"]}
    assert len(rules) > 10
    for rule in sorted(rules):
        assert rule in out, rule
