"""`liability train`: the exercise bank, near-miss variants, grading, the key, progress, the session.

The expected answers are never written here: they are the engine's determinations (the key), and
the rules an exercise must cover are read from the rulebook.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, cli_command, run_cli
from liability_engine import Engine
from liability_engine.facts import facts_from_data
from liability_engine.determination.citations import zh_number
from liability_engine.training import (Trainer, TrainingError, parse_finding, parse_provision, parse_sheet,
                                       select, topic_matches)

BANK = ROOT / "examples" / "exercises"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@pytest.fixture(autouse=True)
def _progress_file(tmp_path, monkeypatch) -> Path:
    """Never write to the real progress file."""
    path = tmp_path / "progress.jsonl"
    monkeypatch.setenv("LIABILITY_PROGRESS", str(path))
    return path


@pytest.fixture(scope="module")
def trainer() -> Trainer:
    return Trainer(Engine.default(), BANK)


def current_version(engine: Engine):
    today = dt.date.today()
    return [v for v in engine.rulebook.versions if v.in_force_from <= today][-1]


def exercise_ids() -> list[str]:
    return sorted(p.stem for p in BANK.glob("*.yaml") if p.name != "phrases.yaml")


# --- the bank -----------------------------------------------------------------------------------


def test_the_bank_has_at_least_forty_exercises_one_per_file(trainer) -> None:
    assert len(trainer.exercises) >= 40
    assert [e.id for e in trainer.exercises] == exercise_ids()
    assert all(len(e.facts.conducts) == 1 for e in trainer.exercises)
    assert {e.difficulty for e in trainer.exercises} == {1, 2, 3}


def test_every_deciding_rule_of_the_current_version_has_an_exercise(trainer) -> None:
    version = current_version(trainer.engine)
    deciding = [r.id for r in version.rules if not r.warns_only]
    assert len(deciding) >= 30  # Arts. 2, 3, 7, 8, 9: a derived list, not an empty one
    covered = {rule for ex in trainer.exercises for rule in trainer.decided_rules(ex)}
    assert [r for r in deciding if r not in covered] == []


@pytest.mark.slow
def test_every_art28_branch_that_facts_can_reach_has_an_exercise(trainer) -> None:
    """A branch no exercise decides must also be out of reach of every one-fact variant of the bank
    (if a variant reaches it, the generator has found the exercise the bank is missing)."""
    version = current_version(trainer.engine)
    temporal = [t.id for t in version.temporal_rules]
    covered = {rule for ex in trainer.exercises for rule in trainer.decided_rules(ex)}
    uncovered = [t for t in temporal if t not in covered]
    assert len(uncovered) < len(temporal) / 2
    for ex in trainer.exercises:
        for change in trainer.candidates(ex):
            facts = facts_from_data(trainer.variant_data(ex, change))
            reached = trainer.engine.evaluate(facts).conducts[0].temporal.rule
            assert reached not in uncovered, f"{ex.id} with {change.token} reaches {reached}: add an exercise for it"


@pytest.mark.parametrize("exercise_id", exercise_ids())
def test_each_exercise_evaluates_without_warnings_and_trains_the_rule_it_names(trainer, exercise_id) -> None:
    ex = trainer.get(exercise_id)
    det = trainer.determination(ex)
    assert det.warnings == []
    assert f"{current_version(trainer.engine).id}.{ex.topic}" in trainer.decided_rules(ex)


@pytest.mark.parametrize("exercise_id", exercise_ids())
def test_each_narrative_tells_the_date_of_the_conduct(trainer, exercise_id) -> None:
    ex = trainer.get(exercise_id)
    day = ex.facts.conducts[0].date
    assert f"{day.year}年{day.month}月{day.day}日" in ex.narrative.zh
    assert re.search(rf"\b{day.day} {MONTHS[day.month - 1]} {day.year}\b", " ".join(ex.narrative.en.split()))


def test_a_broken_exercise_file_is_reported_with_its_line(tmp_path) -> None:
    (tmp_path / "bad-one.yaml").write_text(
        "id: bad-one\ntopic: art7.item2\ndifficulty: 1\nnarrative: {zh: 故事, en: story}\n"
        "facts:\n  schema: liability-facts/1\n  case: {id: X}\n  person: {id: P}\n"
        "  conducts:\n    - {id: C1, date: 2025-01-01, act: forge_evidnce, fault: intentional}\n", encoding="utf-8")
    with pytest.raises(TrainingError) as err:
        Trainer(Engine.default(), tmp_path)
    problem = err.value.problems[0]
    assert problem.line == 10 and problem.suggestion == "forge_evidence"


# --- selecting and parsing --------------------------------------------------------------------------


def test_topic_prefixes_match_whole_segments(trainer) -> None:
    assert topic_matches("art8.item10", "art8") and topic_matches("art8.item10", "art8.item10")
    assert not topic_matches("art28.both_liable", "art2") and not topic_matches("art8.item10", "art8.item1")
    art2 = select(trainer.exercises, topic="art2")
    assert art2 and all(e.topic.startswith("art2.") for e in art2)
    assert select(trainer.exercises, topic="art8", count=3, seed=4) == select(trainer.exercises, topic="art8",
                                                                               count=3, seed=4)


@pytest.mark.parametrize("text, expected", [
    ("7", (7, None, None, False)), ("Art. 7(2)", (7, None, 2, True)), ("7(12)", (7, None, 12, True)),
    ("3 para. 2", (3, 2, None, True)), ("第七条第（十二）项", (7, None, 12, True)), ("第三条第二款", (3, 2, None, True)),
    ("第二十八条", (28, None, None, False)), ("0", (None, None, None, True)), ("无", (None, None, None, True)),
])
def test_provisions_are_read_in_either_language(text, expected) -> None:
    assert parse_provision(text) == expected


def test_findings_are_read_by_number_id_or_label(trainer) -> None:
    rb = trainer.rulebook
    assert parse_finding("2", rb, numbered=True) == rb.findings[1].id
    assert parse_finding("Gross negligence", rb) == "gross_negligence"
    assert parse_finding("司法瑕疵", rb) == "flaw"
    with pytest.raises(ValueError, match="did you mean 'intent'"):
        parse_finding("intnet", rb)


# --- grading, the key ---------------------------------------------------------------------------------


def _zh_provision(entry: dict) -> str:
    text = f"第{zh_number(entry['article'])}条"
    if entry.get("paragraph"):
        text += f"第{zh_number(entry['paragraph'])}款"
    if entry.get("item"):
        text += f"第（{zh_number(entry['item'])}）项"
    return text


def test_grading_is_exact_on_a_known_sheet(trainer, tmp_path) -> None:
    by_topic = {t: select(trainer.exercises, topic=t)[0].id for t in ("art7.item2", "art8.item9", "art9.item4",
                                                                      "art8.item4", "art3.para2")}
    key = trainer.key(trainer.get(i) for i in by_topic.values())
    a, b, c, d, e = (key[by_topic[t]] for t in ("art7.item2", "art8.item9", "art9.item4", "art8.item4", "art3.para2"))
    labels = {f.id: f.label.zh for f in trainer.rulebook.findings}
    sheet = {
        by_topic["art7.item2"]: a,                                                    # all right
        by_topic["art8.item9"]: {**b, "liable": not b["liable"]},                     # responsibility wrong
        by_topic["art9.item4"]: {**c, "item": c["item"] + 1},                         # item wrong
        by_topic["art8.item4"]: {"finding": labels[d["finding"]], "article": _zh_provision(d),
                                 "liable": "是" if d["liable"] else "否"},             # all right, in Chinese
        by_topic["art3.para2"]: {"finding": e["finding"], "article": e["article"],    # paragraph in the item slot
                                 "item": e["paragraph"], "liable": e["liable"]},
    }
    path = tmp_path / "sheet.yaml"
    path.write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    results = {r.exercise.id: r.parts for r in trainer.grade_sheet(parse_sheet(path, trainer.rulebook))}
    assert results == {
        by_topic["art7.item2"]: {"finding": True, "citation": True, "liable": True},
        by_topic["art8.item9"]: {"finding": True, "citation": True, "liable": False},
        by_topic["art9.item4"]: {"finding": True, "citation": False, "liable": True},
        by_topic["art8.item4"]: {"finding": True, "citation": True, "liable": True},
        by_topic["art3.para2"]: {"finding": True, "citation": True, "liable": True},
    }
    report_path = tmp_path / "report.json"
    proc = run_cli("train", "--answers", str(path), "--report", str(report_path), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "Score: 3/5 exercises fully correct (60%) · parts 13/15" in proc.stdout
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["score"]["correct"] == 3 and report["score"]["exercises"] == 5
    assert {r["exercise"]: r["parts"] for r in report["results"]} == results


def test_the_key_scores_full_marks_and_no_liability_everywhere_scores_below_half(tmp_path) -> None:
    proc = run_cli("train", "--key", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    key = json.loads(proc.stdout)
    assert key.pop("_key")["generated_by"] == "liability train --key"
    assert sorted(key) == exercise_ids()
    assert all(set(v) <= {"finding", "article", "paragraph", "item", "liable"} for v in key.values())
    sheet = tmp_path / "key.json"
    sheet.write_text(proc.stdout, encoding="utf-8")
    graded = run_cli("train", "--answers", str(sheet), "--format", "json")
    assert graded.returncode == 0, graded.stderr
    assert json.loads(graded.stdout)["score"]["percent"] == 100.0

    for entry in key.values():  # (the key's mark, popped above, would not match these answers anyway)
        entry["finding"] = "no_liability"
    sheet.write_text(json.dumps(key), encoding="utf-8")
    graded = run_cli("train", "--answers", str(sheet), "--format", "json")
    assert graded.returncode == 0, graded.stderr
    assert json.loads(graded.stdout)["score"]["percent"] < 50


def test_the_yaml_key_is_an_answer_sheet_too(tmp_path) -> None:
    proc = run_cli("train", "--key", "--topic", "art9")
    assert proc.returncode == 0, proc.stderr
    assert len(yaml.safe_load(proc.stdout)) == 1 + len(select(Trainer(Engine.default(), BANK).exercises, topic="art9"))
    (tmp_path / "key.yaml").write_text(proc.stdout, encoding="utf-8")
    graded = run_cli("train", "--answers", str(tmp_path / "key.yaml"), "--lang", "zh")
    assert graded.returncode == 0 and "(100%)" in graded.stdout


def test_an_allocation_answer_sheet_is_graded_from_the_command_line(tmp_path) -> None:
    """`train --topic allocation --answers`: the key scores full marks; a result written in Chinese or English words
    is read as its id."""
    key = run_cli("train", "--topic", "allocation", "--key")
    assert key.returncode == 0, key.stderr
    sheet = yaml.safe_load(key.stdout)
    (tmp_path / "key.yaml").write_text(key.stdout, encoding="utf-8")
    graded = run_cli("train", "--topic", "allocation", "--answers", str(tmp_path / "key.yaml"), "--format", "json")
    assert graded.returncode == 0, graded.stderr
    report = json.loads(graded.stdout)
    assert report["correct"] == report["total"] == sum(map(len, sheet.values())) > 0
    first, question = next((x, q) for x, answers in sheet.items() for q, r in answers.items() if r == "not_determined")
    words = {first: {question: "现有规则来源未作规定"}}
    (tmp_path / "words.yaml").write_text(yaml.safe_dump(words, allow_unicode=True), encoding="utf-8")
    graded = run_cli("train", "--topic", "allocation", "--answers", str(tmp_path / "words.yaml"), "--format", "json")
    assert graded.returncode == 0, graded.stderr
    rows = {row["question"]: row for row in json.loads(graded.stdout)["answers"]}
    assert rows[question] == {"exercise": first, "question": question, "given": "not_determined",
                              "expected": "not_determined", "correct": True}


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("art7-item2-forged-record: [unclosed\n", "invalid YAML"),
    ("art7-item2-forged-recrod: {finding: intent, article: 7, item: 2, liable: true}\n", "art7-item2-forged-record"),
    ("art7-item2-forged-record: {finding: intent, articel: 7, item: 2, liable: true}\n", "did you mean 'article'"),
    ("art7-item2-forged-record: {finding: guilty, article: 7, item: 2, liable: true}\n", "is not a finding"),
    ("art7-item2-forged-record: {finding: intent, article: 7, item: 2, liable: maybe}\n", "not yes or no"),
    ("- just a list\n", "expected an answer sheet"),
])
def test_a_bad_answer_sheet_exits_2_with_a_clear_message(tmp_path, content, message) -> None:
    path = tmp_path / "sheet.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    proc = run_cli("train", "--answers", str(path))
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_results_go_to_the_progress_file_and_stats_chart_them(tmp_path, _progress_file) -> None:
    key = run_cli("train", "--key", "--format", "json", "--topic", "art7")
    sheet = json.loads(key.stdout)
    sheet.pop("_key")  # a trainee's sheet, in the key's format
    first = sorted(sheet)[0]
    sheet[first]["finding"] = "flaw"
    (tmp_path / "s.json").write_text(json.dumps(sheet), encoding="utf-8")
    assert run_cli("train", "--answers", str(tmp_path / "s.json")).returncode == 0
    lines = [json.loads(x) for x in _progress_file.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(sheet) and {x["article"] for x in lines} == {7}
    assert [x["correct"] for x in lines].count(False) == 1
    stats = run_cli("train", "--stats", "--lang", "en")
    assert stats.returncode == 0, stats.stderr
    n = len(sheet)
    assert "Art. 7" in stats.stdout and f"{n - 1}/{n}" in stats.stdout and "█" in stats.stdout


def test_coverage_lists_every_rule_of_the_current_version(trainer) -> None:
    proc = run_cli("train", "--coverage", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    version = current_version(trainer.engine)
    for rule in [r.id for r in version.rules if not r.warns_only] + [t.id for t in version.temporal_rules]:
        assert rule in proc.stdout
    assert "art7-item2-forged-record" in proc.stdout


# --- near-miss variants -------------------------------------------------------------------------------


def _leaves(data, prefix=""):
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            out.update(_leaves(v, f"{prefix}{k}."))
        return out
    return {prefix.rstrip("."): data}


def _fact_leaves(ex) -> dict:
    facts = ex.facts.model_dump(mode="json", by_alias=True)
    conduct = facts["conducts"][0]
    conduct.pop("id"), conduct.pop("summary", None)
    return _leaves({"case": {"kind": facts["case"]["kind"]}, "person": facts["person"], "conduct": conduct})


def test_variants_are_deterministic_per_seed_and_change_exactly_one_decisive_fact(trainer) -> None:
    first = trainer.generate(trainer.exercises, 12, seed=7)
    again = Trainer(Engine.default(), BANK).generate(Trainer(Engine.default(), BANK).exercises, 12, seed=7)
    assert [v.id for v in first] == [v.id for v in again]
    assert [v.narrative for v in first] == [v.narrative for v in again]
    assert [v.id for v in trainer.generate(trainer.exercises, 12, seed=8)] != [v.id for v in first]
    assert len(first) == 12 and len({v.source_id for v in first}) == 12
    for variant in first:
        source = trainer.get(variant.source_id)
        a, b = _fact_leaves(source), _fact_leaves(variant)
        changed = [k for k in {**a, **b} if a.get(k) != b.get(k)]  # an accident that did not happen is left out
        assert len(changed) == 1, (variant.id, changed)
        assert changed[0].split(".", 1)[1] == variant.change.field
        assert trainer.is_decisive(source, variant)
        assert trainer.determination(variant).warnings == []
        assert variant.narrative.zh and variant.narrative.en and variant.teaching_note
        assert trainer.get(variant.id).facts == variant.facts  # the id alone names the variant


def test_a_variant_narrative_tells_the_changed_fact(trainer) -> None:
    source = trainer.get("art8-item9-leak-bad-influence")
    change = next(c for c in trainer.candidates(source) if c.field == "effects.bad_influence")
    variant = trainer.variant(source, change)
    assert trainer.expected(variant).liable is False and trainer.expected(source).liable is True
    assert "未造成恶劣影响" in variant.narrative.zh and "no bad influence" in variant.narrative.en


def test_every_value_a_rule_can_test_has_a_phrase(trainer) -> None:
    assert trainer.phrases.missing(trainer.tested_fields()) == []


def test_generated_exercises_round_trip_through_the_cli(tmp_path) -> None:
    args = ("train", "--generate", "6", "--seed", "11", "--key", "--format", "json")
    first, second = run_cli(*args), run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    key = json.loads(first.stdout)
    key.pop("_key")
    assert len(key) == 6 and all("~" in k for k in key)
    (tmp_path / "k.json").write_text(first.stdout, encoding="utf-8")
    graded = run_cli("train", "--answers", str(tmp_path / "k.json"), "--format", "json")
    assert json.loads(graded.stdout)["score"]["percent"] == 100.0
    out = tmp_path / "bank"
    assert run_cli("train", "--generate", "6", "--seed", "11", "--export", str(out)).returncode == 0
    exported = run_cli("train", "--bank", str(out), "--key", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    exported_key = json.loads(exported.stdout)
    assert exported_key.pop("_key") == json.loads(first.stdout)["_key"]
    assert exported_key == key


# --- the interactive session ----------------------------------------------------------------------------


def _spawn(*args: str, env_extra: dict | None = None):
    pexpect = pytest.importorskip("pexpect")
    cmd = cli_command()
    env = dict(os.environ, COLUMNS="160", LINES="50", TERM="dumb", NO_COLOR="1", LANG="C.UTF-8",
               PYTHONIOENCODING="utf-8", **(env_extra or {}))
    env.pop("LIABILITY_DEBUG", None)
    child = pexpect.spawn(cmd[0], [*cmd[1:], "train", *args], env=env, encoding="utf-8", timeout=90,
                          dimensions=(50, 160))
    return pexpect, child


def _answer(child, entry: dict, rb, style: int, *, wrong_liability: bool = False, asked: bool = False) -> None:
    if not asked:
        child.expect(r"\(number or name\)")
    child.expect("> ")
    if style == 0:
        child.sendline(str([f.id for f in rb.findings].index(entry["finding"]) + 1))
    else:
        child.sendline(rb.finding_label(entry["finding"], "en"))
    child.expect("Which article decides")
    child.expect("> ")
    sub = entry.get("paragraph") or entry.get("item")
    if entry["article"] is None:
        child.sendline("none")
    elif style == 0 and sub:
        child.sendline(f"Art. {entry['article']}({sub})")
    else:
        child.sendline(str(entry["article"]))
        child.expect("Which item or paragraph")
        child.expect("> ")
        child.sendline(str(sub or 0))
    child.expect("Does judicial responsibility attach")
    child.expect("> ")
    liable = entry["liable"] != wrong_liability
    child.sendline(("1" if liable else "2") if style == 0 else ("yes" if liable else "no"))


def test_a_three_exercise_session_in_a_terminal(trainer, _progress_file) -> None:
    pexpect, child = _spawn("--topic", "art8", "--count", "3", "--seed", "5", "--lang", "en")
    order = [e.id for e in select(trainer.exercises, topic="art8", count=3, seed=5)]  # the seed fixes it
    seen = []
    for n in range(3):
        child.expect(rf"Exercise {n + 1}/3 · difficulty [★☆]+ ")  # a neutral number, not the id
        child.expect(r"\(number or name\)")
        assert order[n] not in child.before  # neither in the header nor in the story
        ex_id = order[n]
        entry = trainer.key([trainer.get(ex_id)])[ex_id]
        _answer(child, entry, trainer.rulebook, style=n % 2, wrong_liability=(n == 2), asked=True)
        child.expect(rf"This exercise: (\S+) ·")  # the id, after the answer
        seen.append(child.match.group(1))
        child.expect("The correct determination")
    child.expect(r"Score: 2/3 exercises fully correct \(67%\) · parts 8/9")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in child.before
    assert seen == [e.id for e in select(trainer.exercises, topic="art8", count=3, seed=5)]
    assert len(_progress_file.read_text(encoding="utf-8").splitlines()) == 3


def test_ctrl_c_mid_session_prints_the_partial_score(trainer) -> None:
    pexpect, child = _spawn("--topic", "art7", "--count", "3", "--seed", "2", "--lang", "zh")
    child.expect(r"练习 1/3 · 难度")
    ex_id = [e.id for e in select(trainer.exercises, topic="art7", count=3, seed=2)][0]
    entry = trainer.key([trainer.get(ex_id)])[ex_id]
    child.expect("> ")
    child.sendline(entry["finding"])
    child.expect("> ")
    child.sendline(_zh_provision(entry) if entry["article"] else "无")
    child.expect("> ")
    child.sendline("是" if entry["liable"] else "否")
    child.expect(r"练习 2/3")
    child.expect("> ")
    child.sendintr()
    child.expect("部分得分")
    child.expect(r"得分: 1/1 道练习全部答对 \(100%\) · 小题 3/3 · 已作答 1/3")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus in (0, 130)
    assert "Traceback" not in child.before


# --- answer sheets: every problem at once, one bad answer rejected alone; who answered -------------------


def _key(tmp_path, topic: str = "art7") -> dict:
    proc = run_cli("train", "--key", "--format", "json", "--topic", topic)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_typo_rejects_that_answer_only_and_every_problem_is_reported_with_its_line(tmp_path, _progress_file) -> None:
    sheet = _key(tmp_path)
    sheet.pop("_key")
    first, second, third = sorted(sheet)[:3]
    sheet[first]["finding"] = "intnet"
    sheet[first]["liable"] = "maybe"
    sheet[second]["articel"] = 7
    sheet["art7-item2-forged-recrod"] = dict(sheet[third])
    path = tmp_path / "sheet.yaml"
    path.write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    proc = run_cli("train", "--answers", str(path), "--format", "json", "--lang", "en")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert {r["exercise"] for r in report["rejected"]} == {first, second, "art7-item2-forged-recrod"}
    assert report["score"]["exercises"] == len(sheet) - 3 and report["score"]["percent"] == 100.0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4  # all at once
    for fragment in ("'intnet' is not a finding", "'maybe' is not yes or no", "did you mean 'article'",
                     "did you mean 'art7-item2-forged-record'"):
        (line,) = [e for e in errors if fragment in e]
        number = int(line.split(":")[2])
        assert lines[number - 1].strip(), line  # the line it names is in the sheet
    assert f"{path}:{1 + lines.index(f'  finding: intnet')}:" in proc.stderr
    assert "3 of " in proc.stderr and "answers rejected" in proc.stderr
    recorded = [json.loads(x) for x in _progress_file.read_text(encoding="utf-8").splitlines()]
    assert len(recorded) == len(sheet) - 3  # the graded answers count


def test_progress_records_who_answered_and_stats_can_show_one_trainee(tmp_path, _progress_file) -> None:
    sheet = _key(tmp_path)
    sheet.pop("_key")
    path = tmp_path / "s.json"
    path.write_text(json.dumps(sheet), encoding="utf-8")
    assert run_cli("train", "--answers", str(path), "--trainee", "alice").returncode == 0
    assert run_cli("train", "--answers", str(path)).returncode == 0
    import getpass

    trainees = [json.loads(x)["trainee"] for x in _progress_file.read_text(encoding="utf-8").splitlines()]
    assert trainees == ["alice"] * len(sheet) + [getpass.getuser()] * len(sheet)
    alice = run_cli("train", "--stats", "--trainee", "alice", "--lang", "en")
    bob = run_cli("train", "--stats", "--trainee", "bob", "--lang", "en")
    assert f"{len(sheet)}/{len(sheet)}" in alice.stdout and "No training recorded" in bob.stdout


def test_grading_the_unchanged_key_goes_into_no_ones_statistics(tmp_path, _progress_file) -> None:
    path = tmp_path / "key.json"
    path.write_text(json.dumps(_key(tmp_path)), encoding="utf-8")
    proc = run_cli("train", "--answers", str(path), "--format", "json", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["answer_key"] is True
    assert "recorded in no one's progress" in proc.stderr
    assert not _progress_file.exists() or not _progress_file.read_text(encoding="utf-8").strip()
    changed = _key(tmp_path)
    changed[sorted(k for k in changed if k != "_key")[0]]["finding"] = "flaw"  # a sheet made from the key
    path.write_text(json.dumps(changed), encoding="utf-8")
    assert run_cli("train", "--answers", str(path)).returncode == 0
    assert _progress_file.read_text(encoding="utf-8").strip()
