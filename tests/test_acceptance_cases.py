"""The acceptance cases in tests/cases/, run through the installed CLI as users run it.

Each case is a liability-facts/1 document and what a user relies on for it: the exit status, per
conduct the finding, the liability, the version applied (Art. 28), the citation, the rule that
decided and, where older versions were compared, the Art. 28 rule that chose; for invalid input,
the field each problem names. The format is described in tests/cases/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF, CASES_DIR, needs_shared, run_cli

CASES = sorted(CASES_DIR.glob("*.yaml"))
CONDUCT_KEYS = {"finding", "liable", "version_applied", "citation", "rule", "art28", "missing", "contradictions",
                "provisional"}


def load(path: Path) -> dict:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(case) == {"name", "facts", "expect"}, f"{path.name}: keys {sorted(case)}"
    assert set(case["expect"]) <= {"exit", "conducts", "overall", "errors"}, path.name
    for cid, exp in case["expect"].get("conducts", {}).items():
        assert set(exp) <= CONDUCT_KEYS and {"finding", "liable"} <= set(exp), f"{path.name} {cid}: {sorted(exp)}"
    return case


def test_there_are_cases_for_every_finding_and_for_invalid_input() -> None:
    cases = [load(p) for p in CASES]
    findings = {c["finding"] for case in cases for c in case["expect"].get("conducts", {}).values()}
    assert findings >= {"intent", "gross_negligence", "ordinary_negligence", "flaw", "exempt", "no_liability",
                        "undetermined"}
    assert any(case["expect"]["exit"] == 2 for case in cases)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_acceptance_case(path: Path, tmp_path: Path) -> None:
    case = load(path)
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump(case["facts"], allow_unicode=True), encoding="utf-8")
    proc = run_cli("evaluate", str(facts), "--format", "json", "--as-of", AS_OF.isoformat())
    expect = case["expect"]
    assert "Traceback" not in proc.stderr
    assert proc.returncode == expect["exit"], proc.stderr
    if proc.returncode != 0:
        for error in expect["errors"]:
            assert error["field"] in proc.stderr, f"{case['name']}: no problem names {error['field']}:\n{proc.stderr}"
            if "suggestion" in error:
                assert error["suggestion"] in proc.stderr, f"{case['name']}: no suggestion {error['suggestion']}"
        return
    out = json.loads(proc.stdout)
    got = {c["conduct_id"]: c for c in out["conducts"]}
    assert set(got) == set(expect["conducts"]), case["name"]
    for cid, exp in expect["conducts"].items():
        c = got[cid]
        applied = next((e for e in c["temporal"]["evaluations"] if e["version"] == c["version_applied"]), {})
        seen = {"finding": c["finding"], "liable": c["liable"], "version_applied": c["version_applied"],
                "citation": (c["citation"] or {}).get("label"), "rule": applied.get("decided_by"),
                "art28": c["temporal"]["rule"], "provisional": c["provisional"],
                # what would decide an undetermined conduct, and the contradictions it names (as sets)
                "missing": sorted(m["field"] for m in c.get("missing") or []),
                "contradictions": sorted(x["id"] for x in c.get("contradictions") or [])}
        exp = {k: sorted(v) if k in ("missing", "contradictions") else v for k, v in exp.items()}
        assert {k: seen[k] for k in exp} == exp, f"{case['name']} ({cid})"
    if "overall" in expect:
        assert {k: out["overall"].get(k) for k in expect["overall"]} == expect["overall"]  # fields may be added


def test_the_cases_agree_with_the_shared_reference_cases() -> None:
    """Where ../shared/reference-cases is at hand: every reference case is here, with the same facts and the
    same finding, liability and version (`.ci/run` also runs them through the CLI with their own runner)."""
    folder = needs_shared("reference-cases")
    ours = {json.dumps(case["facts"], sort_keys=True): case for case in map(load, CASES)}
    for path in sorted(folder.glob("*.yaml")):
        ref = yaml.safe_load(path.read_text(encoding="utf-8"))
        case = ours.get(json.dumps(ref["facts"], sort_keys=True))
        assert case is not None, f"{path.name} has no counterpart in tests/cases/"
        assert case["expect"]["exit"] == ref["expect"].get("exit", 0), path.name
        for cid, exp in ref["expect"].get("conducts", {}).items():
            mine = case["expect"]["conducts"][cid]
            assert (mine["finding"], mine["liable"]) == (exp["finding"], exp["liable"]), path.name
            if exp.get("version") is not None:
                assert mine["version_applied"] == exp["version"], path.name
