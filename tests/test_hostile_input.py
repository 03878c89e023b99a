"""Hostile facts files: the engine refuses each with exit 2 and one located message, never a
traceback, a hang or code run from the input (SPEC §3 exit statuses, §7 "Safe").

The corpus is in tests/hostile/facts/; the big ones (20,000-deep nesting, over the size limit)
are generated into tmp_path. Each file runs through the installed CLI as a user runs it, and
through the library (`load_facts` + `Engine.evaluate`), which must raise FactsError and nothing else.
A batch that mixes good and bad files loses no result.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT, run_cli
from liability_engine import FactsError, load_facts

HOSTILE = Path(__file__).resolve().parent / "hostile" / "facts"
PWNED = Path("/tmp/liability-engine-pwned")  # what python-object-tag.yaml would create if it ran
SECONDS = 10  # "within a few seconds": the CLI starts in about 1.5 s on the dev VM

# file -> (exit status, where, what): `where` is the location printed before the message
# ("file:line:column", as precise as the input allows), `what` names the field and the problem.
CORPUS: dict[str, tuple[int, str, str]] = {
    "malformed.yaml": (2, "malformed.yaml:3:7:", "invalid YAML: a bracket is not closed, or a comma is missing"),
    # Python's json module words (and places) a trailing comma differently across versions (3.13: at the comma)
    "malformed.json": (2, "malformed.json:3:", "invalid JSON: "),
    "empty.yaml": (2, "empty.yaml:", "is empty: expected a YAML or JSON document"),
    "blank.json": (2, "blank.json:", "is empty: expected a YAML or JSON document"),
    "non-utf8.yaml": (2, "non-utf8.yaml:6:", "is not UTF-8 text (byte 0xd5 at offset 80)"),
    "nul-byte.yaml": (2, "nul-byte.yaml:4:", "contains a NUL byte"),
    "python-object-tag.yaml": (2, "python-object-tag.yaml:4:7:",
                               "case.id: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    "alias-bomb.yaml": (2, "alias-bomb.yaml:2:4:", "YAML anchors (&name) are not allowed"),
    "multiple-documents.yaml": (2, "multiple-documents.yaml:3:1:", "invalid YAML: another document follows ---"),
    "top-level-list.json": (2, "top-level-list.json:1:",
                            "expected a mapping with schema, case, person and conducts; got a list"),
    "wrong-schema.yaml": (2, "wrong-schema.yaml:1:1:", "schema: unsupported schema 'liability-facts/3'"),
    "wrong-types.yaml": (2, "wrong-types.yaml:11:5:", "conducts[0].knowing: expected true, false or unknown, found the text 'yes'"),
    "conducts-not-a-list.yaml": (2, "conducts-not-a-list.yaml:6:1:", "conducts: expected a list (- item per line), found a mapping"),
    "date-not-a-date.yaml": (2, "date-not-a-date.yaml:8:11:",
                             "conducts[0].date: '2023-13-45' is not a date that exists (write it YYYY-MM-DD)"),
    "date-and-time.yaml": (2, "date-and-time.yaml:8:5:",
                           "conducts[0].date: expected a calendar date (YYYY-MM-DD), not a date and time"),
    "unknown-field.yaml": (2, "unknown-field.yaml:10:5:", "conducts[0].fualt: unknown field 'fualt'"),
    "unknown-enum.yaml": (2, "unknown-enum.yaml:10:5:", "conducts[0].fault: unknown value 'intentionall'"),
    "unknown-act.yaml": (2, "unknown-act.yaml:9:5:", "conducts[0].act: unknown value 'forge_evidense'"),
    "missing-required.yaml": (2, "missing-required.yaml:2:1:", "case.id: required field is missing"),
    "no-conducts.yaml": (2, "no-conducts.yaml:6:1:", "conducts: needs at least one conduct"),
    "duplicate-conduct-ids.yaml": (2, "duplicate-conduct-ids.yaml:11:5:",
                                   "conducts[1].id: duplicate conduct id 'C1' (also conducts[0])"),
    "duplicate-keys.yaml": (2, "duplicate-keys.yaml:11:5:", "conducts[0].fault: duplicate key 'fault'"),
    "duplicate-keys.json": (2, "duplicate-keys.json:", "duplicate key 'id'"),
    "future-date.yaml": (2, "future-date.yaml:8:5:",
                         "conducts[0].date: the conduct is dated 2999-01-01, after the evaluation date"),
    "huge-number.yaml": (2, "huge-number.yaml:3:7:", "is not a valid number (too many digits, or unreadable)"),
    "huge-number.json": (2, "huge-number.json:1:81:", "invalid JSON: a number of more than 4,300 digits cannot be read"),
    "lone-surrogate.json": (2, "lone-surrogate.json:",
                            "case.summary: invalid JSON: a \\u escape makes a lone UTF-16 surrogate"),
}
# Suggestions ("did you mean") that must come with the message.
SUGGESTIONS = {
    "unknown-field.yaml": "did you mean 'fault'?",
    "unknown-enum.yaml": "did you mean 'intentional'?",
    "unknown-act.yaml": "did you mean 'forge_evidence'?",
    "wrong-schema.yaml": "allowed: liability-facts/1",
}


def flat(text: str) -> str:
    """The terminal may wrap long messages: compare with whitespace collapsed."""
    return " ".join(text.split())


def assert_refused(proc, where: str, what: str, started: float, status: int = 2) -> None:
    elapsed = time.monotonic() - started
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == status, (proc.returncode, proc.stderr)
    err = flat(proc.stderr)
    assert flat(where) in err, err[:3000]
    assert flat(what) in err, err[:3000]
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"


def test_the_corpus_is_complete() -> None:
    files = {p.name for p in HOSTILE.iterdir()}
    assert files == set(CORPUS), "every file in tests/hostile/facts needs a row in CORPUS (and vice versa)"


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_is_refused_by_the_cli(name: str) -> None:
    status, where, what = CORPUS[name]
    PWNED.unlink(missing_ok=True)
    started = time.monotonic()
    proc = run_cli("evaluate", str(HOSTILE / name), "--format", "json", timeout=60)
    assert_refused(proc, where, what, started, status)
    record = json.loads(proc.stdout)  # one input, one JSON document: the error record in place of a determination
    assert record["schema"] == "liability-error/1" and record["source"] == str(HOSTILE / name)
    assert record["problems"] and all(p["message"] for p in record["problems"])
    if name in SUGGESTIONS:
        assert SUGGESTIONS[name] in flat(proc.stderr)
    assert not PWNED.exists(), "a YAML tag ran code"


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_raises_facts_error_in_the_library(name: str, engine) -> None:
    """Through the library the same files raise FactsError (a ValueError), with where and what."""
    _, where, what = CORPUS[name]
    PWNED.unlink(missing_ok=True)
    with pytest.raises(FactsError) as info:
        engine.evaluate(load_facts(HOSTILE / name), as_of=None if name == "future-date.yaml" else AS_OF)
    text = flat(str(info.value))
    assert flat(what) in text
    problem = info.value.problems[0]
    assert problem.path and problem.path.endswith(name)
    line = where.split(":")[1]
    if line:
        assert problem.line == int(line)
    assert not PWNED.exists()


def test_the_python_tag_did_not_run() -> None:
    """The file names a command; even loaded every possible way, it never runs."""
    PWNED.unlink(missing_ok=True)
    from liability_engine import parse_facts

    raw = (HOSTILE / "python-object-tag.yaml").read_bytes()
    for attempt in (lambda: load_facts(HOSTILE / "python-object-tag.yaml"),
                    lambda: parse_facts(raw, "x.yaml"), lambda: parse_facts(raw.decode(), "x.json")):
        with pytest.raises(FactsError):
            attempt()
    assert not PWNED.exists()


# --- generated: too deep, too big, not a file --------------------------------------------------


DEEP = 20_000


def generated(tmp_path: Path) -> dict[str, tuple[Path, str, str]]:
    """name -> (path, where, what) for inputs too big to commit."""
    flow_yaml = tmp_path / "deep-flow.yaml"
    flow_yaml.write_text("schema: liability-facts/1\ncase: " + "[" * DEEP + "]" * DEEP + "\n")
    mapping_yaml = tmp_path / "deep-mapping.yaml"  # block style, inside libyaml's own limit of 1,000
    mapping_yaml.write_text("".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v: 1\n")
    deep_json = tmp_path / "deep.json"
    deep_json.write_text('{"schema": "liability-facts/1", "case": ' + "[" * DEEP + "]" * DEEP + "}")
    dict_json = tmp_path / "deep-dict.json"
    dict_json.write_text('{"a": ' * 100 + "1" + "}" * 100)
    return {
        "deep-flow.yaml": (flow_yaml, "deep-flow.yaml:2:", "nesting"),
        "deep-mapping.yaml": (mapping_yaml, "deep-mapping.yaml:65:", "nesting is too deep (more than 64 levels)"),
        "deep.json": (deep_json, "deep.json:", "nesting is too deep (more than 64 levels)"),
        "deep-dict.json": (dict_json, "deep-dict.json:", "nesting is too deep (more than 64 levels)"),
    }


@pytest.mark.parametrize("name", ["deep-flow.yaml", "deep-mapping.yaml", "deep.json", "deep-dict.json"])
def test_deep_nesting_is_refused(name: str, tmp_path: Path) -> None:
    path, where, what = generated(tmp_path)[name]
    started = time.monotonic()
    assert_refused(run_cli("evaluate", str(path), "--format", "json", timeout=60), where, what, started)
    with pytest.raises(FactsError, match="nesting"):
        load_facts(path)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_document_of_too_many_values_is_refused_quickly(suffix: str, tmp_path: Path) -> None:
    """10 MB of tiny values is under the size limit but would take minutes and gigabytes to build."""
    from liability_engine.facts.documents import MAX_VALUES

    path = tmp_path / f"many{suffix}"
    items = ",".join(["1"] * (MAX_VALUES + 1))
    if suffix == ".yaml":
        path.write_text(f"schema: liability-facts/1\ncase:\n  id: X\n  extra: [{items}]\n")
    else:
        path.write_text(f'{{"schema": "liability-facts/1", "case": {{"id": "X", "extra": [{items}]}}}}')
    started = time.monotonic()
    proc = run_cli("evaluate", str(path), "--format", "json", timeout=60)
    assert_refused(proc, f"many{suffix}:", f"holds more than {MAX_VALUES:,} values", started)


def test_a_file_with_thousands_of_problems_reports_the_first_hundred(tmp_path: Path) -> None:
    path = tmp_path / "many-problems.yaml"
    extra = "".join(f"  extra{i}: 1\n" for i in range(5000))
    path.write_text(valid_facts().replace("person:\n", extra + "person:\n", 1), encoding="utf-8")
    with pytest.raises(FactsError) as info:
        load_facts(path)
    assert len(info.value.problems) == 101
    assert info.value.problems[-1].message == "... and 4,900 more problems (only the first 100 are shown)"
    started = time.monotonic()
    proc = run_cli("evaluate", str(path), timeout=60)
    assert_refused(proc, "many-problems.yaml:5:3:", "case.extra0: unknown field 'extra0'", started)
    assert proc.stderr.count("unknown field") == 100


def valid_facts(case_id: str = "2023-A-0421", summary: str = "x", date: str = "2025-03-10") -> str:
    return (f'schema: liability-facts/1\ncase:\n  id: "{case_id}"\n  summary: "{summary}"\nperson:\n  id: P-17\n'
            f"conducts:\n  - id: C1\n    date: {date}\n    act: forge_evidence\n    fault: intentional\n")


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIABILITY_MAX_BYTES", "1000")
    small, big = tmp_path / "small.yaml", tmp_path / "big.yaml"
    small.write_text(valid_facts(), encoding="utf-8")
    big.write_text(valid_facts(summary="长" * 1000), encoding="utf-8")
    started = time.monotonic()
    proc = run_cli("evaluate", str(big), "--format", "json", timeout=60)
    assert_refused(proc, "big.yaml:", "over the limit of 1,000 bytes", started)
    assert "LIABILITY_MAX_BYTES" in proc.stderr  # says how to raise it
    # the same through stdin, which is read no further than the limit
    started = time.monotonic()
    proc = run_cli("evaluate", "-", "--format", "json", stdin=big.read_text(encoding="utf-8"), timeout=60)
    assert_refused(proc, "<stdin>:", "over the limit of 1,000 bytes", started)
    # and a file under the limit still evaluates
    ok = run_cli("evaluate", str(small), "--format", "json", "--as-of", AS_OF.isoformat(), timeout=60)
    assert ok.returncode == 0, ok.stderr
    with pytest.raises(FactsError, match="over the limit"):
        load_facts(big)


def test_the_default_limit_is_ten_megabytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIABILITY_MAX_BYTES", raising=False)
    from liability_engine.facts.documents import DEFAULT_MAX_BYTES, max_bytes

    assert DEFAULT_MAX_BYTES == max_bytes() == 10 * 1024 * 1024
    big = tmp_path / "big.yaml"
    with big.open("w", encoding="utf-8") as handle:  # sparse would do, but keep it a real text file
        handle.write(valid_facts())
        handle.write("# " + "x" * (DEFAULT_MAX_BYTES + 10) + "\n")
    with pytest.raises(FactsError, match="over the limit of 10,485,760 bytes"):
        load_facts(big)


def test_a_directory_and_a_missing_path_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    missing = tmp_path / "no-such-file.yaml"
    started = time.monotonic()
    proc = run_cli("evaluate", str(empty), "--format", "json", timeout=60)
    assert_refused(proc, "empty-folder:", "no facts files (*.yaml, *.yml, *.json) in this folder", started)
    started = time.monotonic()
    proc = run_cli("evaluate", str(missing), "--format", "json", timeout=60)
    assert_refused(proc, "no-such-file.yaml:", "no such file", started)
    with pytest.raises(FactsError, match="is a directory"):
        load_facts(empty)
    with pytest.raises(FactsError, match="no such file"):
        load_facts(missing)


@pytest.mark.parametrize("text, what", [
    ("a: 0b_\n", "'0b_' is not a valid number"),
    ("a: 0000-01-01\n", "'0000-01-01' is not a date that exists (write it YYYY-MM-DD)"),
    ("a: 2023-02-30\n", "'2023-02-30' is not a date that exists (write it YYYY-MM-DD)"),
    ("a: &x 1\nb: *x\n", "YAML anchors (&name) are not allowed"),
    ("a: *x\n", "YAML aliases (*name) are not allowed"),
    ("a: !!binary aGVsbG8=\n", "YAML tag 'tag:yaml.org,2002:binary' is not allowed"),
    ("a: !!python/name:os.system\n", "YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"),
    ("? [1, 2]\n: 3\n", "mapping keys must be plain text"),
    ("a: \"\\ud800\"\n", "invalid YAML"),
])
def test_yaml_values_that_cannot_be_built_are_located(text: str, what: str) -> None:
    """Scalars PyYAML would choke on (a ValueError, not a YAML error) are refused where they stand."""
    from liability_engine import parse_facts

    with pytest.raises(FactsError) as info:
        parse_facts(text, "t.yaml")
    assert what in str(info.value)
    assert info.value.problems[0].line is not None


# --- a batch never loses a result --------------------------------------------------------------


def test_a_batch_with_bad_files_prints_every_good_result(tmp_path: Path) -> None:
    """Several files, bad ones mixed in: one JSON line per file, in order, error records for the bad."""
    good = [ROOT / "facts" / "forged-interrogation-record.yaml", ROOT / "facts" / "careless-leak.yaml",
            ROOT / "facts" / "two-conducts.yaml"]
    bad = [HOSTILE / "alias-bomb.yaml", HOSTILE / "non-utf8.yaml", HOSTILE / "future-date.yaml",
           HOSTILE / "unknown-enum.yaml", tmp_path / "missing.yaml"]
    order = [good[0], bad[0], bad[1], good[1], bad[2], bad[3], good[2], bad[4]]
    started = time.monotonic()
    proc = run_cli("evaluate", *map(str, order), "--format", "json", "--as-of", AS_OF.isoformat(), timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == len(order), proc.stdout
    for path, record in zip(order, lines):
        if path in good:
            assert record["schema"] == "liability-determination/1"
            single = run_cli("evaluate", str(path), "--format", "json", "--as-of", AS_OF.isoformat())
            assert record == json.loads(single.stdout), "a batch result differs from the same file alone"
        else:
            assert record["schema"] == "liability-error/1"
            assert record["source"] == str(path)
            assert record["problems"] and record["problems"][0]["message"]
    for path in bad:  # and each problem is told on stderr too
        assert str(path) in flat(proc.stderr)
    assert time.monotonic() - started < 60


def test_a_folder_with_bad_files_still_evaluates_the_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for sample in ("forged-interrogation-record.yaml", "acquittal-new-evidence.yaml"):
        (folder / sample).write_bytes((ROOT / "facts" / sample).read_bytes())
    for name in ("alias-bomb.yaml", "malformed.json", "nul-byte.yaml"):
        (folder / name).write_bytes((HOSTILE / name).read_bytes())
    proc = run_cli("evaluate", str(folder), "--format", "json", "--as-of", AS_OF.isoformat(), timeout=120)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    kinds = sorted(line["schema"] for line in lines)
    assert kinds == ["liability-determination/1"] * 2 + ["liability-error/1"] * 3
    assert sorted(line["case_id"] for line in lines if "case_id" in line) == ["2024-X-0533", "2025-X-0107"]


def test_an_environment_limit_that_is_not_a_number_falls_back_to_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from liability_engine.facts.documents import DEFAULT_MAX_BYTES, max_bytes

    monkeypatch.setenv("LIABILITY_MAX_BYTES", "ten megabytes")
    assert max_bytes() == DEFAULT_MAX_BYTES
    assert os.environ["LIABILITY_MAX_BYTES"] == "ten megabytes"


# --- text that looks like markup or terminal control ------------------------------------------


def facts_with(conduct_id: str = "C1", case_id: str = "K-1", summary: str = "x") -> str:
    return json.dumps({"schema": "liability-facts/1", "case": {"id": case_id, "summary": summary},
                       "person": {"id": "P-1"},
                       "conducts": [{"id": conduct_id, "date": "2025-03-10", "act": "forge_evidence",
                                     "fault": "intentional", "summary": summary}]}, ensure_ascii=False)


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_markup_like_ids_are_printed_as_given(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / "markup.json"
    path.write_text(facts_with(conduct_id="[/i]", case_id="[bold]K[/bold]", summary="[/] [red]x"), encoding="utf-8")
    proc = run_cli("evaluate", str(path), "--format", fmt, "--as-of", AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr
    assert "[/i]" in proc.stdout and "[bold]K[/bold]" in proc.stdout


def test_a_markup_like_conduct_id_does_not_crash_the_text_report(tmp_path: Path) -> None:
    bad = tmp_path / "b-markup.json"
    bad.write_text(facts_with(conduct_id="[/i]"), encoding="utf-8")
    good = [tmp_path / "a-good.json", tmp_path / "c-good.json"]
    for i, path in enumerate(good):
        path.write_text(facts_with(case_id=f"GOOD-{i}"), encoding="utf-8")
    proc = run_cli("evaluate", str(good[0]), str(bad), str(good[1]), "--as-of", AS_OF.isoformat())
    assert "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert "[/i]" in proc.stdout and "GOOD-0" in proc.stdout and "GOOD-1" in proc.stdout


@pytest.mark.parametrize("command", ["evaluate", "explain"])
def test_terminal_control_characters_from_the_input_are_not_printed_raw(command: str, tmp_path: Path) -> None:
    path = tmp_path / "escape.json"
    path.write_text(facts_with(case_id="K\x1b[2J", summary="\x1b]0;owned\x07 \x1b[31mred"), encoding="utf-8")
    proc = run_cli(command, str(path), "--as-of", AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout


# JSON is parsed once without a hook; it is parsed again to name a repeated key only when the mappings hold fewer
# keys than the text has colons. A colon inside a string must neither hide a repeated key nor invent one.
@pytest.mark.parametrize("summary, repeated", [
    ("at 10:30, in room 3", None),              # a colon in a string, no repeated key
    ("ratio 1:2:3", "fault"),                   # colons in a string and a repeated key
    ("no colon here", "fault"),                 # a repeated key, nothing else
    ("no colon here", "kind"),                  # a repeated key in a nested mapping
])
def test_a_repeated_json_key_is_named_whatever_colons_the_strings_hold(summary: str, repeated: str | None) -> None:
    from liability_engine import parse_facts

    text = json.dumps(load_facts(ROOT / "facts" / "forged-interrogation-record.yaml").model_dump(
        mode="json", by_alias=True), ensure_ascii=False)
    text = text.replace('"summary": "伪造讯问笔录并附卷。"', f'"summary": "{summary}"')
    if repeated == "fault":
        text = text.replace('"fault": "intentional"', '"fault": "gross", "fault": "intentional"')
    elif repeated == "kind":
        text = text.replace('"kind": "criminal"', '"kind": "civil", "kind": "criminal"')
    if repeated is None:
        facts = parse_facts(text, "body.json")
        assert facts.conducts[0].summary == summary
        return
    with pytest.raises(FactsError) as caught:
        parse_facts(text, "body.json")
    assert f"duplicate key '{repeated}'" in str(caught.value)


def test_a_repeated_key_in_a_text_too_deep_is_refused_for_its_depth() -> None:
    from liability_engine import parse_facts

    deep = '{"a": 1, "a": ' + "[" * 900 + "]" * 900 + "}"
    with pytest.raises(FactsError) as caught:
        parse_facts(deep, "deep.json")
    assert "nesting is too deep" in str(caught.value)
