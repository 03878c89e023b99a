"""What integrators and trainers rely on: located errors for JSON too, one error type (FactsError)
whatever the entry point, and messages in words for people (zh and en), never a parser's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from conftest import AS_OF, run_cli
from liability_engine import Engine, Facts, FactsError, parse_facts

GOOD = {"schema": "liability-facts/1", "case": {"id": "K"}, "person": {"id": "P"},
        "conducts": [{"id": "C1", "date": "2025-03-10", "act": "forge_evidence", "fault": "intentional"}]}
BAD = {**GOOD, "conducts": [{"id": "C1", "date": "2025-03-10", "act": "forged", "fault": None, "knowing": "yes"}]}


def test_json_facts_errors_carry_line_and_column_like_yaml(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(BAD, indent=2), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    proc = run_cli("evaluate", str(path), "--format", "json", "--as-of", AS_OF.isoformat())
    assert proc.returncode == 2
    problems = {p["field"]: p for p in json.loads(proc.stdout)["problems"]}
    act = problems["conducts[0].act"]
    assert lines[act["line"] - 1][act["column"] - 1:].startswith('"act"')
    assert f"{path}:{act['line']}:{act['column']}: conducts[0].act: unknown value 'forged'" in proc.stderr
    knowing = problems["conducts[0].knowing"]
    assert lines[knowing["line"] - 1][knowing["column"] - 1:].startswith('"knowing"')


def test_engine_evaluate_takes_a_dict_or_a_model() -> None:
    engine = Engine.default()
    from_dict = engine.evaluate(GOOD, as_of=AS_OF)
    from_model = engine.evaluate(parse_facts(GOOD), as_of=AS_OF)
    assert from_dict == from_model and from_dict.overall.finding == "intent"
    assert engine.explain(GOOD, as_of=AS_OF).conducts[0].what_would_change is not None


@pytest.mark.parametrize("entry", ["evaluate", "explain", "parse_facts"])
def test_bad_input_raises_facts_error_with_problems_whatever_the_entry_point(entry: str) -> None:
    engine = Engine.default()
    call = {"evaluate": lambda d: engine.evaluate(d, as_of=AS_OF), "explain": lambda d: engine.explain(d, as_of=AS_OF),
            "parse_facts": parse_facts}[entry]
    with pytest.raises(FactsError) as caught:
        call(BAD)
    fields = {p.field for p in caught.value.problems}
    assert {"conducts[0].act", "conducts[0].fault", "conducts[0].knowing"} <= fields
    with pytest.raises(FactsError, match="expected a liability-facts/1 document|YAML or JSON text"):
        call(42)


def test_a_path_given_as_facts_is_told_to_use_load_facts() -> None:
    with pytest.raises(FactsError, match="load_facts"):
        Engine.default().evaluate("case.yaml", as_of=AS_OF)  # type: ignore[arg-type]


def test_facts_model_validate_keeps_pydantic_semantics_and_parse_facts_is_the_validating_constructor() -> None:
    with pytest.raises(ValidationError):
        Facts.model_validate(BAD)
    assert "parse_facts" in (Facts.__doc__ or "")
    assert parse_facts(GOOD).conducts[0].act.value == "forge_evidence"


RAW_PYDANTIC = ("Field required", "Input should be", "got None", "List should have", "Value should have")


@pytest.mark.parametrize("text, field, en, zh", [
    ("case: null\nperson: {id: P}\nconducts: [{id: C1, date: 2025-01-01, act: torture}]\n", "case",
     "expected a mapping of fields (key: value), found nothing", "此处应为字段映射"),
    ("case: {id: X}\nperson: {id: P}\nconducts: []\n", "conducts", "needs at least one conduct", "至少需要一项行为"),
    ("case: {id: X}\nperson: {id: P}\nconducts: [{id: C1, date: 2025-01-01, act: torture, outcome_change: {}}]\n",
     "conducts[0].outcome_change.kind", "required field is missing", "缺少必填字段"),
    ("case: {id: X}\nperson: {id: P}\nconducts: [{id: C1, date: 2025-01-01, act: torture, fault: null}]\n",
     "conducts[0].fault", "no value given", "未给出取值"),
    ("case: {id: ''}\nperson: {id: P}\nconducts: [{id: C1, date: 2025-01-01, act: torture}]\n", "case.id",
     "must not be empty", "不能为空"),
    ("case: {id: X, summary: [1]}\nperson: {id: P}\nconducts: [{id: C1, date: 2025-01-01, act: torture}]\n",
     "case.summary", "expected text, found a list", "此处应为文本"),
])
def test_validation_messages_are_in_words_for_people_in_both_languages(text, field, en, zh) -> None:
    with pytest.raises(FactsError) as caught:
        parse_facts("schema: liability-facts/1\n" + text, "f.yaml")
    (problem,) = [p for p in caught.value.problems if p.field == field]
    assert en in problem.message and zh in problem.message.zh
    assert not any(raw in problem.message for raw in RAW_PYDANTIC)


def test_a_tab_in_yaml_is_named_as_a_tab_and_the_message_follows_the_language(tmp_path: Path) -> None:
    path = tmp_path / "tab.yaml"
    path.write_text("schema: liability-facts/1\ncase: {id: X}\nperson:\n\tid: P\n", encoding="utf-8")
    en = run_cli("evaluate", str(path), "--lang", "en")
    assert en.returncode == 2
    assert f"{path}:4:1: a tab character: YAML indents with spaces only" in en.stderr
    assert "cannot start any token" not in en.stderr
    zh = run_cli("evaluate", str(path), "--lang", "zh")  # the locale (C.UTF-8) is English: --lang decides
    assert f"{path}:4:1: 制表符：YAML 只能用空格缩进" in zh.stderr


def test_jsonl_error_lines_on_stderr_stay_on_one_line_at_80_columns(tmp_path: Path) -> None:
    import os
    import subprocess

    from conftest import cli_command

    bad = json.dumps({**GOOD, "conducts": [{"id": "C1", "date": "2025-03-10", "act": "a_very_long_unknown_act_name",
                                            "fault": "intentional"}]})
    batch = tmp_path / "in.jsonl"
    batch.write_text(json.dumps(GOOD) + "\n" + bad + "\n", encoding="utf-8")
    proc = subprocess.run([*cli_command(), "evaluate", "--jsonl", str(batch), "--as-of", AS_OF.isoformat()],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ, COLUMNS="80", LANG="C.UTF-8"))
    assert proc.returncode == 2
    (line,) = [x for x in proc.stderr.splitlines() if "a_very_long_unknown_act_name" in x]
    assert line.startswith(f"error: {batch}:2:") and line.endswith("more)") and len(line) > 80
