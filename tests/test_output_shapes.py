"""One output shape per format (docs/errors.md): one input file → one JSON document; a folder, several
files or --jsonl → JSON Lines, one record per input, a liability-error/1 record in place of an invalid
one, always. --format markdown only where markdown is produced."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT, run_cli
from liability_engine.error_record import ErrorRecord
from liability_engine.authoring.schemas import json_schema

GOOD = ROOT / "facts" / "forged-interrogation-record.yaml"
BAD_TEXT = "schema: liability-facts/1\ncase: {id: X}\nperson: {id: P}\nconducts: [{id: C1, date: 2025-01-01, act: forged}]\n"


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_TEXT, encoding="utf-8")
    return path


def evaluate(*args: str):
    return run_cli("evaluate", *args, "--format", "json", "--as-of", AS_OF.isoformat())


def lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_one_valid_file_gives_one_json_document() -> None:
    proc = evaluate(str(GOOD))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["schema"] == "liability-determination/1"
    assert len(proc.stdout.splitlines()) > 1  # one (indented) document, not a JSON line


def test_one_invalid_file_gives_one_error_document_and_exit_2(bad: Path) -> None:
    proc = evaluate(str(bad))
    assert proc.returncode == 2
    record = json.loads(proc.stdout)
    ErrorRecord.model_validate(record)
    assert record["schema"] == "liability-error/1" and record["source"] == str(bad)
    (problem,) = record["problems"]
    assert (problem["field"], problem["line"], problem["suggestion"]) == ("conducts[0].act", 4, "forge_evidence")
    assert "conducts[0].act" in proc.stderr  # and told on stderr too


def test_a_folder_gives_json_lines_even_with_one_file(tmp_path: Path) -> None:
    folder = tmp_path / "docket"
    folder.mkdir()
    shutil.copy(GOOD, folder / "one.yaml")
    proc = evaluate(str(folder))
    assert proc.returncode == 0, proc.stderr
    (record,) = lines(proc.stdout)
    assert record["schema"] == "liability-determination/1"


def test_several_files_give_one_line_each_with_the_error_record_in_place(bad: Path) -> None:
    proc = evaluate(str(GOOD), str(bad), str(GOOD))
    assert proc.returncode == 2
    records = lines(proc.stdout)
    assert [r["schema"] for r in records] == ["liability-determination/1", "liability-error/1",
                                              "liability-determination/1"]
    ErrorRecord.model_validate(records[1])


def test_a_folder_with_an_invalid_file_alone_still_gives_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "docket"
    folder.mkdir()
    (folder / "bad.yaml").write_text(BAD_TEXT, encoding="utf-8")
    proc = evaluate(str(folder))
    assert proc.returncode == 2
    (record,) = lines(proc.stdout)
    assert record["schema"] == "liability-error/1" and record["source"].endswith("bad.yaml")


def test_jsonl_gives_an_error_record_in_place_of_a_bad_line(tmp_path: Path) -> None:
    good = json.dumps({"schema": "liability-facts/1", "case": {"id": "K"}, "person": {"id": "P"},
                       "conducts": [{"id": "C1", "date": "2025-03-10", "act": "forge_evidence", "fault": "intentional"}]})
    batch = tmp_path / "in.jsonl"
    batch.write_text(good + "\n{not json\n" + good + "\n", encoding="utf-8")
    proc = run_cli("evaluate", "--jsonl", str(batch), "--as-of", AS_OF.isoformat())
    assert proc.returncode == 2
    records = lines(proc.stdout)
    assert [r["schema"] for r in records] == ["liability-determination/1", "liability-error/1",
                                              "liability-determination/1"]
    assert records[1]["line"] == 2
    ErrorRecord.model_validate(records[1])


def test_explain_json_of_an_invalid_file_is_the_error_document(bad: Path) -> None:
    proc = run_cli("explain", str(bad), "--format", "json")
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["schema"] == "liability-error/1"


def test_the_error_contract_has_a_schema_command_a_shipped_file_and_docs() -> None:
    proc = run_cli("schema", "error")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == json_schema("error")
    assert json.loads((ROOT / "schemas" / "error.schema.json").read_text(encoding="utf-8")) == json_schema("error")
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    schema = json_schema("error")
    for definition in [schema, *schema["$defs"].values()]:
        for name in definition["properties"]:
            assert re.search(rf"`(?:problems\[\]\.)?{name}`|, `{name}`", doc), f"docs/errors.md lacks `{name}`"


@pytest.mark.parametrize("lang, title, head", [("en", "## Encoded versions", "| version | title |"),
                                               ("zh", "## 已编码的版本", "| 版本 | 名称 |")])
def test_versions_markdown_is_a_markdown_table(lang: str, title: str, head: str) -> None:
    proc = run_cli("versions", "--format", "markdown", "--lang", lang)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith(title + "\n") and head in out
    assert re.search(r"^\| 2024 \| .* \| (yes|是|有) \|$", out, re.M)
    assert "┃" not in out and "│" not in out  # not the terminal table


@pytest.mark.parametrize("lang, title", [("en", "## Where 2020 and 2024 differ"), ("zh", "## 2020 年版本与 2024 年版本的差异")])
def test_versions_diff_markdown_is_a_markdown_table(lang: str, title: str) -> None:
    proc = run_cli("versions", "diff", "2020", "2024", str(ROOT / "facts"), "--format", "markdown", "--lang", lang)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(title)
    assert "| 2020: 2020.supervisory<br>2024: 2024.art2.supervision_outside |" in proc.stdout
