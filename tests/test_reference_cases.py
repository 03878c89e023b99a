"""The acceptance cases in ../shared/reference-cases, run through the installed CLI as users run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import SHARED, run_cli

CASES = sorted((SHARED / "reference-cases").glob("*.yaml"))


def test_the_reference_cases_are_there() -> None:
    assert len(CASES) >= 33, f"expected the 33 reference cases in {SHARED / 'reference-cases'}"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_reference_case(path: Path, tmp_path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump(case["facts"], allow_unicode=True), encoding="utf-8")
    proc = run_cli("evaluate", str(facts), "--format", "json")
    expect = case["expect"]
    assert "Traceback" not in proc.stderr
    assert proc.returncode == expect.get("exit", 0), proc.stderr
    if proc.returncode != 0:
        assert proc.stderr.strip(), "an invalid input must be explained"
        return
    out = json.loads(proc.stdout)
    got = {c["conduct_id"]: c for c in out["conducts"]}
    for cid, exp in expect["conducts"].items():
        c = got[cid]
        assert c["finding"] == exp["finding"], case["name"]
        assert c["liable"] == exp["liable"], case["name"]
        if exp.get("version") is not None:
            assert c["version_applied"] == exp["version"], case["name"]
        for key in ("article", "item", "paragraph"):
            if key in exp:
                assert (c["citation"] or {}).get(key) == exp[key], f"{case['name']}: {key}"
    if "overall" in expect:
        assert out["overall"] == expect["overall"]
