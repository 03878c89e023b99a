"""Rule files are inputs too: a broken or hostile rulebook raises RulesError at load, with file and
line, and `liability evaluate --rules` exits 2 with that message. Never a crash, a hang, code run
from YAML, or a rulebook that durable-rules cannot hold accepted and then failing mid-evaluation.

Each test copies the bundled rules to tmp_path and breaks the copy.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from collections.abc import Callable

import pytest
import yaml

from conftest import ROOT, run_cli
from liability_engine import Engine, RulesError, bundled_rules_path

SAMPLE = ROOT / "facts" / "forged-interrogation-record.yaml"
PWNED = Path("/tmp/liability-engine-pwned-rules")
SECONDS = 15  # the CLI loads (and may cache) the rulebook: a few seconds at most


def copy_rules(tmp_path: Path) -> Path:
    dest = tmp_path / "rules"
    shutil.copytree(bundled_rules_path(), dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def art07(rules: Path) -> Path:
    return rules / "2024" / "art07.yaml"


class _NoAnchors(yaml.SafeDumper):
    """Writes shared values out in full: the loader refuses anchors, and PyYAML emits them for shared lists."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def add_rules(rules: Path, new: list[dict]) -> None:
    path = art07(rules)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rules"] = list(data["rules"]) + new
    path.write_text(yaml.dump(data, Dumper=_NoAnchors, allow_unicode=True, sort_keys=False), encoding="utf-8")


def rule(i: int, acts: object = ("forge_evidence",), when: object = None) -> dict:
    return {"id": f"2024.hostile.r{i:03d}", "item": 2, "layer": "intent", "finding": "intent", "liable": True,
            "acts": list(acts) if isinstance(acts, (list, tuple)) else acts,
            "when": when if when is not None else {"fault": "intentional"}}


def replace_first(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file; return its line number (1-based)."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text.count("\n", 0, at) + 1


# --- the ways to break a rulebook: each returns (where, what) -----------------------------------


def python_object_tag(rules: Path) -> tuple[str, str]:
    line = replace_first(art07(rules), "when: {fault: intentional}",
                         f'when: !!python/object/apply:os.system ["touch {PWNED}"]')
    return f"art07.yaml:{line}:", "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"


def python_name_tag(rules: Path) -> tuple[str, str]:
    path = rules / "2024" / "manifest.yaml"
    path.write_text("issuer_hook: !!python/name:os.system\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return "manifest.yaml:1:", "YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"


def alias_bomb(rules: Path) -> tuple[str, str]:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    art07(rules).write_text("article: 7\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return "art07.yaml:2:", "YAML anchors (&name) are not allowed"


def shared_act_list(rules: Path) -> tuple[str, str]:
    """Not malicious, just an anchor a rule author might write: refused, with the fix."""
    first = "acts: [destroy_evidence, forge_evidence, alter_evidence, hide_evidence, tamper_evidence]"
    line = replace_first(art07(rules), first, "acts: &evidence [destroy_evidence, forge_evidence]")
    return f"art07.yaml:{line}:", "YAML anchors (&name) are not allowed: write the value out"


def deep_nesting(rules: Path) -> tuple[str, str]:
    line = replace_first(art07(rules), "when: {fault: intentional}", "when: " + "[" * 20_000 + "]" * 20_000)
    return f"art07.yaml:{line}:", "nesting"


def deep_block_nesting(rules: Path) -> tuple[str, str]:
    """Deeper than the loader's 64 levels but inside libyaml's own limit: the loader's own message."""
    path = art07(rules)
    nested = "".join("  " * i + "- not:\n" for i in range(70)) + "  " * 70 + "- fault: none\n"
    path.write_text(path.read_text(encoding="utf-8") + "nested:\n" + nested, encoding="utf-8")
    return "art07.yaml:", "nesting is too deep (more than 64 levels)"


def garbage_bytes(rules: Path) -> tuple[str, str]:
    junk = bytes(b for b in random.Random(7).randbytes(4096) if b)  # no NUL: test the UTF-8 check
    art07(rules).write_bytes(b"\xff" + junk)
    return "art07.yaml:1:", "is not UTF-8 text (byte 0xff at offset 0)"


def nul_bytes(rules: Path) -> tuple[str, str]:
    art07(rules).write_bytes(b"article: 7\ntext:\x00\x00\n")
    return "art07.yaml:2:", "contains a NUL byte"


def rule_file_is_a_list(rules: Path) -> tuple[str, str]:
    art07(rules).write_text("- article: 7\n- rules: []\n", encoding="utf-8")
    return "art07.yaml:1:1:", "expected a mapping (key: value)"


def rule_file_is_empty(rules: Path) -> tuple[str, str]:
    art07(rules).write_text("# nothing here\n", encoding="utf-8")
    return "art07.yaml:", "is empty: expected a YAML or JSON document"


def manifest_is_a_scalar(rules: Path) -> tuple[str, str]:
    (rules / "2024" / "manifest.yaml").write_text("just text\n", encoding="utf-8")
    return "manifest.yaml:", "expected a mapping (key: value)"


def nested_groups(rules: Path) -> tuple[str, str]:
    cond: dict = {"fault": "intentional"}
    for i in range(20):  # all(any(all(... 20 groups, each with a second test so none is flattened
        cond = {("any" if i % 2 else "all"): [cond, {"knowing": bool(i % 2)}]}
    add_rules(rules, [rule(0, when=cond)])
    return "art07.yaml:", "rule 2024.hostile.r000: the condition nests"


def six_hundred_rules(rules: Path) -> tuple[str, str]:
    add_rules(rules, [rule(i) for i in range(600)])
    return "2024", "rules in one version: durable-rules supports at most"


def rule_file_over_the_limit(rules: Path) -> tuple[str, str]:
    path = art07(rules)
    path.write_text(path.read_text(encoding="utf-8") + "# " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    return "art07.yaml:", "over the limit of 2,097,152 bytes"


def duplicate_keys(rules: Path) -> tuple[str, str]:
    line = replace_first(art07(rules), "    finding: intent\n", "    finding: intent\n    finding: no_liability\n")
    return f"art07.yaml:{line + 1}:", "duplicate key 'finding'"


def unknown_field_in_condition(rules: Path) -> tuple[str, str]:
    line = replace_first(art07(rules), "when: {fault: intentional}", "when: {fualt: intentional}")
    return f"art07.yaml:{line}:", "unknown field 'fualt'"


BREAKERS: dict[str, Callable[[Path], tuple[str, str]]] = {f.__name__: f for f in (
    python_object_tag, python_name_tag, alias_bomb, shared_act_list, deep_nesting, deep_block_nesting,
    garbage_bytes, nul_bytes, rule_file_is_a_list, rule_file_is_empty, manifest_is_a_scalar, nested_groups,
    six_hundred_rules, rule_file_over_the_limit, duplicate_keys, unknown_field_in_condition,
)}


def broken(name: str, tmp_path: Path) -> tuple[Path, str, str]:
    """A copy of the bundled rules broken by BREAKERS[name]: (folder, where, what the message says)."""
    rules = copy_rules(tmp_path)
    where, what = BREAKERS[name](rules)
    PWNED.unlink(missing_ok=True)
    return rules, where, what


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", sorted(BREAKERS))
def test_broken_rulebook_raises_rules_error(name: str, tmp_path: Path) -> None:
    rules, where, what = broken(name, tmp_path)
    started = time.monotonic()
    with pytest.raises(RulesError) as info:
        Engine.from_path(rules)
    assert time.monotonic() - started < SECONDS
    text = flat(str(info.value))
    assert flat(where) in text and flat(what) in text, text
    assert info.value.problems[0].path, "a rule problem names its file"
    assert not PWNED.exists(), "a YAML tag in a rule file ran code"


@pytest.mark.parametrize("name", sorted(BREAKERS))
def test_cli_with_broken_rules_exits_2_with_a_located_message(name: str, tmp_path: Path) -> None:
    rules, where, what = broken(name, tmp_path)
    started = time.monotonic()
    proc = run_cli("evaluate", "--rules", str(rules), str(SAMPLE), timeout=60)
    elapsed = time.monotonic() - started
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert flat(where) in flat(proc.stderr) and flat(what) in flat(proc.stderr), proc.stderr
    assert str(rules) in flat(proc.stderr), "the message names the rule file"
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert not PWNED.exists()


def test_an_unbroken_copy_still_loads(tmp_path: Path) -> None:
    """The breakers, not the copying, make the copies fail."""
    engine = Engine.from_path(copy_rules(tmp_path))
    assert [v.id for v in engine.rulebook.versions] == [v.id for v in Engine.default().rulebook.versions]


# --- rulebooks inside the compiler's declared limits that durable-rules cannot hold ------------
# These run in a child process: the failure is a crash of the C extension, which would take
# pytest down with it. Either outcome is fine for the test: a RulesError at load (the rulebook is
# refused, as the limits promise), or an engine that evaluates exactly like the python backend.

CHILD = textwrap.dedent("""
    import datetime, sys
    from liability_engine import Engine, RulesError, load_facts
    try:
        engine = Engine.from_path(sys.argv[1])
    except RulesError as exc:
        print("REFUSED", str(exc).splitlines()[0]); sys.exit(0)
    facts = load_facts(sys.argv[2])
    day = datetime.date(2026, 1, 1)
    got = engine.evaluate(facts, as_of=day).model_dump(mode="json", exclude={"rulebook", "engine"})
    want = Engine.from_path(sys.argv[1], backend="python").evaluate(facts, as_of=day).model_dump(
        mode="json", exclude={"rulebook", "engine"})
    print("SAME" if got == want else "DIFFERENT"); sys.exit(0 if got == want else 3)
""")


def run_child(rules: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CHILD, str(rules), str(SAMPLE)], capture_output=True, text=True,
                          timeout=120, check=False)


def test_a_large_rulebook_within_the_limits_loads_and_agrees(tmp_path: Path) -> None:
    """40 more single-act rules: well inside what durable-rules holds."""
    rules = copy_rules(tmp_path)
    add_rules(rules, [rule(i, acts=["forge_evidence", "torture"]) for i in range(40)])
    proc = run_child(rules)
    assert proc.returncode == 0 and proc.stdout.startswith("SAME"), (proc.returncode, proc.stdout, proc.stderr[-2000:])


def test_many_rules_with_act_lists_are_refused_or_work(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    add_rules(rules, [rule(i, acts=["forge_evidence", "torture"]) for i in range(80)])
    proc = run_child(rules)
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr[-2000:])
    assert proc.stdout.startswith(("REFUSED", "SAME"))


def test_many_rules_with_one_condition_are_refused_or_work(tmp_path: Path) -> None:
    rules = copy_rules(tmp_path)
    add_rules(rules, [rule(i) for i in range(300)])
    proc = run_child(rules)
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr[-2000:])
    assert proc.stdout.startswith(("REFUSED", "SAME"))
