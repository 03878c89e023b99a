"""Shared fixtures: the engines, the CLI as a user runs it, the acceptance cases, and where ../shared is
(optional: a test that needs it skips with one line of reason when it is absent)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from liability_engine import Engine

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LIABILITY_SHARED", ROOT.parent / "shared"))
AS_OF = dt.date(2026, 1, 1)
CASES_DIR = Path(__file__).parent / "cases"


def needs_shared(*parts: str) -> Path:
    """The path under ../shared a test needs; skips the test (one line of reason) when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the project's shared folder, not part of a clone)")
    return path


def case_facts(name: str, tmp_path: Path, file_name: str = "facts.yaml") -> Path:
    """The facts of the acceptance case tests/cases/NAME.yaml, written out as a liability-facts/1 file."""
    case = yaml.safe_load((CASES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    path = tmp_path / file_name
    path.write_text(yaml.safe_dump(case["facts"], allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.default()


@pytest.fixture(scope="session")
def py_engine() -> Engine:
    return Engine.default(backend="python")


def durable_or_skip() -> None:
    """Skips a test that compares the two backends where durable-rules cannot be imported (Python 3.13)."""
    from liability_engine.runtime import durable_unavailable

    missing = durable_unavailable()
    if missing is not None:
        pytest.skip(f"needs the durable backend: {missing.en}")


@pytest.fixture(scope="session")
def durable_engine() -> Engine:
    durable_or_skip()
    return Engine.default(backend="durable")


def cli_command() -> list[str]:
    """The installed console script when there is one, else `python -m liability_engine`."""
    script = Path(sys.executable).with_name("liability")
    if script.exists():
        return [str(script)]
    found = shutil.which("liability")
    return [found] if found else [sys.executable, "-m", "liability_engine"]


def run_cli(*args: str, stdin: str | None = None, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="200", LANG="C.UTF-8", PYTHONIOENCODING="utf-8")
    env.pop("LIABILITY_DEBUG", None)
    return subprocess.run([*cli_command(), *args], input=stdin, capture_output=True, text=True, timeout=timeout,
                          env=env, encoding="utf-8")


@pytest.fixture
def cli():
    return run_cli


def refused(proc: subprocess.CompletedProcess[str], *expected: str) -> str:
    """Exit 2, no traceback, no "internal error"; every expected text on stderr (whitespace collapsed)."""
    err = " ".join(proc.stderr.split())
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr and "内部错误" not in err, err
    assert proc.returncode == 2, (proc.returncode, err)
    for text in expected:
        assert text in err, err
    return err


def edited_rules(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Path:
    """A copy of the bundled rules under tmp_path with each file's first `old` replaced by `new`
    (relative path → (old, new)); fails when an edit finds nothing to replace, so a stale edit cannot pass."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    for relative, (old, new) in edits.items():
        path = rules / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{relative}: nothing to edit"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return rules


#: 2024.art7.item1 (concealing facts, …) and item2 (forging evidence, …) also need `knowing: true`
ART7_ITEM1_KNOWING = ("misapply_law]\n    when: {fault: intentional}\n",
                      "misapply_law]\n    when: {fault: intentional, knowing: true}\n")
ART7_ITEM2_KNOWING = ("tamper_evidence]\n    when: {fault: intentional}\n",
                      "tamper_evidence]\n    when: {fault: intentional, knowing: true}\n")
