"""The rulebook's content hash — carried by every determination, response header and decision-log row, and
compared by `liability replay` — changes with an edit to ANY file that decides something: the conducts'
rules, the allocation rules among persons, the procedure's files; not with an edit to the rule authors' cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from liability_engine import bundled_rules_path, load_rulebook


@pytest.fixture(scope="module")
def original() -> str:
    return load_rulebook(bundled_rules_path()).digest


def _edited(tmp_path: Path, relative: str) -> str:
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_path(), copy)
    target = copy / relative
    assert target.is_file(), relative
    target.write_text(target.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    return load_rulebook(copy).digest


@pytest.mark.parametrize("relative", ["2024/art08.yaml", "2024/allocation.yaml", "2020/allocation.yaml",
                                      "2024/procedure/art20.yaml", "contradictions.yaml", "findings.yaml"])
def test_an_edit_to_a_file_that_decides_changes_the_hash(tmp_path: Path, original: str, relative: str) -> None:
    assert _edited(tmp_path, relative) != original


def test_an_edit_to_a_rule_authors_case_leaves_the_hash(tmp_path: Path, original: str) -> None:
    case = next(p for p in sorted((bundled_rules_path() / "2024" / "tests").rglob("*.yaml")))
    assert _edited(tmp_path, case.relative_to(bundled_rules_path()).as_posix()) == original


def test_the_same_content_in_another_folder_has_the_same_hash(tmp_path: Path, original: str) -> None:
    copy = tmp_path / "elsewhere"
    shutil.copytree(bundled_rules_path(), copy)
    assert load_rulebook(copy).digest == original
