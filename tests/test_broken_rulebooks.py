"""Golden error messages of `liability rules check` on deliberately broken rulebooks.

Each case in broken_rulebooks/cases.yaml is one kind of problem; its expected output is in
broken_rulebooks/<name>.txt. Set LIABILITY_UPDATE_GOLDEN=1 to rewrite the golden files, then read
the diff before committing it: a golden file is a reviewed message, not a snapshot.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from liability_engine import bundled_rules_path

HERE = Path(__file__).parent / "broken_rulebooks"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))


def _apply(root: Path, edit: dict) -> None:
    path = root / edit["file"]
    text = path.read_text(encoding="utf-8")
    if "replace" in edit:
        old, new = edit["replace"]
        assert old in text, f"the edit's text is not in {edit['file']}: {old!r}"
        text = text.replace(old, new, 1)
    if edit.get("append"):  # a rule appended to the file's `rules:` list (indented as the others are)
        text = text.rstrip("\n") + "\n\n" + "".join(f"  {line}" for line in edit["append"].splitlines(True))
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rules_check_names_the_problem(case: dict, tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_path(), copy, ignore=shutil.ignore_patterns("tests"))
    _apply(copy, case)
    if "also" in case:
        _apply(copy, case["also"])
    proc = run_cli("rules", "check", str(copy))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    got = proc.stderr.replace(str(copy), "<rules>")
    golden = HERE / f"{case['name']}.txt"
    if os.environ.get("LIABILITY_UPDATE_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with LIABILITY_UPDATE_GOLDEN=1 and review it"
    assert got == golden.read_text(encoding="utf-8")


def test_the_issue_acceptance_check_misspelt_field_is_located_and_corrected(tmp_path: Path) -> None:
    """Replace the first `serious_consequence` of one file: the check names that file, a line and the fix."""
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_path(), copy)
    target = copy / "2024" / "art08.yaml"
    text = target.read_text(encoding="utf-8")
    line = text[: text.index("serious_consequence")].count("\n") + 1
    target.write_text(text.replace("serious_consequence", "serious_consequense", 1), encoding="utf-8")
    proc = run_cli("rules", "check", str(copy))
    assert proc.returncode != 0
    assert f"{target}:{line}:" in proc.stderr
    assert "did you mean 'effects.serious_consequence'" in proc.stderr
