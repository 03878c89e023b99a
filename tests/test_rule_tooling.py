"""The rule authors' tools: check, show, schemas, and changing the law by editing YAML alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import AS_OF, ROOT, durable_or_skip, run_cli
from liability_engine import Engine, bundled_rules_path, parse_facts
from liability_engine.authoring.schemas import SCHEMA_KINDS, json_schema


def test_the_bundled_rulebook_passes_its_own_check() -> None:
    proc = run_cli("rules", "check")
    assert proc.returncode == 0, proc.stderr
    assert "no problems" in proc.stdout


def test_shipped_schema_files_are_current() -> None:
    for kind in SCHEMA_KINDS:
        name = {"rules": "article"}.get(kind, kind)
        shipped = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert shipped == json_schema(kind), f"schemas/{name}.schema.json is stale: regenerate it with " \
                                             "liability_engine.authoring.schemas.write_schemas"


def test_every_bundled_yaml_file_names_its_schema_for_editors() -> None:
    for path in bundled_rules_path().rglob("*.yaml"):
        if path.parent.name == "tests":
            continue
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: {target} does not exist"


def test_docs_rules_md_is_generated_from_the_rules() -> None:
    proc = run_cli("rules", "show", "--format", "markdown", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == proc.stdout, \
        "docs/rules.md is stale: liability rules show --format markdown --lang en > docs/rules.md"


def test_rules_show_prints_a_decision_table_for_one_article() -> None:
    proc = run_cli("rules", "show", "2024", "--article", "8", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "2024.art8.item1" in proc.stdout and "2024.art7.item1" not in proc.stdout


def test_a_rule_author_changes_a_consequence_element_in_yaml_alone(tmp_path: Path) -> None:
    """Art. 8(1) without `serious_consequence` (as 2020 had it): a wrongful handling alone now suffices."""
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_path(), copy, ignore=shutil.ignore_patterns("tests"))
    art8 = copy / "2024" / "art08.yaml"
    text = art8.read_text(encoding="utf-8")
    old = ("      - fault: gross\n      - effects.wrongful_handling: true\n      - effects.serious_consequence: true\n"
           "    interpretation:\n      reason: >-\n        The five areas")
    assert old in text
    art8.write_text(text.replace(old, "      - fault: gross\n      - effects.wrongful_handling: true\n"
                                      "    interpretation:\n      reason: >-\n        The five areas"), encoding="utf-8")
    facts = parse_facts("""
schema: liability-facts/1
case: {id: T}
person: {id: P}
conducts:
  - {id: C1, date: 2025-03-10, act: misapply_law, fault: gross, effects: {wrongful_handling: true}}
""")
    before = Engine.default().evaluate(facts, as_of=AS_OF).conducts[0]
    after = Engine.from_path(copy).evaluate(facts, as_of=AS_OF).conducts[0]
    assert (before.finding, before.liable, before.citation.label) == ("gross_negligence", False, "Art. 2")
    assert (after.finding, after.liable, after.citation.label) == ("gross_negligence", True, "Art. 8(1)")


def test_evaluate_accepts_a_rulebook_folder(tmp_path: Path) -> None:
    proc = run_cli("evaluate", str(ROOT / "facts" / "careless-leak.yaml"), "--rules", str(bundled_rules_path()),
                   "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["conducts"][0]["citation"]["label"] == "Art. 8(9)"


def test_loading_a_folder_that_is_not_a_rulebook_is_a_clear_error(tmp_path: Path) -> None:
    proc = run_cli("evaluate", str(ROOT / "facts" / "careless-leak.yaml"), "--rules", str(tmp_path))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "findings.yaml" in proc.stderr




def test_rules_test_with_coverage_passes_on_a_copy_and_fails_naming_the_case_after_a_change(tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_path(), copy)
    ok = run_cli("rules", "test", str(copy), "--coverage", "--min-coverage", "100")
    assert ok.returncode == 0, ok.stdout[-2000:]
    assert "100% of rules fired by a case, 100% just missed by one" in ok.stdout
    art8 = copy / "2024" / "art08.yaml"
    text = art8.read_text(encoding="utf-8")
    old = "    acts: [wrong_decision]\n    when:\n      - fault: gross\n      - any:\n" \
          "          - effects.serious_consequence: true\n          - effects.bad_influence: true\n"
    assert old in text
    art8.write_text(text.replace(old, "    acts: [wrong_decision]\n    when:\n      - fault: gross\n"
                                      "      - effects.serious_consequence: true\n"), encoding="utf-8")
    bad = run_cli("rules", "test", str(copy), "--coverage", "--min-coverage", "100")
    assert bad.returncode == 2
    assert "FAIL" in bad.stdout and "Art. 8(5)" in bad.stdout
    assert "rule: expected '2024.art8.item5', got '2024.art2.gross_without_consequence'" in bad.stdout


def test_many_rulebooks_in_one_process_reuse_compiled_rulesets_by_content(tmp_path: Path) -> None:
    durable_or_skip()
    from liability_engine.compile import _durable

    Engine.default().evaluate(parse_facts(_ONE), as_of=AS_OF)
    before = set(_durable._process().registered)
    for n in range(3):
        copy = tmp_path / f"rules{n}"
        shutil.copytree(bundled_rules_path(), copy)
        Engine.from_path(copy).evaluate(parse_facts(_ONE), as_of=AS_OF)
    assert set(_durable._process().registered) == before  # same content, same rulesets: nothing new registered


_ONE = """
schema: liability-facts/1
case: {id: T}
person: {id: P}
conducts:
  - {id: C1, date: 2025-03-10, act: forge_evidence, fault: intentional}
"""


def test_docs_interpretations_md_is_generated_from_the_rules() -> None:
    proc = run_cli("rules", "show", "--interpretations", "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    assert (ROOT / "docs" / "interpretations.md").read_text(encoding="utf-8") == proc.stdout, \
        "docs/interpretations.md is stale: liability rules show --interpretations --format markdown > docs/interpretations.md"


def test_docs_interpretations_md_lists_every_reading_in_both_languages() -> None:
    from liability_engine.rulebook import load_rulebook

    text = (ROOT / "docs" / "interpretations.md").read_text(encoding="utf-8")
    rb = load_rulebook(bundled_rules_path())
    for version in rb.versions:
        for rule in version.rules:
            for reading in rule.interpretations:
                assert f"`{rule.id}`" in text, rule.id
                assert " ".join(reading.reason.split()) in text and " ".join(reading.reason_zh.split()) in text, rule.id
