"""Golden reports: `liability explain --format markdown` on acceptance cases (tests/cases/), in both languages.

The files in golden/explain/ were read by a person before they were committed. To change them,
run with LIABILITY_UPDATE_GOLDEN=1 and review the diff line by line: a change in wording is fine,
a change in a finding, a citation or a reason is a change in the law and needs its own commit.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import AS_OF, case_facts, run_cli

GOLDEN = Path(__file__).parent / "golden" / "explain"
CASES = ["art2-illegal-evidence-gross-no-harm", "art7-1-intent-not-shielded", "art8-1-own-error", "fault-unknown",
         "art28-detention-2022", "art28-public-interest-2019", "art9-scope-omission-acquitted",
         "unknown-serious-consequence", "art28-supervisory-2023-fault-unknown"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", CASES)
def test_explain_report_matches_the_reviewed_golden_file(name: str, lang: str, tmp_path: Path) -> None:
    facts = case_facts(name, tmp_path)
    proc = run_cli("explain", str(facts), "--format", "markdown", "--lang", lang, "--as-of", AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr
    golden = GOLDEN / f"{name}.{lang}.md"
    if os.environ.get("LIABILITY_UPDATE_GOLDEN"):
        golden.write_text(proc.stdout, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with LIABILITY_UPDATE_GOLDEN=1 and review it"
    assert proc.stdout == golden.read_text(encoding="utf-8")
