"""Article 28 (从旧兼从轻): every branch of rules/2024/art28.yaml, the boundary dates, --as-of, and warnings."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT, run_cli
from liability_engine import Engine, FactsError, bundled_rules_path, parse_facts


def facts(date: str, act: str, fault: str, **extra: object) -> object:
    effects = extra.pop("effects", {})
    conduct = {"id": "C1", "date": date, "act": act, "fault": fault, "effects": effects, **extra}
    return parse_facts(json.dumps({"schema": "liability-facts/1", "case": {"id": "T", "kind": "criminal"},
                                   "person": {"id": "P", "role": "procurator"}, "conducts": [conduct]}))


def one(engine: Engine, f: object, as_of: dt.date = AS_OF):
    return engine.evaluate(f, as_of=as_of).conducts[0]  # type: ignore[arg-type]


# --- each branch ------------------------------------------------------------------------------

def test_after_2024_07_04_the_2024_version_applies_alone(engine) -> None:
    c = one(engine, facts("2025-01-02", "forge_evidence", "intentional"))
    assert c.temporal.rule == "2024.art28.current_period" and c.temporal.versions_compared == ["2024"]
    assert c.version_applied == "2024"


def test_old_version_not_liable_applies_the_old_version(engine) -> None:
    c = one(engine, facts("2019-04-01", "public_interest_duty_failure", "intentional"))
    assert c.temporal.rule == "2024.art28.old_not_liable"
    assert (c.finding, c.liable, c.version_applied) == ("no_liability", False, "2015")
    assert [e.version for e in c.temporal.evaluations] == ["2015", "2024"]
    assert [e.liable for e in c.temporal.evaluations] == [False, True]


def test_old_liable_and_2024_not_applies_2024(engine) -> None:
    c = one(engine, facts("2021-05-01", "misapply_law", "gross", effects={"wrongful_handling": True}))
    assert c.temporal.rule == "2024.art28.current_not_liable"
    assert (c.finding, c.liable, c.version_applied, c.citation.label) == ("gross_negligence", False, "2024", "Art. 2")


def test_both_liable_applies_the_old_version(engine) -> None:
    c = one(engine, facts("2022-01-10", "forge_evidence", "intentional"))
    assert c.temporal.rule == "2024.art28.both_liable" and c.temporal.choice == "old"
    assert (c.version_applied, c.citation.version, c.citation.label) == ("2020", "2020", "Art. 7(2)")
    assert not c.temporal.interpretation


def test_both_liable_with_a_lighter_2024_finding_applies_2024_as_an_interpretation(tmp_path: Path) -> None:
    """Unreachable with the bundled law (the same facts never give a lighter liable finding), so a
    rule author's copy makes 2024 Art. 7(2) a gross-negligence finding."""
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_path(), copy, ignore=shutil.ignore_patterns("tests"))
    art7 = copy / "2024" / "art07.yaml"
    text = art7.read_text(encoding="utf-8")
    old = "  - id: 2024.art7.item2\n    item: 2\n    layer: intent\n    finding: intent\n"
    assert old in text
    art7.write_text(text.replace(old, old.replace("finding: intent", "finding: gross_negligence")), encoding="utf-8")
    c = one(Engine.from_path(copy), facts("2022-01-10", "forge_evidence", "intentional"))
    assert c.temporal.rule == "2024.art28.both_liable_current_lighter"
    assert (c.finding, c.version_applied) == ("gross_negligence", "2024")
    assert c.temporal.interpretation
    chosen = [t for t in c.trace if t.outcome == "chosen"]
    assert chosen and chosen[0].interpretation and chosen[0].interpretation_reason


def test_old_liable_but_2024_undetermined_is_undetermined(engine) -> None:
    c = one(engine, facts("2018-03-01", "illegal_evidence_relied_on", "intentional", knowing=False,
                          effects={"serious_consequence": True}))
    assert [(e.version, e.finding) for e in c.temporal.evaluations] == [("2015", "intent"), ("2024", "undetermined")]
    assert c.temporal.rule == "2024.art28.current_undetermined"
    assert (c.finding, c.version_applied) == ("undetermined", None)


def test_old_version_undetermined_is_undetermined_with_what_would_decide(engine) -> None:
    c = one(engine, facts("2022-03-01", "misapply_law", "unknown", effects={"wrongful_handling": True}))
    assert c.temporal.rule == "2024.art28.old_undetermined"
    assert c.finding == "undetermined"
    alternatives = {a.value: (a.finding, a.liable) for a in c.missing[0].alternatives}
    # gross: 2020 8(1) holds with a wrongful case alone, 2024 does not: Art. 28 applies 2024, not liable
    assert alternatives["gross"] == ("gross_negligence", False)
    assert alternatives["intentional"] == ("intent", True)


def test_before_2015_and_2024_not_liable_decides(engine) -> None:
    c = one(engine, facts("2014-05-01", "misapply_law", "ordinary"))
    assert c.temporal.rule == "2024.art28.unencoded_current_not_liable"
    assert (c.finding, c.version_applied) == ("ordinary_negligence", "2024")


def test_before_2015_and_2024_liable_is_undetermined_naming_the_missing_rules(engine) -> None:
    c = one(engine, facts("2014-05-01", "forge_evidence", "intentional"))
    assert c.temporal.rule == "2024.art28.unencoded_liable"
    assert c.finding == "undetermined" and c.version_applied is None
    assert "2007" in c.temporal.reason and "not encoded" in c.temporal.reason


# --- boundary dates: the day before and the day a version takes effect ---------------------------

@pytest.mark.parametrize("date,compared", [
    ("2024-07-03", ["2020", "2024"]), ("2024-07-04", ["2024"]),
    ("2020-10-18", ["2015", "2024"]), ("2020-10-19", ["2020", "2024"]),
    ("2015-09-27", ["2024"]), ("2015-09-28", ["2015", "2024"]),
])
def test_boundary_dates_pick_the_version_in_force(engine, date: str, compared: list[str]) -> None:
    c = one(engine, facts(date, "torture", "intentional"))
    assert c.temporal.versions_compared == compared
    if date == "2015-09-27":
        assert c.temporal.rule == "2024.art28.unencoded_liable"


# --- the evaluation date ----------------------------------------------------------------------------

def test_as_of_before_2024_does_not_use_the_2024_version(engine) -> None:
    c = one(engine, facts("2022-06-01", "wrongful_detention", "gross", effects={"wrongful_handling": True}),
            as_of=dt.date(2023, 1, 1))
    assert c.temporal.versions_compared == ["2020"]
    assert (c.finding, c.liable, c.version_applied) == ("gross_negligence", True, "2020")
    today = one(engine, facts("2022-06-01", "wrongful_detention", "gross", effects={"wrongful_handling": True}))
    assert (today.liable, today.version_applied) == (False, "2024")


def test_as_of_2023_for_conduct_of_2019_applies_the_version_of_the_time_with_a_warning(engine) -> None:
    c = one(engine, facts("2019-06-01", "leak_case_information", "gross"), as_of=dt.date(2023, 1, 1))
    assert (c.finding, c.liable, c.version_applied) == ("gross_negligence", True, "2015")
    assert any("no temporal article" in w for w in c.warnings)


def test_a_conduct_after_the_evaluation_date_is_invalid(engine) -> None:
    with pytest.raises(FactsError) as err:
        engine.evaluate(facts("2024-01-01", "forge_evidence", "intentional"), as_of=dt.date(2023, 12, 31))
    assert err.value.field == "conducts[0].date"


def test_an_evaluation_date_before_every_version_is_invalid(engine) -> None:
    with pytest.raises(FactsError):
        engine.evaluate(facts("2014-01-01", "forge_evidence", "intentional"), as_of=dt.date(2015, 1, 1))


def test_as_of_on_the_command_line() -> None:
    path = ROOT / "facts" / "overlong-detention-2022.yaml"
    old = json.loads(run_cli("evaluate", str(path), "-f", "json", "--as-of", "2023-01-01").stdout)
    assert old["conducts"][0]["version_applied"] == "2020" and old["evaluated_on"] == "2023-01-01"
    proc = run_cli("evaluate", str(path), "-f", "json", "--as-of", "2022-05-31")
    assert proc.returncode == 2 and "after the evaluation date" in proc.stderr


# --- source confidence --------------------------------------------------------------------------------

def test_a_finding_resting_on_a_low_confidence_rule_warns_naming_it(engine) -> None:
    c = one(engine, facts("2022-05-05", "illegal_search", "intentional"))
    assert c.version_applied == "2020" and c.temporal.evaluations[0].decided_by == "2020.art7.item7"
    assert any("2020.art7.item7" in w and "low confidence" in w and "official text" in w for w in c.warnings)


def test_moderate_confidence_is_shown_in_the_trace_without_a_warning(engine) -> None:
    c = one(engine, facts("2022-05-05", "wrongful_detention", "gross", effects={"serious_consequence": True}))
    assert c.version_applied == "2020" and c.warnings == []
    entry = next(t for t in c.trace if t.rule == "2020.art8.item4")
    assert entry.source_confidence == "moderate"


def test_the_trace_shows_both_evaluations_and_the_choice(engine) -> None:
    c = one(engine, facts("2023-03-01", "supervision_management_failure", "gross",
                          effects={"wrongful_handling": True, "serious_consequence": True}))
    fired = [(t.version, t.rule, t.outcome) for t in c.trace if t.outcome in ("fired", "chosen")]
    assert fired == [("2020", "2020.supervisory", "fired"), ("2024", "2024.art2.supervision_outside", "fired"),
                     ("2024", "2024.art28.current_not_liable", "chosen")]


# --- versions and diff ---------------------------------------------------------------------------------

def test_versions_lists_dates_and_confidence() -> None:
    data = json.loads(run_cli("versions", "--format", "json").stdout)["versions"]
    assert [(v["version"], v["in_force_from"]) for v in data] == [
        ("2015", "2015-09-28"), ("2020", "2020-10-19"), ("2024", "2024-07-04")]
    assert data[1]["rules_by_confidence"]["low"] > 0 and data[2]["temporal_article"]


def test_versions_diff_2020_2024_shows_the_differences_the_notes_predict() -> None:
    proc = run_cli("versions", "diff", "2020", "2024", str(ROOT / "facts"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = {Path(r["source"]).stem: r for r in json.loads(proc.stdout)["differences"]}
    sup = rows["supervisory-failure-2023"]
    assert (sup["old"]["finding"], sup["new"]["finding"]) == ("supervisory", "no_liability")
    det = rows["overlong-detention-2022"]
    assert (det["old"]["decided_by"], det["new"]["liable"]) == ("2020.art8.item4", False)
    law = rows["law-error-2021"]
    assert (law["old"]["citation"]["label"], law["new"]["citation"]["label"]) == ("Art. 8(1)", "Art. 2")
    rej = rows["rejected-key-evidence-2023"]
    assert (rej["old"]["decided_by"], rej["new"]["decided_by"]) == ("2020.art7.item13", "2024.art7.item1")
    assert rej["changed"] == ["citation"]
    text = run_cli("versions", "diff", "2020", "2024", str(ROOT / "facts"), "--lang", "en")
    assert text.returncode == 0 and "2020.supervisory" in text.stdout


def test_versions_diff_rejects_an_unknown_version() -> None:
    proc = run_cli("versions", "diff", "2019", "2024", str(ROOT / "facts"))
    assert proc.returncode == 2 and "did you mean" in proc.stderr


# --- the facts that would decide name the version each value leads to ---------------------------

def supervision_failure_2022_kind_unknown() -> object:
    conduct = {"id": "C1", "date": "2022-05-01", "act": "litigation_supervision_failure", "fault": "gross",
               "effects": {"bad_influence": True}}
    return parse_facts(json.dumps({"schema": "liability-facts/1", "case": {"id": "T"},
                                   "person": {"id": "P", "role": "procurator"}, "conducts": [conduct]}))


def test_a_missing_fact_s_alternatives_name_the_version_art28_applies_for_each_value(engine) -> None:
    """A 2022 litigation-supervision failure with bad influence, its kind of case not stated: criminal → both
    versions liable, so 2020 applies, its Art. 8(7) (which in 2024 numbering is another item, penalty-execution
    supervision); civil → 2024 8(8) needs a major loss, not liable, so 2024 applies (Art. 2). Each alternative
    must say whose article it cites."""
    f = supervision_failure_2022_kind_unknown()
    c = one(engine, f)
    assert c.finding == "undetermined"
    alternatives = {a.value: a for m in c.missing if m.field == "case.kind" for a in m.alternatives}
    criminal, civil = alternatives["criminal"], alternatives["civil"]
    assert (criminal.finding, criminal.liable, criminal.citation_label, criminal.citation_version) == \
        ("gross_negligence", True, "Art. 8(7)", "2020")
    assert (civil.finding, civil.liable, civil.citation_label, civil.citation_version) == \
        ("gross_negligence", False, "Art. 2", "2024")
    assert criminal.cite_in("zh") == "第八条第（七）项，2020年版本" and criminal.cite_in("en") == "Art. 8(7), 2020"


def test_the_report_says_whose_article_and_whether_liable_for_each_value(tmp_path: Path) -> None:
    path = tmp_path / "kind-unknown.yaml"
    path.write_text("schema: liability-facts/1\ncase: {id: T}\nperson: {id: P, role: procurator}\nconducts:\n"
                    "- {id: C1, date: 2022-05-01, act: litigation_supervision_failure, fault: gross,\n"
                    "   effects: {bad_influence: true}}\n", encoding="utf-8")
    for lang, criminal, civil in (
            ("en", "criminal → gross negligence, liable (Art. 8(7), 2020)",
             "civil → gross negligence, not liable (Art. 2, 2024)"),
            ("zh", "刑事 → 重大过失，应当承担司法责任（第八条第（七）项，2020年版本）",
             "民事 → 重大过失，不承担司法责任（第二条，2024年版本）")):
        proc = run_cli("evaluate", str(path), "--format", "markdown", "--lang", lang, "--as-of", AS_OF.isoformat())
        assert proc.returncode == 0, proc.stderr
        assert criminal in proc.stdout and civil in proc.stdout, proc.stdout


# --- no Art. 28 rule is named as having chosen when the unknown facts' values lead to different ones -------

def test_an_unknown_that_leads_art28_to_different_rules_names_no_rule_as_chosen(engine) -> None:
    """A 2022 law error, wrongly handled, serious consequences unknown: with them both versions are liable and
    2020 applies (both_liable); without them 2020 alone is, and 2024 applies (current_not_liable). No rule chose:
    neither temporal.rule nor a `chosen` trace entry may name the rule the facts read with their defaults reach."""
    c = one(engine, facts("2022-01-10", "misapply_law", "gross",
                          effects={"wrongful_handling": True, "serious_consequence": "unknown"}))
    assert (c.finding, c.temporal.choice, c.temporal.rule, c.temporal.interpretation) == \
        ("undetermined", "undetermined", None, False)
    assert not [t for t in c.trace if t.outcome == "chosen"]
    assert {a.value: a.citation_version for a in c.missing[0].alternatives} == {"true": "2020", "false": "2024"}


def test_the_same_conduct_with_its_consequence_stated_names_the_rule_that_chose(engine) -> None:
    c = one(engine, facts("2022-01-10", "misapply_law", "gross",
                          effects={"wrongful_handling": True, "serious_consequence": False}))
    assert (c.finding, c.temporal.choice, c.temporal.rule) == ("gross_negligence", "current",
                                                                "2024.art28.current_not_liable")
    assert [t.rule for t in c.trace if t.outcome == "chosen"] == ["2024.art28.current_not_liable"]


def test_the_interview_says_whose_article_each_answer_leads_to(engine) -> None:
    from liability_engine.determination.interview import next_question

    f = supervision_failure_2022_kind_unknown()
    question = next_question(engine, f, AS_OF, "en")
    assert question is not None and question.field == "case.kind"
    leads = {c.value: c.leads_to for c in question.choices}
    assert leads["criminal"] == "gross negligence, liable (Art. 8(7), 2020)"
    assert leads["civil"] == "gross negligence, not liable (Art. 2, 2024)"


@pytest.mark.parametrize("date,choice,rule", [("2025-03-10", "current", "2024.art28.current_period"),
                                              ("2024-07-04", "current", "2024.art28.current_period"),
                                              ("2024-07-03", "undetermined", None)])
def test_an_unknown_consequence_leaves_the_version_open_only_before_2024(engine, date: str, choice: str,
                                                                        rule: str | None) -> None:
    """From 2024-07-04 the 2024 version applies alone whatever the unknown fact is: the finding is open, the
    choice is not. The day before, the value decides between 2020 (both liable) and 2024 (only 2020 liable)."""
    c = one(engine, facts(date, "misapply_law", "gross",
                          effects={"wrongful_handling": True, "serious_consequence": "unknown"}))
    assert c.finding == "undetermined"
    assert (c.temporal.choice, c.temporal.rule) == (choice, rule)
