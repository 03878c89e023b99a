"""`liability evaluate --jsonl` (batch/run.py): order, error records in place, --jobs, exit statuses, bounded reading.

No timing assertions: speed is measured by benchmarks/, never tested here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from conftest import AS_OF, run_cli

from liability_engine.batch import run as batch

GOOD = [
    ("C-1", "forge_evidence", "intentional", {}),
    ("C-2", "leak_case_information", "gross", {"bad_influence": True}),
    ("C-3", "document_defect", "ordinary", {"conclusion_affected": False}),
    ("C-4", "misapply_law", "unknown", {}),
    ("C-5", "omitted_suspect", "gross", {}),
]


def doc(case_id: str, act: str = "forge_evidence", fault: str = "intentional", effects: dict | None = None,
        date: str = "2025-03-10", conducts: int = 1) -> str:
    data = {"schema": "liability-facts/1", "case": {"id": case_id, "kind": "criminal"},
            "person": {"id": "P-1", "role": "procurator", "status": "serving"},
            "conducts": [{"id": f"K{i + 1}", "date": date, "act": act, "fault": fault, "effects": effects or {}}
                         for i in range(conducts)]}
    return json.dumps(data, ensure_ascii=False)


# line -> what it is; None marks a line that must yield an error record
LINES: list[tuple[str, str | None]] = [
    (doc("C-1"), "C-1"),
    ("{\"schema\": \"liability-facts/1\", \"case\": {", None),  # truncated JSON
    (doc("C-2", "leak_case_information", "gross", {"bad_influence": True}), "C-2"),
    (doc("C-3", "forge_evidense"), None),  # misspelt act
    ("", None),  # blank line
    (doc("C-4", "document_defect", "ordinary", {"conclusion_affected": False}, conducts=2), "C-4"),
    ("[1, 2, 3]", None),  # not a mapping
    (doc("C-5", date="2030-01-01"), None),  # after the evaluation date
    (doc("C-6", "misapply_law", "unknown"), "C-6"),
    (doc("案-7", "omitted_suspect", "gross"), "案-7"),
]


def write_input(tmp_path: Path, lines: list[str], name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def records(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


# --- through the CLI, as a pipeline uses it -------------------------------------------------------


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_input(tmp_path_factory.mktemp("batch"), [line for line, _ in LINES])


@pytest.fixture(scope="module")
def jobs1(mixed: Path) -> Any:
    return run_cli("evaluate", "--jsonl", str(mixed), "--as-of", AS_OF.isoformat())


def test_one_output_line_per_input_line_in_input_order(jobs1: Any) -> None:
    out = records(jobs1.stdout)
    assert len(out) == len(LINES)
    for number, (record, (_, case_id)) in enumerate(zip(out, LINES), start=1):
        if case_id is None:
            assert record["schema"] == "liability-error/1", number
            assert record["line"] == number
        else:
            assert record["schema"] == "liability-determination/1", number
            assert record["case_id"] == case_id


def test_error_records_name_the_line_and_the_problem(jobs1: Any, mixed: Path) -> None:
    out = records(jobs1.stdout)
    truncated, misspelt, blank, not_mapping, future = out[1], out[3], out[4], out[6], out[7]
    for record, number in ((truncated, 2), (misspelt, 4), (blank, 5), (not_mapping, 7), (future, 8)):
        assert record["source"] == str(mixed)
        assert record["problems"], record
        for problem in record["problems"]:
            assert problem["line"] == number
            assert problem["path"] == str(mixed)
    assert "invalid JSON" in truncated["problems"][0]["message"]
    assert "column" in truncated["problems"][0]
    assert misspelt["problems"][0]["field"] == "conducts[0].act"
    assert misspelt["problems"][0]["suggestion"] == "forge_evidence"
    assert "empty" in blank["problems"][0]["message"]
    assert "mapping" in not_mapping["problems"][0]["message"]
    assert "after the evaluation date" in future["problems"][0]["message"]


def test_bad_lines_exit_2_and_are_summarised_on_stderr(jobs1: Any) -> None:
    assert jobs1.returncode == 2
    assert "5 of 10 lines could not be evaluated" in jobs1.stderr
    assert ":2:" in jobs1.stderr  # the first bad line, located as file:line
    assert "Traceback" not in jobs1.stderr


def test_a_multi_conduct_line_is_one_record(jobs1: Any) -> None:
    record = records(jobs1.stdout)[5]
    assert [c["conduct_id"] for c in record["conducts"]] == ["K1", "K2"]


def test_jobs_2_output_equals_jobs_1_byte_for_byte(jobs1: Any, mixed: Path) -> None:
    jobs2 = run_cli("evaluate", "--jsonl", str(mixed), "--as-of", AS_OF.isoformat(), "--jobs", "2")
    assert jobs2.returncode == jobs1.returncode == 2
    assert jobs2.stdout == jobs1.stdout


def test_all_good_lines_exit_0_and_write_nothing_on_stderr(tmp_path: Path) -> None:
    path = write_input(tmp_path, [doc(f"G-{i}", act, fault, effects) for i, (_, act, fault, effects) in
                                  enumerate(GOOD)])
    done = run_cli("evaluate", "--jsonl", str(path), "--as-of", AS_OF.isoformat(), "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar off a terminal, no warnings
    assert [r["case_id"] for r in records(done.stdout)] == [f"G-{i}" for i in range(len(GOOD))]


def test_stdin_is_read_with_a_dash() -> None:
    lines = [doc("S-1"), "not json", doc("S-3")]
    done = run_cli("evaluate", "--jsonl", "-", "--as-of", AS_OF.isoformat(), stdin="\n".join(lines))  # no final \n
    assert done.returncode == 2
    out = records(done.stdout)
    assert [r.get("case_id") or r["line"] for r in out] == ["S-1", 2, "S-3"]
    assert out[1]["source"] == "<stdin>"


def test_an_empty_input_gives_no_output_and_exit_0(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    done = run_cli("evaluate", "--jsonl", str(path))
    assert (done.returncode, done.stdout) == (0, "")


@pytest.mark.parametrize("args, message", [
    (["--jsonl", "does-not-exist.jsonl"], "cannot read"),
    (["facts.yaml", "--jsonl", "x.jsonl"], "not both"),
    (["--jsonl", "x.jsonl", "--format", "markdown"], "JSON Lines"),
    (["--jsonl", "x.jsonl", "--backend", "drools"], "unknown backend"),
    (["--jsonl", "x.jsonl", "--rules", "no-such-rules"], "rulebook folder not found"),
    (["facts.yaml", "--jobs", "2"], "--jsonl"),
    ([], "no input"),
])
def test_unusable_invocations_exit_2_with_one_clear_message(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "x.jsonl").write_text(doc("X-1") + "\n", encoding="utf-8")
    done = run_cli("evaluate", *[str(tmp_path / a) if a.endswith((".jsonl", ".yaml")) or a == "no-such-rules"
                                 else a for a in args])
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_an_oversized_line_is_an_error_record_and_the_next_line_still_counts(tmp_path: Path) -> None:
    big = doc("B-1", effects={}).replace('"kind": "criminal"', '"kind": "criminal", "summary": "' + "长" * 3000 + '"')
    path = write_input(tmp_path, [doc("B-0"), big, doc("B-2")])
    import os
    import subprocess

    from conftest import cli_command

    env = dict(os.environ, LIABILITY_MAX_BYTES="4000", LANG="C.UTF-8")
    done = subprocess.run([*cli_command(), "evaluate", "--jsonl", str(path), "--as-of", AS_OF.isoformat()],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    out = records(done.stdout)
    assert done.returncode == 2
    assert [r.get("case_id") or r["line"] for r in out] == ["B-0", 2, "B-2"]
    assert "over the limit" in out[1]["problems"][0]["message"]


# --- in process: chunking, the in-flight window, internal errors --------------------------------------------


class FakeEngine:
    """Echoes the case id; raises a bug on case 'BUG'."""

    def evaluate(self, facts: Any, as_of: dt.date) -> Any:
        if facts.case.id == "BUG":
            raise RuntimeError("boom")

        class Det:
            def model_dump_json(self) -> str:
                return json.dumps({"case_id": facts.case.id, "as_of": as_of.isoformat()})
        return Det()


def test_an_internal_error_is_recorded_in_place_and_exits_1() -> None:
    stream = io.BytesIO(("\n".join([doc("A"), doc("BUG"), "oops", doc("C")]) + "\n").encode())
    out = io.BytesIO()
    summary = batch.run_batch(stream, out, folder="unused", backend="auto", as_of=AS_OF, source="in",
                              engine=FakeEngine())
    got = records(out.getvalue().decode())
    assert [r.get("case_id") or r.get("error") or r["line"] for r in got] == ["A", "internal", 3, "C"]
    assert got[1]["line"] == 2 and "boom" in got[1]["problems"][0]["message"]
    assert (summary.lines, summary.bad, summary.bugs, summary.exit_code) == (4, 1, 1, 1)


class CountingStream(io.RawIOBase):
    """An endless-looking input that records how far it has been read."""

    def __init__(self, lines: int):
        self.lines = lines
        self.served = 0
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        if self.served >= self.lines:
            return b""
        self.served += 1
        return (doc(f"L-{self.served}") + "\n").encode()


class WatchingOutput(io.BytesIO):
    def __init__(self, stream: CountingStream):
        super().__init__()
        self.stream = stream
        self.read_ahead: list[int] = []

    def write(self, data: Any) -> int:
        written = bytes(data).count(b"\n")
        self.read_ahead.append(self.stream.served - (self.getvalue().count(b"\n") + written))
        return super().write(data)


@pytest.mark.parametrize("jobs", [1, 2])
def test_reading_stays_a_bounded_distance_ahead_of_writing(monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    monkeypatch.setattr(batch, "CHUNK_LINES", 4)
    monkeypatch.setattr(batch, "IN_FLIGHT_PER_JOB", 2)
    stream = CountingStream(120)
    out = WatchingOutput(stream)
    engine = FakeEngine() if jobs == 1 else None
    if jobs == 2:  # workers build their own engine from the folder: use the real one
        from liability_engine.evaluate import bundled_rules_path

        folder = str(bundled_rules_path())
    else:
        folder = "unused"
    summary = batch.run_batch(stream, out, folder=folder, backend="auto", as_of=AS_OF, source="in", jobs=jobs,
                              engine=engine)
    got = records(out.getvalue().decode())
    assert [r["case_id"] for r in got] == [f"L-{i}" for i in range(1, 121)]
    assert summary.exit_code == 0
    window = batch.CHUNK_LINES * (batch.IN_FLIGHT_PER_JOB * jobs + 1)
    assert max(out.read_ahead) <= window  # never the whole input: memory does not grow with it


def test_read_lines_strips_newlines_and_flags_oversized_lines() -> None:
    data = b'{"a":1}\r\n' + b"x" * 50 + b"\n" + b"short\n" + b"y" * 50
    got = list(batch.read_lines(io.BytesIO(data), limit=20))
    assert [(n, raw) for n, raw, _ in got] == [(1, b'{"a":1}'), (2, None), (3, b"short"), (4, None)]
    assert sum(size for _, _, size in got) == len(data)


def test_iterators_are_lazy() -> None:
    def endless() -> Iterator[tuple[int, bytes, int]]:
        n = 0
        while True:
            n += 1
            yield n, b"{}", 3

    chunks = batch._chunks(endless())
    first = next(chunks)
    assert len(first.lines) == batch.CHUNK_LINES


def test_a_worker_that_dies_costs_only_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash in the C engine kills a worker process: the pool is rebuilt, the line that kills a worker on its
    own gets an internal-error record, every other line is evaluated, and the batch exits 1."""
    import multiprocessing
    import os
    import signal

    from liability_engine.batch import pool
    from liability_engine.evaluate import bundled_rules_path

    evaluate_chunk = pool.evaluate_chunk

    def crashing(engine: Any, chunk: Any, as_of: Any, source: str) -> Any:
        if any(raw and b"P-CRASH" in raw for _, raw in chunk.lines):
            os.kill(os.getpid(), signal.SIGKILL)  # as a crash in the C engine would
        return evaluate_chunk(engine, chunk, as_of, source)

    # workers forked from this process inherit the crashing evaluation (a forkserver's would not)
    monkeypatch.setattr(pool, "evaluate_chunk", crashing)
    monkeypatch.setattr(pool, "_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(batch, "CHUNK_LINES", 3)
    lines = [doc(f"K-{i}") if i != 5 else doc("K-5").replace("P-1", "P-CRASH") for i in range(1, 10)]
    out = io.BytesIO()
    summary = batch.run_batch(io.BytesIO(("\n".join(lines) + "\n").encode()), out, folder=str(bundled_rules_path()),
                              backend="auto", as_of=AS_OF, source="in", jobs=2)
    got = records(out.getvalue().decode())
    assert [r.get("case_id") or r.get("error") for r in got] == [
        "K-1", "K-2", "K-3", "K-4", "internal", "K-6", "K-7", "K-8", "K-9"]
    assert got[4]["line"] == 5 and "died" in got[4]["problems"][0]["message"]
    assert (summary.lines, summary.bugs, summary.exit_code) == (9, 1, 1)


def test_workers_use_the_rulebook_given_with_rules(tmp_path: Path) -> None:
    import shutil

    from liability_engine.evaluate import bundled_rules_path

    rules = tmp_path / "my-rules"
    shutil.copytree(bundled_rules_path(), rules)
    path = write_input(tmp_path, [doc("R-1"), doc("R-2")])
    one = run_cli("evaluate", "--jsonl", str(path), "--as-of", AS_OF.isoformat(), "--rules", str(rules))
    two = run_cli("evaluate", "--jsonl", str(path), "--as-of", AS_OF.isoformat(), "--rules", str(rules), "--jobs", "2")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert one.stdout == two.stdout
    assert {r["rulebook"]["digest"] for r in records(two.stdout)} == {records(one.stdout)[0]["rulebook"]["digest"]}
