"""Where durable-rules cannot be imported (Python 3.13), the same rules run on the reference evaluator,
and the program says so: `--version`, `versions`, the determination's `engine`; asking for durable
there is a clear error. Simulated here by hiding durable-rules' C engine from a child process; on a
Python where it is really missing, the same tests hold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import AS_OF, ROOT

SAMPLE = ROOT / "facts" / "forged-interrogation-record.yaml"
HIDE_DURABLE = "import sys; sys.modules['durable_rules_engine'] = None\n"  # `import` then raises ImportError


def run_without_durable(*args: str) -> subprocess.CompletedProcess[str]:
    code = HIDE_DURABLE + "from liability_engine.cli import main; main(sys.argv[1:])"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          env={"LANG": "C.UTF-8", "COLUMNS": "200", "PATH": "/usr/bin:/bin"})


def test_without_durable_rules_evaluate_runs_on_the_reference_evaluator_and_says_so() -> None:
    proc = run_without_durable("evaluate", str(SAMPLE), "--format", "json", "--as-of", AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["engine"]["backend"] == out["rulebook"]["backend"] == "python"
    assert "durable-rules" in out["engine"]["note"] and "reference evaluator" in out["engine"]["note"]
    assert "durable-rules" in out["engine"]["note_zh"] and "参照求值器" in out["engine"]["note_zh"]
    assert (out["overall"]["finding"], out["conducts"][0]["citation"]["label"]) == ("intent", "Art. 7(2)")


def test_without_durable_rules_version_and_versions_name_the_reference_evaluator() -> None:
    proc = run_without_durable("--version")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("liability-engine ") and "reference evaluator" in lines[1]
    assert lines[2].startswith("Python ")
    versions = run_without_durable("versions", "--format", "json")
    assert json.loads(versions.stdout)["engine"]["backend"] == "python"
    text = run_without_durable("versions", "--lang", "en")
    assert "reference evaluator" in text.stdout


def test_asking_for_durable_where_it_cannot_run_is_a_clear_error_with_exit_2() -> None:
    proc = run_without_durable("evaluate", str(SAMPLE), "--backend", "durable")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "durable backend cannot run here" in proc.stderr and "--backend python" in proc.stderr


def test_the_api_raises_backend_unavailable_for_durable_and_falls_back_for_auto() -> None:
    code = HIDE_DURABLE + (
        "from liability_engine import BackendUnavailable, Engine, LiabilityError\n"
        "assert Engine.default().backend == 'python'\n"
        "try:\n    Engine.default(backend='durable')\nexcept BackendUnavailable as exc:\n"
        "    assert isinstance(exc, LiabilityError) and exc.problems[0].allowed == ['auto', 'python']\n"
        "    print('OK')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout == "OK\n", proc.stderr


def test_version_names_the_program_the_backend_in_use_and_the_python(cli) -> None:
    from liability_engine import Engine, __version__

    proc = cli("--version")
    assert proc.returncode == 0
    first, engine, python = proc.stdout.splitlines()
    assert first == f"liability-engine {__version__}"
    expected = "durable-rules" if Engine.default().backend == "durable" else "reference evaluator"
    assert expected in engine
    assert python.startswith(f"Python {sys.version_info[0]}.{sys.version_info[1]}.")


def test_the_package_declares_durable_rules_only_where_it_imports() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11"' in text
    assert "\"durable-rules==2.0.28; python_version < '3.13'\"" in text


def test_readme_says_which_evaluator_runs_where() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "3.13" in readme and "reference evaluator" in readme and "python3.12" not in readme
