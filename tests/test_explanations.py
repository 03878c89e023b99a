"""Explanations people can act on: why, why not, what would change it, what is missing — zh and en."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF, CASES_DIR, case_facts, cli_command, run_cli
from liability_engine import load_facts


def reference_facts(name: str, tmp_path: Path) -> Path:
    return case_facts(name, tmp_path, f"{name}.yaml")


def test_own_error_explains_the_basis_why_art9_did_not_apply_and_what_would_change_it(tmp_path: Path) -> None:
    path = reference_facts("art8-1-own-error", tmp_path)
    proc = run_cli("explain", str(path), "--lang", "en", "--format", "markdown", "--as-of", AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "### Legal basis: Art. 8(1) (2024)" in out
    assert "lead to the case being wrongly handled and cause serious consequences" in out  # the article text
    assert "Art. 9(1) … Art. 9(7) not met" in out and "the staff member's own error" in out
    assert ("If “cause of the change” were “new evidence appeared or the evidence changed”: exempt "
            "(no responsibility), under Art. 9(4) (2024).") in out
    zh = run_cli("explain", str(path), "--lang", "zh", "--format", "markdown", "--as-of", AS_OF.isoformat()).stdout
    assert "第八条第（一）项" in zh and "检察人员自身的错误" in zh and "第九条第（四）项" in zh


def test_own_error_what_would_change_it_is_computed_by_re_evaluation(engine, tmp_path: Path) -> None:
    det = engine.explain(load_facts(reference_facts("art8-1-own-error", tmp_path)), as_of=AS_OF)
    changes = det.conducts[0].what_would_change
    by_change = {tuple((c.field, c.new) for c in ch.changes): ch for ch in changes}
    cf = by_change[(("outcome_change.cause", "new_evidence"),)]
    assert (cf.finding, cf.liable, cf.citation, cf.decided_by) == ("exempt", False, "Art. 9(4)", "2024.art9.item4")
    assert by_change[(("effects.serious_consequence", "false"),)].citation == "Art. 2"
    # every reported change really changes the finding or the liability
    assert all((ch.finding, ch.liable) != ("gross_negligence", True) for ch in changes)
    assert engine.evaluate(load_facts(reference_facts("art8-1-own-error", tmp_path)), as_of=AS_OF) \
        .conducts[0].what_would_change is None  # only explain computes it


def test_unknown_fault_lists_fault_as_missing_with_the_finding_each_value_gives(engine, tmp_path: Path) -> None:
    c = engine.evaluate(load_facts(reference_facts("fault-unknown", tmp_path)), as_of=AS_OF).conducts[0]
    assert c.finding == "undetermined"
    (missing,) = c.missing
    assert missing.field == "fault" and missing.question and missing.question_zh
    assert {a.value: (a.finding, a.citation_label) for a in missing.alternatives} == {
        "intentional": ("intent", "Art. 7(1)"), "gross": ("gross_negligence", "Art. 8(1)"),
        "ordinary": ("ordinary_negligence", "Art. 3 para. 1"), "none": ("no_liability", "Art. 2")}


def test_why_not_names_the_first_condition_that_failed_with_its_value(engine, tmp_path: Path) -> None:
    c = engine.evaluate(load_facts(reference_facts("art2-illegal-evidence-gross-no-harm", tmp_path)),
                        as_of=AS_OF).conducts[0]
    unmet = next(t for t in c.trace if t.rule == "2024.art8.item3")
    assert unmet.outcome == "unmet"
    failed = [t for check in unmet.conditions if not check.holds for t in check.tests]
    assert [(t.field, t.value, t.expected) for t in failed] == [("effects.serious_consequence", "false", ["true"])]
    flaw = next(w for w in c.why_not if w.finding == "flaw")
    assert flaw.failed[0].field == "act" or flaw.failed[0].field == "effects.conclusion_affected"


def test_interview_asks_for_the_missing_fault_and_ends_with_art_8_1(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    path = reference_facts("fault-unknown", tmp_path)
    saved = tmp_path / "completed.yaml"
    cmd = cli_command()
    child = pexpect.spawn(cmd[0], [*cmd[1:], "interview", str(path), "--lang", "en", "--as-of", AS_OF.isoformat(),
                                   "--save", str(saved)],
                          env=dict(os.environ, COLUMNS="200", LANG="C.UTF-8"), encoding="utf-8", timeout=60)
    child.expect("degree of fault")
    child.expect("Choose a number or type the value: ")
    child.sendline("gross")
    child.expect("Art. 8\\(1\\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    done = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert done["conducts"][0]["fault"] == "gross"


def test_interview_accepts_numbers_and_repeats_on_a_bad_answer(tmp_path: Path) -> None:
    path = reference_facts("fault-unknown", tmp_path)
    proc = run_cli("interview", str(path), "--lang", "zh", "--as-of", AS_OF.isoformat(), stdin="9\n4\n")
    assert proc.returncode == 0, proc.stderr
    assert "无效的回答" in proc.stdout and "不承担司法责任" in proc.stdout


_CJK = re.compile(r"[\u3400-\u9fff]")
_GLOSS = re.compile(r"\([^()]*\)|（[^（）]*）|“[^”]*”|\"[^\"]*\"")  # a Chinese term glossed in brackets or quotes
_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}\b")

CASES = sorted(p for p in CASES_DIR.glob("*.yaml")
               if not yaml.safe_load(p.read_text(encoding="utf-8"))["expect"].get("exit"))


def _rendered(engine, facts, lang: str) -> list[str]:
    """What a person reads: the text report, the explain tree and the markdown report."""
    from rich.console import Console

    from liability_engine import render

    det = engine.explain(facts, as_of=AS_OF)
    buffer = io.StringIO()
    console = Console(file=buffer, width=300, color_system=None)
    render.text_report(engine.rulebook, [det], lang, console)
    console.print(render.explain_tree(engine.rulebook, det, lang))
    return [buffer.getvalue(), render.markdown_report(engine.rulebook, det, lang, facts)]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_each_language_renders_without_gaps(engine, path: Path, tmp_path: Path) -> None:
    facts = load_facts(reference_facts(path.stem, tmp_path))
    for text in _rendered(engine, facts, "en"):
        stray_zh = [line for line in text.splitlines() if _CJK.search(_GLOSS.sub("", line))]
        assert not stray_zh, f"Chinese left untranslated in --lang en: {stray_zh[:3]}"
    for text in _rendered(engine, facts, "zh"):
        stray_en = [m.group(0) for line in text.splitlines() for m in _ENGLISH_RUN.finditer(line)]
        assert not stray_en, f"English left untranslated in --lang zh: {stray_en[:3]}"
