"""Unknown is a value (issue #14): unknown facts decided over their values, facts left out warned
about by name, contradictions, Art. 28 over completions, provisional findings, the interview."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import AS_OF, run_cli
from liability_engine import Engine, parse_facts


def _one(conduct: str, case: str = "{id: T, kind: criminal}"):
    facts = parse_facts(f"schema: liability-facts/1\ncase: {case}\nperson: {{id: P}}\nconducts:\n  - {conduct}\n")
    return Engine.default().evaluate(facts, as_of=AS_OF).conducts[0]


def test_an_unknown_effect_that_decides_leaves_the_conduct_undetermined_with_what_each_value_gives() -> None:
    for value in ("unknown", "null"):
        c = _one("{id: C1, date: 2025-03-10, act: misapply_law, fault: gross, "
                 f"effects: {{wrongful_handling: true, serious_consequence: {value}}}}}")
        assert (c.finding, c.liable, c.citation) == ("undetermined", False, None)
        (m,) = c.missing
        assert m.field == "effects.serious_consequence"
        assert {(a.value, a.finding, a.liable, a.citation_label) for a in m.alternatives} == {
            ("true", "gross_negligence", True, "Art. 8(1)"), ("false", "gross_negligence", False, "Art. 2")}
        assert any(t.outcome == "completed" for t in c.trace)


def test_an_unknown_that_does_not_decide_changes_nothing_and_the_trace_says_so() -> None:
    c = _one("{id: C1, date: 2025-03-10, act: forge_evidence, fault: intentional, "
             "effects: {serious_consequence: unknown, accident: unknown}}")
    assert (c.finding, c.liable, c.citation.label) == ("intent", True, "Art. 7(2)")
    entry = next(t for t in c.trace if t.outcome == "completed")
    assert "same outcome" in entry.explanation and "相同结果" in entry.explanation_zh


def test_a_fact_left_out_keeps_its_default_and_is_named_where_it_decides() -> None:
    c = _one("{id: C1, date: 2025-03-10, act: misapply_law, fault: gross, effects: {wrongful_handling: true}}")
    assert (c.finding, c.liable) == ("gross_negligence", False)
    assert c.warnings == ["“serious consequences” was not stated and was read as no; had it been yes: gross "
                          "negligence, liable, Art. 8(1) (2024)"]
    assert c.warnings_zh == ["“造成严重后果”未载明，按“否”认定；如为“是”：重大过失，应当承担司法责任，第八条第（一）项（2024年版本）"]
    stated = _one("{id: C1, date: 2025-03-10, act: misapply_law, fault: gross, "
                  "effects: {wrongful_handling: true, serious_consequence: false, conclusion_affected: true}}")
    assert stated.warnings == []


def test_only_the_unknowns_that_decide_are_asked_for_and_said_to_decide() -> None:
    # SPEC §2: an unknown that does not decide changes nothing. With the fault unknown and no serious
    # consequence, no value of the wrongful handling changes any finding: it is neither asked for nor named
    # as deciding; with serious consequences it decides (Art. 8(1) or Art. 2 under gross negligence).
    c = _one("{id: C1, date: 2025-03-10, act: misapply_law, fault: unknown, "
             "effects: {wrongful_handling: null, serious_consequence: false}}")
    assert c.finding == "undetermined" and [m.field for m in c.missing] == ["fault"]
    entry = next(t for t in c.trace if t.outcome == "completed")
    assert "“degree of fault”" in entry.explanation and "wrongful" not in entry.explanation
    both = _one("{id: C1, date: 2025-03-10, act: misapply_law, fault: unknown, "
                "effects: {wrongful_handling: null, serious_consequence: true}}")
    assert sorted(m.field for m in both.missing) == ["effects.wrongful_handling", "fault"]
    gross = {a.value: (a.finding, a.liable) for a in next(m for m in both.missing if m.field == "fault").alternatives}
    assert gross["intentional"] == ("intent", True)


def test_an_accident_or_incident_left_out_is_warned_about_by_name_where_it_is_the_acts_own_element() -> None:
    # SPEC §2: left out, an accident (execution incident) is none; where that default decides, the determination
    # says so by name. For these two acts it is their own element (Art. 8(4), 8(7)).
    for act, field, item in (("case_handling_accident", "accident", "Art. 8(4)"),
                             ("execution_supervision_failure", "execution_incident", "Art. 8(7)")):
        c = _one(f"{{id: C1, date: 2025-03-10, act: {act}, fault: gross}}")
        assert (c.finding, c.liable, c.citation.label) == ("gross_negligence", False, "Art. 2")
        (w,) = c.warnings
        assert "was not stated" in w and "read as none" in w and item in w
        assert "未载明" in c.warnings_zh[0]
        # stated as unknown, it is asked for, not "read as none"
        unknown = _one(f"{{id: C1, date: 2025-03-10, act: {act}, fault: gross, effects: {{{field}: unknown}}}}")
        assert unknown.finding == "undetermined" and [m.field for m in unknown.missing] == [f"effects.{field}"]
        assert unknown.warnings == []
    # another act's accident is a further fact, not its element: nothing is said where it was left out
    other = _one("{id: C1, date: 2025-03-10, act: misapply_law, fault: gross, "
                 "effects: {wrongful_handling: true, serious_consequence: false}}")
    assert other.warnings == []


def test_the_kind_of_case_is_never_defaulted_where_it_decides() -> None:
    c = _one("{id: C1, date: 2025-03-10, act: litigation_supervision_failure, fault: gross, "
             "effects: {serious_consequence: true}}", case="{id: T}")
    assert c.finding == "undetermined"
    (m,) = c.missing
    assert m.field == "case.kind"
    assert {a.value: a.citation_label for a in m.alternatives}["criminal"] == "Art. 8(6)"
    # where the kind does not decide, its absence changes nothing
    leak = _one("{id: C1, date: 2025-03-10, act: leak_case_information, fault: gross, effects: {bad_influence: true}}",
                case="{id: T}")
    assert (leak.finding, leak.citation.label) == ("gross_negligence", "Art. 8(9)")


def test_an_unknown_cause_of_the_outcome_change_decides_between_art_9_and_art_8() -> None:
    c = _one("{id: C1, date: 2025-03-10, act: fact_finding_error, fault: gross, "
             "effects: {wrongful_handling: true, serious_consequence: true}, outcome_change: {kind: acquittal}}")
    assert c.finding == "undetermined"
    alternatives = {a.value: (a.finding, a.citation_label) for a in c.missing[0].alternatives}
    assert alternatives["new_evidence"] == ("exempt", "Art. 9(4)")
    assert alternatives["procurator_error"] == ("gross_negligence", "Art. 8(1)")


def test_art_28_is_decided_over_the_completions_when_no_value_makes_the_conduct_liable() -> None:
    c = _one("{id: C1, date: 2023-03-01, act: supervision_management_failure, fault: unknown, "
             "effects: {wrongful_handling: true, serious_consequence: true}}")
    assert (c.finding, c.liable, c.version_applied) == ("no_liability", False, "2024")
    assert any(t.outcome == "completed" and "Art. 28" in t.explanation for t in c.trace)
    # where the values lead to different outcomes, it stays undetermined, naming the fault
    leak = _one("{id: C1, date: 2022-03-01, act: leak_case_information, fault: unknown, effects: {bad_influence: true}}")
    assert leak.finding == "undetermined" and leak.missing[0].field == "fault"


def test_art_28_is_decided_when_the_rules_of_the_time_apply_and_pursue_no_value() -> None:
    """2022, a supervisory failure with no effect and its fault unknown: the 2020 rules pursue no fault (their
    finding differs with it), 2024 never pursues it (SPEC §5): not liable whatever the fault, the 2020 rules apply."""
    c = _one("{id: C1, date: 2022-05-01, act: supervision_management_failure, fault: unknown}")
    assert (c.finding, c.liable, c.version_applied, c.temporal.rule) == \
        ("no_liability", False, "2020", "2024.art28.old_not_liable")
    assert any(t.outcome == "completed" and "Art. 28" in t.explanation for t in c.trace)
    # a value the 2020 rules pursue (serious consequences: gross is liable then) is still Art. 28's second clause
    c = _one("{id: C1, date: 2022-05-01, act: supervision_management_failure, fault: unknown, "
             "effects: {wrongful_handling: true, serious_consequence: true}}")
    assert (c.finding, c.liable, c.version_applied) == ("no_liability", False, "2024")


def test_a_value_that_contradicts_the_established_facts_is_not_a_completion() -> None:
    """A wrongly handled case is one whose conclusion was affected (rules/contradictions.yaml): with the conclusion
    unknown, only `affected` is possible, and it decides; the trace says the other value was not considered."""
    c = _one("{id: C1, date: 2025-03-10, act: misapply_law, fault: ordinary, "
             "effects: {wrongful_handling: true, conclusion_affected: unknown}}")
    assert (c.finding, c.liable, c.citation.label) == ("ordinary_negligence", False, "Art. 3 para. 1")
    assert c.missing == []
    entry = next(t for t in c.trace if t.outcome == "completed")
    assert "contradict" in entry.explanation and "矛盾" in entry.explanation_zh
    # not wrongly handled: both values are possible, and they decide differently
    c = _one("{id: C1, date: 2025-03-10, act: misapply_law, fault: ordinary, "
             "effects: {wrongful_handling: false, conclusion_affected: unknown}}")
    assert c.finding == "undetermined"
    assert {a.value for m in c.missing for a in m.alternatives} == {"true", "false"}
    entry = next(t for t in c.trace if t.outcome == "completed")
    assert "contradict" not in entry.explanation


def test_a_null_accident_is_unknown_and_one_left_out_is_none() -> None:
    """SPEC §2: null means unknown, for an accident and an execution incident as for every fact the rules read; left
    out, none happened. What the engine writes reads back the same (none is written by leaving the field out)."""
    from liability_engine.facts.model import Facts

    left_out = _one("{id: C1, date: 2025-03-10, act: wrong_decision, fault: gross}")
    assert (left_out.finding, left_out.liable) == ("gross_negligence", False)
    for null in ("accident: null", "accident: unknown"):
        c = _one("{id: C1, date: 2025-03-10, act: wrong_decision, fault: gross, effects: {%s}}" % null)
        assert (c.finding, [m.field for m in c.missing]) == ("undetermined", ["effects.accident"])
        assert {a.value for a in c.missing[0].alternatives} >= {"escape", "null"}
    incident = _one("{id: C1, date: 2025-03-10, act: execution_supervision_failure, fault: gross, "
                    "effects: {execution_incident: null}}")
    assert incident.finding == "undetermined" and incident.missing[0].field == "effects.execution_incident"
    written = parse_facts("schema: liability-facts/1\ncase: {id: T}\nperson: {id: P}\nconducts:\n"
                          "  - {id: C1, date: 2025-03-10, act: wrong_decision, fault: gross, "
                          "effects: {execution_incident: null}}\n").model_dump(mode="json", by_alias=True)
    effects = written["conducts"][0]["effects"]
    assert "accident" not in effects and effects["execution_incident"] == "unknown"
    assert Facts.model_validate(written).conducts[0].effects.accident is None


def test_what_a_missing_fact_would_give_is_decided_over_the_other_unknowns() -> None:
    """An intentional 2017 supervision failure, knowing left out, several effects and the kind of case unknown:
    knowing `true` alone does not decide, the other unknowns still do. (Decided on the facts with the other
    unknowns read as no, it was said to give no liability, which serious consequences would contradict.)"""
    c = _one("{id: C1, date: 2017-05-01, act: litigation_supervision_failure, fault: intentional, "
             "effects: {wrongful_handling: true, serious_consequence: unknown, bad_influence: unknown, "
             "major_loss: unknown}}", case="{id: T}")
    assert c.finding == "undetermined"
    knowing = next(m for m in c.missing if m.field == "knowing")
    assert [(a.value, a.finding) for a in knowing.alternatives] == [("true", "undetermined")]


def test_contradictory_facts_are_not_evidence() -> None:
    c = _one("{id: C1, date: 2025-03-10, act: misapply_law, fault: gross, "
             "effects: {wrongful_handling: true, serious_consequence: true, conclusion_affected: false}}")
    assert (c.finding, c.liable) == ("undetermined", False)
    assert [x.id for x in c.contradictions] == ["wrongful_handling_with_conclusion_unaffected"]
    assert c.contradictions[0].fields == ["effects.wrongful_handling", "effects.conclusion_affected"]
    knowing = _one("{id: C1, date: 2025-03-10, act: illegal_evidence_relied_on, fault: gross, knowing: true, "
                   "effects: {wrongful_handling: true, serious_consequence: true}}")
    assert knowing.finding == "undetermined" and knowing.contradictions[0].id == "negligent_yet_knowing"
    assert {a.value: a.citation_label for m in knowing.missing if m.field == "knowing"
            for a in m.alternatives} == {"false": "Art. 8(3)"}


def test_a_finding_on_a_low_confidence_rule_is_provisional() -> None:
    facts = parse_facts("""
schema: liability-facts/1
case: {id: T, kind: criminal}
person: {id: P}
conducts:
  - {id: C1, date: 2016-03-01, act: document_defect, fault: ordinary, effects: {conclusion_affected: false}}
  - {id: C2, date: 2025-03-10, act: forge_evidence, fault: intentional}
""")
    det = Engine.default().evaluate(facts, as_of=AS_OF)
    assert [c.provisional for c in det.conducts] == [True, False]
    assert det.overall.provisional is True


def test_the_interview_starts_from_nothing_and_saves_only_what_was_answered(tmp_path: Path) -> None:
    saved = tmp_path / "done.yaml"
    # act 30 (a major case-handling accident), a date, then the first answer to every question asked
    answers = "case_handling_accident\n2025-03-10\n" + "1\n" * 12
    proc = run_cli("interview", "--lang", "en", "--as-of", AS_OF.isoformat(), "--save", str(saved), stdin=answers)
    assert proc.returncode == 0, proc.stderr
    assert "degree of fault" in proc.stdout.split("Date of the conduct")[1]  # the first question: the fault
    done = yaml.safe_load(saved.read_text(encoding="utf-8"))
    conduct = done["conducts"][0]
    assert conduct["fault"] == "intentional"
    assert "effects" not in conduct and "knowing" not in conduct and "kind" not in done["case"]
