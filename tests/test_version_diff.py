"""`liability versions diff`: what a revision changed, for the conducts and — for case files
(liability-facts/2) — for who bears what among several persons, in every format and in zh and en."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from liability_engine import Engine
from liability_engine.allocation import load_any
from liability_engine.authoring.version_diff import (AllocationDifference, Comparison, Difference,
                                                     VersionDifference)

from conftest import ROOT, cli_command, run_cli

CASES = ROOT / "facts" / "cases"
# committee-concealed-fact.yaml: the reporter concealed a fact from the committee. The 2020 regulation
# (A4) has the procurator bear the responsibility mainly; 2024 has no graded split (A12): not determined.
REPORTER = ("committee-concealed-fact.yaml", "D1", "P-01")


def test_one_comparison_holds_both_kinds_of_difference() -> None:
    engine = Engine.default()
    comparison = Comparison("2020", "2024")
    for path in sorted(CASES.glob("*.yaml")):
        comparison.add(engine, load_any(str(path)), str(path))
    assert comparison.conducts_compared > 0
    assert comparison.differences and comparison.allocation_differences
    assert all(isinstance(d, VersionDifference) for d in comparison.differences)
    assert all(isinstance(d, AllocationDifference) for d in comparison.allocation_differences)
    assert all(isinstance(d, Difference) and d.source and d.case_id
               for d in [*comparison.differences, *comparison.allocation_differences])
    reporter = [d for d in comparison.allocation_differences
                if d.source.endswith(REPORTER[0]) and (d.decision_id, d.person_id) == REPORTER[1:]
                and d.answers_for == "decision"]
    assert len(reporter) == 1
    assert reporter[0].old == ["2020.alloc.A4.reporter_mainly: bears_mainly"]
    assert [r.split(": ")[1] for r in reporter[0].new] == ["not_determined"]


def test_a_docket_without_case_files_has_no_allocation_difference() -> None:
    engine = Engine.default()
    comparison = Comparison("2020", "2024")
    for path in sorted((ROOT / "facts").glob("*.yaml")):
        comparison.add(engine, load_any(str(path)), str(path))
    assert comparison.differences and comparison.allocation_differences == []


@pytest.mark.parametrize("lang, title, words", [
    ("zh", "## 责任划分的差异：2020 → 2024", ("汇报人", "决定本身", "2020.alloc.A4.reporter_mainly：主要承担责任")),
    ("en", "## Allocation differences: 2020 → 2024",
     ("reporter", "the decision", "2020.alloc.A4.reporter_mainly: bears the responsibility mainly")),
])
def test_markdown_shows_the_allocation_differences(lang: str, title: str, words: tuple[str, ...]) -> None:
    proc = run_cli("versions", "diff", "2020", "2024", str(CASES), "--format", "markdown", "--lang", lang)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("## ") and title in out
    section = out[out.index(title):]
    row = next(line for line in section.splitlines() if REPORTER[0] in line and "| P-01 |" in line
               and words[1] in line)
    for word in words:
        assert word in row, row
    assert re.match(r"^\| .+ \|$", row)
    assert "┃" not in out and "│" not in out  # a markdown table, not the terminal's


@pytest.mark.parametrize("lang, title, word", [("zh", "责任划分的差异：2020 → 2024", "主要承担责任"),
                                               ("en", "Allocation differences: 2020 → 2024",
                                                "bears the responsibility mainly")])
def test_text_shows_the_allocation_differences_in_words(lang: str, title: str, word: str) -> None:
    env = dict(os.environ, COLUMNS="400", LANG="C.UTF-8", PYTHONIOENCODING="utf-8")  # no cell wrapped
    proc = subprocess.run([*cli_command(), "versions", "diff", "2020", "2024", str(CASES), "--lang", lang],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert title in proc.stdout
    row = next(line for line in proc.stdout.splitlines() if "reporter_mainly" in line)
    assert word in row, row
    assert "bears_mainly" not in proc.stdout  # the result in words, not its id


def test_json_lists_the_allocation_differences() -> None:
    proc = run_cli("versions", "diff", "2020", "2024", str(CASES), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"old", "new", "conducts_compared", "differences", "allocation_differences"}
    rows = [r for r in data["allocation_differences"] if r["source"].endswith(REPORTER[0])
            and r["person_id"] == "P-01" and r["answers_for"] == "decision"]
    assert rows and rows[0]["old"] == ["2020.alloc.A4.reporter_mainly: bears_mainly"]


def test_markdown_of_one_contract_files_says_nothing_of_allocation() -> None:
    proc = run_cli("versions", "diff", "2020", "2024", str(ROOT / "facts" / "law-error-2021.yaml"),
                   "--format", "markdown", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "Allocation differences" not in proc.stdout
