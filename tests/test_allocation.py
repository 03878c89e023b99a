"""Case files (liability-facts/2) and allocation: what users rely on."""

from __future__ import annotations

import datetime as _dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from liability_engine import Engine, FactsError, load_facts
from liability_engine.allocation import case_from_facts, load_any, parse_any
from liability_engine.allocation.rules import allocation_rules_for
from liability_engine.authoring.checks import check_rulebook

ROOT = Path(__file__).resolve().parent.parent
AS_OF = _dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def _alloc(det, pid):
    p = next(p for p in det.persons if p.person_id == pid)
    return {(a.decision_id or a.conduct_id, a.part, a.answers_for): (a.result, a.rule) for a in p.allocations}


def test_a_v1_file_still_returns_exactly_the_v1_determination(engine: Engine) -> None:
    facts = load_facts(ROOT / "facts" / "two-conducts.yaml")
    det = engine.evaluate(facts, as_of=AS_OF)
    assert det.schema_ == "liability-determination/1"
    case = engine.evaluate_case(facts, as_of=AS_OF)
    assert case.schema_ == "liability-case-determination/1"
    assert case.persons[0].own == det  # read as a case with one person, the same determination inside


def test_committee_sample_allocates_report_votes_and_review(engine: Engine) -> None:
    det = engine.evaluate(load_any(ROOT / "facts" / "cases" / "committee-concealed-fact.yaml"), as_of=AS_OF)
    p1 = _alloc(det, "P-01")
    assert p1[("D1", "reporter", "facts_reported")][0] == "bears"
    assert p1[("D1", "reporter", "decision")] == ("not_determined", "2024.alloc.A12.no_graded_split")
    assert _alloc(det, "P-04")[("D1", "committee_member", "vote")][0] == "does_not_bear"
    assert _alloc(det, "P-02")[("D1", "committee_member", "vote")][0] == "not_determined"
    assert _alloc(det, "P-05")[("D1", "reviewer", "supervision")][0] == "separate_track"
    assert det.overall.bearing == ["P-01"]
    assert [(a.rule, a.result) for a in det.decisions[0].body] == [("2024.alloc.A2.committee_decision",
                                                                     "bears_corresponding")]


def test_version_of_the_allocation_follows_art28(engine: Engine) -> None:
    old = engine.evaluate(load_any(ROOT / "facts" / "cases" / "department-head-review-2023.yaml"), as_of=AS_OF)
    new = engine.evaluate(load_any(ROOT / "facts" / "cases" / "department-head-review-2025.yaml"), as_of=AS_OF)
    assert old.decisions[0].version_applied == "2020" and new.decisions[0].version_applied == "2024"
    assert _alloc(old, "P-31")[("D1", "reviewer", "supervision")][1] == "2020.alloc.A11.reviewer"
    assert _alloc(new, "P-31")[("D1", "reviewer", "supervision")][0] == "separate_track"


def test_the_auxiliary_staff_choice_is_explicit_and_warns(engine: Engine) -> None:
    text = (ROOT / "facts" / "cases" / "team-assistant.yaml").read_text(encoding="utf-8")
    unset = engine.evaluate(parse_any(text), as_of=AS_OF)
    assert _alloc(unset, "P-23")[("C1", "own_conduct", "own_conduct")][0] == "not_determined"
    for choice, result in (("pursued", "bears"), ("not_pursued", "does_not_bear")):
        det = engine.evaluate(parse_any(text.replace("auxiliary_staff: unset", f"auxiliary_staff: {choice}")),
                              as_of=AS_OF)
        p = next(p for p in det.persons if p.person_id == "P-23")
        assert _alloc(det, "P-23")[("C1", "own_conduct", "own_conduct")][0] == result
        assert p.overall.provisional and any("low-confidence" in w for w in p.warnings)


def test_a6_low_rule_makes_a_provisional_result(engine: Engine) -> None:
    det = engine.evaluate(load_any(ROOT / "facts" / "cases" / "chief-changed-decision.yaml"), as_of=AS_OF)
    assert _alloc(det, "P-11")[("D1", "executor", "execution")] == ("does_not_bear",
                                                                     "2024.alloc.A6.consequences_to_chief")
    assert _alloc(det, "P-12")[("D1", "decider", "decision")][0] == "bears_corresponding"
    assert det.overall.provisional


def test_bad_case_files_are_located_with_did_you_mean() -> None:
    bad = """schema: liability-facts/2
case: {id: X}
persons:
  - {id: P1, role: chief_procurater}
  - {id: P2, role: assistant, leadrship: false}
decisions:
  - {id: D1, decided_by: P3, wrong: maybe, led_to_conducts: [C9]}
"""
    with pytest.raises(FactsError) as err:
        parse_any(bad, "bad.yaml")
    text = str(err.value)
    assert "bad.yaml:4" in text and "did you mean 'chief_procurator'" in text
    assert "did you mean 'leadership'" in text and "expected true, false or unknown" in text
    refs = bad.replace("chief_procurater", "chief_procurator").replace("leadrship", "leadership").replace("maybe", "unknown")
    with pytest.raises(FactsError) as err:
        parse_any(refs, "refs.yaml")
    assert "refs.yaml:7" in str(err.value) and "no person 'P3'" in str(err.value) and "no conduct 'C9'" in str(err.value)


def test_rules_check_finds_a_conflict_in_the_allocation_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "2024" / "allocation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '          - objected: "yes"\n    defeats: [2024.alloc.executor.other]\n',
        '          - objected: "yes"\n', 1), encoding="utf-8")
    _, problems = check_rulebook(rules)
    assert any("2024.alloc.A6.consequences_to_chief" in str(p) and "no declared precedence" in str(p) for p in problems)


def test_every_allocation_rule_has_a_case_that_fires_and_one_that_just_misses(engine: Engine) -> None:
    from liability_engine.allocation.cases import load_allocation_cases, run_allocation_case

    books = allocation_rules_for(engine.rulebook)
    results = [run_allocation_case(books[c.version], c) for c in load_allocation_cases(ROOT / "rules")]
    assert all(r.passed for r in results)
    for vid, book in books.items():
        fired = {rid for r in results if r.case.version == vid for rid in r.case.expect.fired}
        missed = {rid for r in results if r.case.version == vid for rid in r.missed}
        for rule in book.rules:
            assert rule.id in fired and rule.id in missed, rule.id


def test_cli_evaluates_a_case_file_in_json_and_markdown() -> None:
    exe = [sys.executable, "-m", "liability_engine"]
    sample = str(ROOT / "facts" / "cases" / "committee-concealed-fact.yaml")
    proc = subprocess.run([*exe, "evaluate", sample, "-f", "json", "--as-of", "2026-01-01"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["schema"] == "liability-case-determination/1"
    proc = subprocess.run([*exe, "evaluate", sample, "-f", "markdown", "--lang", "zh", "--as-of", "2026-01-01"],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "## 人员 王某（P-01）" in proc.stdout


def test_allocation_exercises_are_graded_by_the_engine(engine: Engine) -> None:
    from liability_engine.allocation.training import answer_key, grade, load_allocation_bank

    bank = {e.id: e for e in load_allocation_bank()}
    assert len(bank) >= 4
    key = {q: r for q, (r, _) in answer_key(engine, bank["committee-concealed-report-2022"]).items()}
    assert key["P-1/D1/decision"] == "bears_mainly"  # 2022: Art. 28 applies 2020, whose Art. 13 says 主要
    rows = grade(engine, bank["chief-changed-decision"], {"P-2/D1/decision": "bears_corresponding",
                                                          "P-1/D1/execution": "bears"})
    assert [ok for *_, ok, _ in rows] == [True, False]


def test_a_v1_document_under_the_v2_tag_is_told_which_tag_it_needs() -> None:
    text = (ROOT / "facts" / "careless-leak.yaml").read_text(encoding="utf-8").replace(
        "liability-facts/1", "liability-facts/2")
    with pytest.raises(FactsError) as err:
        parse_any(text, "leak.yaml")
    assert "leak.yaml:1" in str(err.value) and "did you mean 'liability-facts/1'" in str(err.value)


def test_docs_casefile_describes_every_field_of_the_two_contracts() -> None:
    import re

    from liability_engine.authoring.schemas import json_schema

    doc = (ROOT / "docs" / "casefile.md").read_text(encoding="utf-8")
    fenced = re.findall(r"```.*?```", doc, flags=re.S)  # the examples, then the inline `code` of the prose
    prose = re.sub(r"```.*?```", "", doc, flags=re.S)
    words = {w for span in fenced + re.findall(r"`([^`]+)`", prose) for w in re.findall(r"\w+", span)}
    v1 = {n for kind in ("facts", "determination") for d in [json_schema(kind), *json_schema(kind)["$defs"].values()]
          for n in d.get("properties", {})}  # the nested liability-facts/1 and determination/1 parts: their docs
    for kind in ("case", "case-determination"):
        schema = json_schema(kind)
        for definition in [schema, *schema["$defs"].values()]:
            for name in definition.get("properties", {}):
                assert name in words or name in v1, f"docs/casefile.md does not describe `{name}` ({kind})"


def test_art9_outcome_shields_the_decision_but_not_the_facts_reported(engine: Engine) -> None:
    text = (ROOT / "facts" / "cases" / "committee-concealed-fact.yaml").read_text(encoding="utf-8")
    det = engine.evaluate(parse_any(text.replace("outcome: {kind: acquittal, cause: procurator_error}",
                                                 "outcome: {kind: acquittal, cause: new_evidence}")), as_of=AS_OF)
    assert _alloc(det, "P-02")[("D1", "committee_member", "vote")] == ("does_not_bear", "2024.alloc.art9.vote")
    assert _alloc(det, "P-01")[("D1", "reporter", "facts_reported")][0] == "bears"
    assert [a.rule for a in det.decisions[0].body] == ["2024.alloc.art9.decision"]


def test_every_allocation_fact_reads_in_words():
    """The case reports show the allocation rules' conditions in words (#12 §2): every field the allocation
    rules can test has its words in rules/vocabulary.yaml `case_fields`, and every value of it reads as a
    word in both languages, not as its id — nor a word for a field that does not exist (a typo)."""
    from liability_engine import Engine
    from liability_engine.allocation.render import CaseWords
    from liability_engine.allocation.rules import allocation_schema

    rb = Engine.default().rulebook
    schema = allocation_schema()
    assert set(rb.vocabulary.case_fields) == set(schema)
    words = CaseWords(rb)
    unworded = [(name, v, lang) for name, spec in schema.items() for v in spec.values for lang in ("zh", "en")
                if lang == "zh" and words.value(name, v, lang) == v]
    assert not unworded, unworded
    assert words.value("decider.role", "chief_procurator", "zh") == "检察长"
    assert words.field("objected", "zh") != "objected"
