"""One exit-code rule everywhere (docs/errors.md): 0 evaluated, 2 invalid input (a rulebook with problems,
input that ended early), 1 a bug; 141 when the reader of the output goes away; --version."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

from conftest import AS_OF, ROOT, case_facts, cli_command, run_cli
from liability_engine import bundled_rules_path


def test_rules_check_on_a_broken_rulebook_exits_2(tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(bundled_rules_path(), copy, ignore=shutil.ignore_patterns("tests"))
    art8 = copy / "2024" / "art08.yaml"
    art8.write_text(art8.read_text(encoding="utf-8").replace("finding: gross_negligence", "finding: gross_negligenc",
                                                             1), encoding="utf-8")
    proc = run_cli("rules", "check", str(copy))
    assert proc.returncode == 2, proc.stderr
    assert "gross_negligenc" in proc.stderr and "Traceback" not in proc.stderr


def test_rules_check_on_a_folder_that_is_not_a_rulebook_exits_2(tmp_path: Path) -> None:
    proc = run_cli("rules", "check", str(tmp_path))
    assert proc.returncode == 2
    assert "manifest.yaml" in proc.stderr


def test_rules_check_on_a_file_says_it_needs_the_folder(tmp_path: Path) -> None:
    proc = run_cli("rules", "check", str(bundled_rules_path() / "findings.yaml"))
    assert proc.returncode == 2
    assert "this is a file, and a rulebook is a folder" in proc.stderr
    missing = run_cli("rules", "check", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "rulebook folder not found" in missing.stderr


def test_train_with_a_bank_that_is_not_an_exercise_bank_exits_2(tmp_path: Path) -> None:
    empty = run_cli("train", "--bank", str(tmp_path), "--key")
    assert empty.returncode == 2 and "no exercises" in empty.stderr
    facts = run_cli("train", "--bank", str(ROOT / "facts"), "--key")
    assert facts.returncode == 2 and "narrative" in facts.stderr and "Traceback" not in facts.stderr


def test_a_broken_pipe_ends_quietly_with_141() -> None:
    """`liability evaluate … | head -c 100`: the reader goes away; the program stops without a word."""
    folder = str(ROOT / "facts")
    env = dict(os.environ, LANG="C.UTF-8")
    proc = subprocess.Popen([*cli_command(), "evaluate", folder, folder, folder, folder, "--format", "json",
                             "--as-of", AS_OF.isoformat()], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100)
    proc.stdout.close()  # far more than a pipe holds is still to come
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert err == b""


def test_end_of_input_in_interview_saves_the_answers_says_so_and_exits_2(tmp_path: Path) -> None:
    facts = case_facts("fault-unknown", tmp_path)
    saved = tmp_path / "done.yaml"
    proc = run_cli("interview", str(facts), "--save", str(saved), "--lang", "en", "--as-of", AS_OF.isoformat(),
                   stdin="")
    assert proc.returncode == 2
    assert f"the answers so far are saved in {saved}" in proc.stderr
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["conducts"][0]["fault"] == "unknown"
    unsaved = run_cli("interview", str(facts), "--lang", "zh", "--as-of", AS_OF.isoformat(), stdin="")
    assert unsaved.returncode == 2 and "未保存任何内容" in unsaved.stderr


def test_interview_refuses_a_save_path_it_cannot_write_before_asking(tmp_path: Path) -> None:
    facts = case_facts("fault-unknown", tmp_path)
    proc = run_cli("interview", str(facts), "--save", "/nonexistent/x.yaml", "--lang", "en", stdin="gross\n")
    assert proc.returncode == 2
    assert "the folder /nonexistent does not exist" in proc.stderr
    assert "degree of fault" not in proc.stdout  # no question was asked
    folder = run_cli("interview", str(facts), "--save", str(tmp_path), "--lang", "en", stdin="gross\n")
    assert folder.returncode == 2 and "needs a file name" in folder.stderr


def test_end_of_input_in_train_reports_what_was_recorded_and_exits_2(tmp_path: Path) -> None:
    progress = tmp_path / "progress.jsonl"
    env_run = subprocess.run([*cli_command(), "train", "--count", "2", "--seed", "1", "--lang", "en"], input="",
                             capture_output=True, text=True, timeout=120,
                             env=dict(os.environ, LIABILITY_PROGRESS=str(progress), LANG="C.UTF-8", COLUMNS="200"))
    assert env_run.returncode == 2
    assert "the input ended before the session did: 0 of 2 exercises answered; nothing was recorded" in env_run.stderr
    assert "Traceback" not in env_run.stderr
