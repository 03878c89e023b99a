"""What the README and the CLI point a user to is in the repository, and the contract docs are complete."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT, run_cli
from liability_engine.authoring.schemas import json_schema

OUTSIDE = re.compile(r"\.\./shared|shared/source|shared/notes|SPEC §")


def code_words(doc: str) -> set[str]:
    """The words inside `code spans` of a markdown document (`conducts[].effects.accident`, `{from, to}`);
    fenced blocks are left out first, so that their three backticks do not shift the pairs after them."""
    doc = re.sub(r"```.*?```", "", doc, flags=re.S)
    return {word for span in re.findall(r"`([^`]+)`", doc) for word in re.findall(r"\w+", span)}


def test_the_readme_points_only_to_what_a_clone_has() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert not OUTSIDE.findall(readme)
    for target in set(re.findall(r"\((docs/[\w./-]+)\)|`(docs/[\w./-]+)`", readme)):
        path = ROOT / (target[0] or target[1])
        assert path.exists(), f"the README points to {path.relative_to(ROOT)}, which does not exist"


def test_the_rules_and_the_versions_command_name_only_sources_a_user_can_open() -> None:
    for manifest in ROOT.glob("rules/*/manifest.yaml"):
        text = manifest.read_text(encoding="utf-8")
        assert not OUTSIDE.findall(text), manifest
        for doc in re.findall(r"docs/[\w.-]+\.md", text):
            assert (ROOT / doc).exists(), f"{manifest} names {doc}"
    proc = run_cli("versions", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert "shared/" not in proc.stdout and "docs/sources.md" in proc.stdout


def test_docs_facts_describes_every_field_and_value_of_the_facts_contract() -> None:
    doc = (ROOT / "docs" / "facts.md").read_text(encoding="utf-8")
    vocabulary = yaml.safe_load((ROOT / "rules" / "vocabulary.yaml").read_text(encoding="utf-8"))
    for field in vocabulary["fields"]:
        assert f"`conducts[].{field}`" in doc or f"`{field}`" in doc, field
    for field, values in vocabulary["values"].items():
        for value in values:
            assert f"| `{value}` |" in doc, f"docs/facts.md does not list {field} = {value}"
    schema = json_schema("facts")
    for definition in [schema, *schema["$defs"].values()]:
        for name in definition.get("properties", {}):
            assert name in code_words(doc), f"docs/facts.md does not describe {name}"


def test_docs_determination_describes_every_field_of_the_determination() -> None:
    doc = (ROOT / "docs" / "determination.md").read_text(encoding="utf-8")
    schema = json_schema("determination")
    for definition in [schema, *schema["$defs"].values()]:
        for name in definition.get("properties", {}):
            assert name in code_words(doc), f"docs/determination.md does not describe `{name}`"
