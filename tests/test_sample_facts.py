"""Every bundled sample in facts/ evaluates, through the library and the CLI, with the finding its summary tells."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT, run_cli
from liability_engine import load_facts

SAMPLES = sorted((ROOT / "facts").glob("*.yaml"))

EXPECTED = {  # file -> (conduct id -> (finding, liable, version applied))
    "forged-interrogation-record": {"C1": ("intent", True, "2024")},
    "careless-leak": {"C1": ("gross_negligence", True, "2024")},
    "acquittal-new-evidence": {"C1": ("exempt", False, "2024")},
    "two-conducts": {"C1": ("flaw", False, "2024"), "C2": ("intent", True, "2024")},
    "supervisory-failure-2023": {"C1": ("no_liability", False, "2024")},
    "overlong-detention-2022": {"C1": ("gross_negligence", False, "2024")},
    "law-error-2021": {"C1": ("gross_negligence", False, "2024")},
    "rejected-key-evidence-2023": {"C1": ("intent", True, "2020")},
    "fault-unknown": {"C1": ("undetermined", False, None)},
    "county-detention-ten-years": {"C1": ("gross_negligence", True, "2024")},
    "city-deputy-chief-obstruction": {"C1": ("intent", True, "2024")},
}


def test_there_are_at_least_five_samples() -> None:
    assert len(SAMPLES) >= 5


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_evaluates_as_its_summary_says(path: Path, engine) -> None:
    assert path.stem in EXPECTED, f"add the expected finding of {path.name} to this test"
    det = engine.evaluate(load_facts(path), as_of=AS_OF)
    got = {c.conduct_id: (c.finding, c.liable, c.version_applied) for c in det.conducts}
    assert got == EXPECTED[path.stem]


def test_a_folder_of_samples_evaluates_in_batch_as_json_lines() -> None:
    proc = run_cli("evaluate", str(ROOT / "facts"), "--format", "json", "--as-of", AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    cases = sorted((ROOT / "facts" / "cases").glob("*.yaml"))  # liability-facts/2 case files, in the same batch
    assert len(lines) == len(SAMPLES) + len(cases)
    schemas = [line["schema"] for line in lines]
    assert schemas.count("liability-determination/1") == len(SAMPLES)
    assert schemas.count("liability-case-determination/1") == len(cases)
