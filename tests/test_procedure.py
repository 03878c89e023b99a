"""The route after the finding (Arts. 10–27): rule coverage, the calendar, the CLI, the report, errors."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from liability_engine import (Engine, FactsError, ProcedureRoute, RulesError, bundled_rules_path, load_facts,
                              parse_facts, procedure_route)
from liability_engine.procedure.calendar import add_days, add_months, china_calendar
from liability_engine.procedure.cases import case_outcomes, load_cases
from liability_engine.procedure.rules import load_procedure_rules

PROC = ROOT / "rules" / "2024" / "procedure"
TEN_YEARS = ROOT / "facts" / "county-detention-ten-years.yaml"
AS_OF = dt.date(2026, 1, 5)


@pytest.fixture(scope="module")
def rules(py_engine: Engine):
    return load_procedure_rules(py_engine.rulebook.folder, "2024", tuple(f.id for f in py_engine.rulebook.findings))


# --- every rule and deadline: a case that fires it, and one that just misses it ---------------------------

def test_every_procedure_rule_and_deadline_has_a_case_that_fires_it_and_one_that_just_misses_it(py_engine, rules) -> None:
    fired: set[str] = set()
    missed: set[str] = set()
    for case in load_cases(sorted((PROC / "tests").glob("*.yaml"))):
        got = case_outcomes(py_engine, case)
        fired |= got["fired"] & set(case.expect.fired + list(case.expect.deadlines))
        missed |= got["missed"] & set(case.expect.misses + [d for d, e in case.expect.deadlines.items()
                                                            if e.status in ("not_applicable", "not_started")])
    ids = {r.id for r in rules.rules} | {d.id for d in rules.deadlines}
    assert ids - fired == set(), "rules no case asserts firing"
    assert ids - missed == set(), "rules no case asserts a near miss of"


def test_the_procedure_rules_quote_their_articles_and_label_readings(rules) -> None:
    for rule in rules.rules:
        assert rule.provision.text and rule.provision.text_en, rule.id
        assert rule.note or rule.interpretation, f"{rule.id}: quote the article in `note:` or label the reading"
        assert rule.source_confidence in ("confirmed", "moderate", "low")
    art20 = next(r for r in rules.rules if r.id == "2024.art20.para2.supreme")
    assert art20.provision.label == "Art. 20 ¶2" and art20.provision.label_zh == "第二十条第二款"
    assert "最高人民检察院审核" in art20.provision.text and "最高人民法院" not in art20.provision.text
    assert any("最高人民法院" in e for e in art20.provision.errata)


# --- counting periods -------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, months, end", [
    (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),   # no 30 February: the month's last day
    (dt.date(2023, 11, 30), 3, dt.date(2024, 2, 29)),   # a leap year
    (dt.date(2025, 1, 31), 3, dt.date(2025, 4, 30)),    # no 31 April
    (dt.date(2024, 2, 29), 3, dt.date(2024, 5, 29)),    # from 29 February: the corresponding day
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),   # a year later there is no 29 February
    (dt.date(2025, 9, 1), 5, dt.date(2026, 2, 1)),
])
def test_a_period_in_months_ends_on_the_corresponding_day_or_the_months_last_day(start, months, end) -> None:
    assert add_months(start, months) == end


def test_a_period_in_days_does_not_count_its_first_day() -> None:
    assert add_days(dt.date(2024, 2, 26), 7) == dt.date(2024, 3, 4)  # across a leap day
    assert add_days(dt.date(2025, 12, 29), 30) == dt.date(2026, 1, 28)


def test_an_end_on_a_weekend_or_public_holiday_moves_to_the_next_working_day() -> None:
    cal = china_calendar()
    end, moved = cal.next_working_day(dt.date(2025, 3, 8))  # a Saturday
    assert end == dt.date(2025, 3, 10) and [m.day for m in moved] == [dt.date(2025, 3, 8), dt.date(2025, 3, 9)]
    end, moved = cal.next_working_day(dt.date(2025, 10, 1))  # National Day week (with Mid-Autumn, 2025)
    assert end == dt.date(2025, 10, 9)
    assert "国庆节" in moved[0].reason_zh and "National Day" in moved[0].reason
    assert any("调休" in m.reason_zh for m in moved)  # the days off in lieu of working weekends
    assert cal.next_working_day(dt.date(2025, 10, 10)) == (dt.date(2025, 10, 10), [])


def test_a_weekend_made_a_working_day_is_a_working_day() -> None:
    cal = china_calendar()
    assert cal.is_working_day(dt.date(2026, 2, 28))  # a Saturday worked in lieu (Spring Festival 2026)
    assert not cal.is_working_day(dt.date(2026, 3, 7))
    assert cal.known_until is not None and cal.knows(dt.date(2026, 6, 1))
    assert not cal.knows(dt.date(cal.known_until + 1, 6, 1))


def test_a_leap_year_period_end_to_end(py_engine) -> None:
    """Three months from 30 November 2023 end on 29 February 2024 (arithmetic only: the 2024 procedure
    rules are chosen by the as-of day)."""
    facts = parse_facts(_facts("procedure: {dates: {investigation_approved: 2023-11-30}}",
                               "act: wrong_decision, fault: gross, date: 2024-07-05"))
    route = procedure_route(py_engine, facts, as_of=dt.date(2024, 7, 10))
    art16 = next(d for d in route.deadlines if d.id == "2024.art16.investigation")
    assert (art16.nominal_end, art16.ends, art16.status, art16.days_over) == \
        (dt.date(2024, 2, 29), dt.date(2024, 2, 29), "overdue", 132)


def test_a_period_ending_beyond_the_calendars_known_years_warns(py_engine) -> None:
    cal = china_calendar()
    facts = parse_facts(_facts("procedure: {dates: {investigation_approved: 2026-11-20}}"))
    route = procedure_route(py_engine, facts, as_of=dt.date(2026, 11, 30))
    art16 = next(d for d in route.deadlines if d.id == "2024.art16.investigation")
    assert art16.ends.year == 2027
    if cal.known_until is not None and cal.known_until < 2027:
        assert any("调休" in w for w in art16.warnings_zh) and any("2027" in w for w in art16.warnings)
    assert str(cal.known_until) in route.counting.calendar_limits


def _facts(procedure: str, conduct: str = "act: wrong_decision, fault: gross, date: 2024-08-01") -> str:
    return ("schema: liability-facts/1\ncase: {id: T}\nperson: {id: P, role: procurator, status: serving}\n"
            f"conducts: [{{id: C1, {conduct}}}]\n{procedure}\n")


# --- the ten-years sample through the library and the CLI -------------------------------------------------

def test_the_ten_years_sample_goes_to_the_city_for_review_and_says_why_not_further(engine) -> None:
    route = engine.procedure(load_facts(TEN_YEARS), as_of=AS_OF)
    steps = {s.step: s for s in route.steps}
    assert route.schema_ == "liability-procedure/1"
    assert route.finding.finding == "gross_negligence" and route.finding.liable
    assert [o.body for o in steps["investigator"].outcomes] == ["county"]
    review = {o.rule: o for o in steps["review"].outcomes}
    assert review["2024.art20.para2.next_higher"].body == "city"
    note = review["2024.art20.para2.lower_serious_reading"]
    assert note.role == "note" and note.interpretation and "省级人民检察院" in note.text_zh
    assert {"procedure.outcome.wrongful_detention_10y"} <= {b.field for b in note.because}
    assert "2024.art20.para2.supreme" not in review
    assert [o.rule for o in steps["opinion"].outcomes] == ["2024.art21.item1"]
    assert [o.rule for o in steps["decision"].outcomes] == ["2024.art22.para3"]
    assert len(steps["decision"].outcomes[0].measures_zh) == 2
    assert [(o.rule, [b.field for b in o.because if b.field.startswith("procedure.")])
            for o in steps["leniency"].outcomes] == [("2024.art24.explained", ["procedure.leniency.explained"])]
    deadlines = {d.id: d for d in route.deadlines}
    assert deadlines["2024.art14.filing"].status == "met"
    assert deadlines["2024.art16.investigation"].status == "met"
    assert deadlines["2024.art27.review_request"].status == "running"
    assert deadlines["2024.art27.review_request"].ends == dt.date(2026, 1, 28)


def test_procedure_cli_text_in_both_languages() -> None:
    zh = run_cli("procedure", str(TEN_YEARS), "--as-of", AS_OF.isoformat(), "--lang", "zh")
    en = run_cli("procedure", str(TEN_YEARS), "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert zh.returncode == 0 and en.returncode == 0, zh.stderr + en.stderr
    assert "第二十条第二款" in zh.stdout and "市级人民检察院" in zh.stdout and "检察官惩戒委员会" in zh.stdout
    assert "Art. 20 ¶2" in en.stdout and "city-level procuratorate" in en.stdout and "disciplinary committee" in en.stdout
    assert "2026-01-28" in en.stdout and "20 days left" not in en.stdout  # 23 days from 5 January
    assert "23 days left" in en.stdout and "尚余23日" in zh.stdout


def test_procedure_cli_json_is_the_contract_and_markdown_has_the_steps() -> None:
    proc = run_cli("procedure", str(TEN_YEARS), "--as-of", AS_OF.isoformat(), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema"] == "liability-procedure/1"
    assert ProcedureRoute.model_validate(data).case_id == "2025-W-0042"
    md = run_cli("procedure", str(TEN_YEARS), "--as-of", AS_OF.isoformat(), "-f", "markdown", "--lang", "en")
    assert md.returncode == 0 and md.stdout.startswith("# Route after the finding")
    assert "## 5. Who reviews the proposal" in md.stdout and "## Deadlines" in md.stdout


def test_procedure_cli_bad_input_is_a_located_message_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(_facts("procedure: {procuratorate_level: countty, leadership: maybe}"), encoding="utf-8")
    proc = run_cli("procedure", str(bad))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "procedure.procuratorate_level" in proc.stderr and "did you mean 'county'" in proc.stderr
    assert "procedure.leadership" in proc.stderr and "true, false or unknown" in proc.stderr
    late = tmp_path / "late.yaml"
    late.write_text(_facts("procedure: {dates: {report: 2026-02-01}}"), encoding="utf-8")
    proc = run_cli("procedure", str(late), "--as-of", "2026-01-05")
    assert proc.returncode == 2 and "procedure.dates.report" in proc.stderr and ":5:" in proc.stderr


def test_facts_without_a_procedure_block_give_a_route_of_unknowns(py_engine) -> None:
    route = procedure_route(py_engine, load_facts(ROOT / "facts" / "careless-leak.yaml"), as_of=AS_OF)
    assert not route.facts_given and route.warnings
    steps = {s.step: s for s in route.steps}
    assert steps["investigator"].status == "undetermined"
    assert {m.field for m in steps["investigator"].missing} == {"procedure.leadership"}
    assert all(d.status == "not_started" for d in route.deadlines)


def test_the_procedure_block_accepts_unknown_everywhere() -> None:
    facts = parse_facts(_facts(
        "procedure: {procuratorate_level: unknown, leadership: unknown, cadre_authority: unknown, status: unknown,"
        " lead_assessment: unknown, leniency: {explained: unknown}, outcome: {wrongful_detention_10y: unknown},"
        " dates: {report: unknown, extension_months: unknown}}"))
    assert facts.procedure is not None and facts.procedure.dates.report == "unknown"


# --- the Art. 19 report ----------------------------------------------------------------------------------

def test_report_markdown_has_the_sections_of_art19_in_order_with_blanks() -> None:
    proc = run_cli("report", str(TEN_YEARS), "--as-of", AS_OF.isoformat(), "--lang", "zh")
    assert proc.returncode == 0, proc.stderr
    heads = [line for line in proc.stdout.splitlines() if line.startswith("## ")]
    assert [h[3:5] for h in heads] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert "线索来源及调查过程" in heads[0] and "责任认定的意见及依据" in heads[6]
    assert "【待调查人员填写：" in proc.stdout and "第八条第（六）项" in proc.stdout
    assert "未依法监督纠正错误裁判" in proc.stdout  # the article text quoted
    en = run_cli("report", str(TEN_YEARS), "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert "[To be completed by the investigator:" in en.stdout and "Art. 20 ¶2" in en.stdout


def test_report_docx_reads_back_with_its_headings_and_content(tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "report.docx"
    proc = run_cli("report", str(TEN_YEARS), "-f", "docx", "-o", str(out), "--as-of", AS_OF.isoformat(), "--lang", "zh")
    assert proc.returncode == 0, proc.stderr
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == 7 and headings[0].startswith("一、线索来源") and headings[6].startswith("七、责任认定")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text.startswith("关于某检察官违反检察职责问题的调查报告")
    assert "重大过失" in text and "第八条第（六）项" in text and "【待调查人员填写：" in text
    assert "省级人民检察院在案件质量评查中发现" in text  # the lead source from the facts
    assert any(p.style.name == "Quote" and "第二十二条第三款" in p.text for p in doc.paragraphs)


# --- rule files: located errors --------------------------------------------------------------------------

def test_a_broken_procedure_rule_is_reported_with_file_line_rule_and_fix(tmp_path: Path, py_engine) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_path(), copy)
    art10 = copy / "2024" / "procedure" / "art10.yaml"
    text = art10.read_text(encoding="utf-8")
    text = text.replace("step: investigator\n    paragraph: 1\n    when:\n      - procedure.leadership: false",
                        "step: investigatr\n    paragraph: 1\n    when:\n      - procedure.leadershp: false", 1)
    art10.write_text(text, encoding="utf-8")
    art14 = copy / "2024" / "procedure" / "art14.yaml"
    art14.write_text(art14.read_text(encoding="utf-8").replace("from: investigation_decision", "from: decision_made"),
                     encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_procedure_rules(copy, "2024", tuple(f.id for f in py_engine.rulebook.findings))
    problems = {p.message.split(" (")[0]: p for p in err.value.problems}
    step = problems["unknown step 'investigatr'"]
    assert step.path.endswith("art10.yaml") and step.line and step.rule_id == "2024.art10.own"
    assert step.suggestion == "investigator"
    field = problems["unknown field 'procedure.leadershp'"]
    assert field.suggestion == "procedure.leadership" and field.line
    date = problems["'decision_made' is not a date of procedure.dates"]
    assert date.path.endswith("art14.yaml") and date.rule_id == "2024.art14.filing"


def test_a_rule_may_not_test_the_unknown_value(tmp_path: Path, py_engine) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_path(), copy)
    art23 = copy / "2024" / "procedure" / "art23.yaml"
    art23.write_text(art23.read_text(encoding="utf-8").replace("procedure.suspected_duty_crime: true",
                                                               "procedure.suspected_duty_crime: unknown"),
                     encoding="utf-8")
    with pytest.raises(RulesError, match="completed by the evaluator"):
        load_procedure_rules(copy, "2024", tuple(f.id for f in py_engine.rulebook.findings))


def test_the_library_api_and_the_engine_method_agree(engine) -> None:
    facts = load_facts(TEN_YEARS)
    assert engine.procedure(facts, as_of=AS_OF) == procedure_route(engine, facts, as_of=AS_OF)
    with pytest.raises(FactsError):
        engine.procedure(parse_facts(_facts("procedure: {dates: {report: 2026-02-01}}")), as_of=AS_OF)


def test_rules_check_reports_a_broken_procedure_file_and_counts_the_good_ones(tmp_path: Path) -> None:
    ok = run_cli("rules", "check")
    assert ok.returncode == 0 and "procedure rules and deadlines" in ok.stdout
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_path(), copy)
    art27 = copy / "2024" / "procedure" / "art27.yaml"
    art27.write_text(art27.read_text(encoding="utf-8").replace("period: {days: 15}", "period: {weeks: 2}"),
                     encoding="utf-8")
    proc = run_cli("rules", "check", str(copy))
    assert proc.returncode == 2 and "art27.yaml" in proc.stderr and "weeks" in proc.stderr


def test_the_report_quotes_art19_para2_which_lists_its_sections() -> None:
    proc = run_cli("report", str(TEN_YEARS), "--as-of", AS_OF.isoformat(), "--lang", "zh")
    assert "> 第十九条第二款：调查报告包括下列内容" in proc.stdout


def test_the_report_headings_are_art19s_words_and_a_misspelt_section_is_refused(tmp_path):
    """The draft report's section headings come from rules/2024/procedure/art19.yaml (`report_sections:`,
    the contents Art. 19 ¶2 lists), not from the program; a key the draft does not fill in is an error."""
    import shutil

    import pytest as _pytest

    from liability_engine import Engine
    from liability_engine.errors import RulesError
    from liability_engine.procedure.report import SECTIONS
    from liability_engine.procedure.rules import load_procedure_rules

    rb = Engine.default().rulebook
    findings = tuple(f.id for f in rb.findings)
    rules = load_procedure_rules(rb.folder, "2024", findings)
    listing = rules.report_article()
    assert listing.article == 19 and listing.report_paragraph == 2
    assert list(listing.report_sections) == list(SECTIONS)  # every section, in the paragraph's order
    assert listing.report_sections["lead"].get("zh") == "一、线索来源及调查过程"
    folder = tmp_path / "rules"
    shutil.copytree(rb.folder, folder)
    art19 = folder / "2024" / "procedure" / "art19.yaml"
    art19.write_text(art19.read_text(encoding="utf-8").replace("\n  attitude:", "\n  atitude:"), encoding="utf-8")
    with _pytest.raises(RulesError) as exc:
        load_procedure_rules(str(folder), "2024", findings)
    assert any(p.suggestion == "attitude" for p in exc.value.problems)
