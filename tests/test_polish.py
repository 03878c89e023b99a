"""Small things a newcomer tripped over (#12.6): each one held by a test."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import AS_OF, ROOT, case_facts, run_cli
from liability_engine import Engine

SUPERVISION = {"schema": "liability-facts/1", "case": {"id": "X"}, "person": {"id": "P", "role": "department_head"},
               "conducts": [{"id": "C1", "date": "2025-03-10", "act": "supervision_management_failure",
                             "fault": "gross"}]}


def test_a_finding_label_that_already_says_its_id_is_not_followed_by_it_again(tmp_path: Path) -> None:
    exempt = run_cli("evaluate", str(case_facts("art9-4-acquittal-new-evidence", tmp_path)), "--lang", "en",
                     "--as-of", AS_OF.isoformat())
    assert exempt.returncode == 0, exempt.stderr
    assert "exempt (no responsibility)" in exempt.stdout and "(no responsibility) (exempt)" not in exempt.stdout
    gross = run_cli("explain", str(case_facts("art8-1-own-error", tmp_path)), "--lang", "en", "-f", "markdown",
                    "--as-of", AS_OF.isoformat())
    assert "gross negligence (gross_negligence)" not in gross.stdout
    intent = run_cli("evaluate", str(case_facts("art7-2-forged-record", tmp_path)), "--lang", "en",
                     "--as-of", AS_OF.isoformat())
    assert "intentional violation of duty (intent)" in intent.stdout  # a label that does not say its id keeps it


def test_two_rules_of_one_article_are_named_by_rule_in_why_not() -> None:
    det = Engine.default().evaluate(SUPERVISION, as_of=AS_OF)
    (why,) = [w for w in det.conducts[0].why_not if w.defeated_by == "2024.art2.supervision_outside"
              and w.rules == ["2024.art2.gross_without_consequence"]]
    assert "Art. 2 applies, but Art. 2" not in why.reason
    assert why.reason == ("rule 2024.art2.gross_without_consequence (Art. 2) applies, but rule "
                          "2024.art2.supervision_outside of the same provision takes precedence.")
    assert "同一条款的规则 2024.art2.supervision_outside 优先适用" in why.reason_zh
    other = Engine.default().evaluate({**SUPERVISION, "conducts": [{**SUPERVISION["conducts"][0],
                                                                     "act": "misapply_law", "fault": "gross",
                                                                     "effects": {"wrongful_handling": True,
                                                                                 "serious_consequence": True},
                                                                     "outcome_change": {"kind": "acquittal",
                                                                                        "cause": "new_evidence"}}]},
                                      as_of=AS_OF)
    assert "Art. 2 applies, but Art. 9(4) takes precedence (2024.art9.item4)." in [w.reason for w in other.conducts[0].why_not]


def test_rules_show_for_an_article_no_rule_cites_is_an_error() -> None:
    proc = run_cli("rules", "show", "--article", "99", "--lang", "en")
    assert proc.returncode == 2
    assert "no rule of any version cites Art. 99" in proc.stderr and "allowed: 2, 3, 7, 8, 9" in proc.stderr
    zh = run_cli("rules", "show", "2024", "--article", "99", "--lang", "zh")
    assert zh.returncode == 2 and "2024 版本中没有引用第 99 条的规则" in zh.stderr
    assert run_cli("rules", "show", "2024", "--article", "8").returncode == 0


def test_interview_headings_are_questions(tmp_path: Path) -> None:
    proc = run_cli("interview", "--lang", "en", "--as-of", AS_OF.isoformat(), stdin="forge_evidence\n2025-03-10\n")
    assert "What did the staff member do?" in proc.stdout
    assert "What was the staff member's degree of fault in this conduct?" in proc.stdout
    assert not any(line.strip() in ("act", "degree of fault") for line in proc.stdout.splitlines())
    zh = run_cli("interview", "--lang", "zh", "--as-of", AS_OF.isoformat(), stdin="forge_evidence\n")
    assert "当事检察人员实施了什么行为？" in zh.stdout


def test_every_field_of_the_vocabulary_has_a_question_in_both_languages() -> None:
    vocabulary = yaml.safe_load((ROOT / "rules" / "vocabulary.yaml").read_text(encoding="utf-8"))
    for field in vocabulary["fields"]:
        asked = vocabulary["questions"].get(field)
        assert asked and asked["zh"].endswith("？") and asked["en"].endswith("?"), field
