"""JSON Schemas of the contracts and of the rule files, for `liability schema` and for editors.

The rule-file schemas are generated from the same pydantic models that validate the files at
load, with the condition language spelt out (every field a condition may test and its values),
so a YAML-aware editor completes and checks `when:` blocks too. The shipped copies in
`schemas/` are checked against this module by the test suite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..rulebook.conditions import Schema
from ..resources import PACKAGE_DIR, bundled
from ..determination.model import Determination
from ..facts.model import Facts
from .rule_tests import CaseSpec
from ..facts.fields import conduct_schema
from ..rulebook.files import ArticleFile, FindingsFile, Manifest, PrecedenceFile, VocabularyFile

__all__ = ["SCHEMA_KINDS", "json_schema", "render_schema", "shipped_schema_folder", "write_schemas"]

SCHEMA_KINDS = ("facts", "determination", "rules", "manifest", "precedence", "findings", "vocabulary",
                "rule-tests", "contradictions", "case", "case-determination", "allocation", "procedure",
                "procedure-rules", "procedure-setup", "procedure-tests", "error", "decision", "replay", "messages")
_FILES = {"rules": "article", "rule-tests": "rule-tests"}


def _condition_schema(fields: Schema) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for name, spec in sorted(fields.items()):
        if spec.kind == "bool":
            value: dict[str, Any] = {"type": "boolean"}
        else:
            value = {"enum": list(spec.values) + ([None] if spec.nullable else [])}
        ops: dict[str, Any] = {"in": {"type": "array", "items": value, "minItems": 1},
                               "not_in": {"type": "array", "items": value, "minItems": 1}, "not": value}
        if spec.nullable:
            ops["present"] = {"type": "boolean"}
        props[name] = {"anyOf": [value, {"type": "array", "items": value, "minItems": 1},
                                 {"type": "object", "properties": ops, "additionalProperties": False,
                                  "minProperties": 1, "maxProperties": 1}]}
    ref = {"$ref": "#/$defs/Condition"}
    props["all"] = {"type": "array", "items": ref, "minItems": 1}
    props["any"] = {"type": "array", "items": ref, "minItems": 1}
    props["not"] = ref
    return {"anyOf": [{"type": "array", "items": ref, "minItems": 1},
                      {"type": "object", "properties": props, "additionalProperties": False, "minProperties": 1}]}


def json_schema(kind: str) -> dict[str, Any]:
    if kind == "facts":
        data = Facts.model_json_schema(by_alias=True, mode="validation")
    elif kind == "determination":
        data = Determination.model_json_schema(by_alias=True, mode="serialization")
    elif kind == "error":
        from ..error_record import ErrorRecord

        data = ErrorRecord.model_json_schema(by_alias=True, mode="serialization")
    elif kind == "rules":
        data = _rules_schema()
    elif kind == "manifest":
        data = Manifest.model_json_schema()
    elif kind == "precedence":
        data = PrecedenceFile.model_json_schema()
    elif kind == "findings":
        data = FindingsFile.model_json_schema()
    elif kind == "vocabulary":
        data = VocabularyFile.model_json_schema()
    elif kind == "contradictions":
        from ..rulebook.files import ContradictionsFile

        data = ContradictionsFile.model_json_schema()
        data.setdefault("$defs", {})["Condition"] = _condition_schema(conduct_schema())
        data["$defs"]["ContradictionSpec"]["properties"]["when"] = {"$ref": "#/$defs/Condition"}
    elif kind in ("case", "case-determination", "allocation"):
        return _allocation_schema(kind)
    elif kind == "decision":
        from ..decisionlog import DecisionRecord

        data = DecisionRecord.model_json_schema(by_alias=True, mode="serialization")
    elif kind == "replay":
        from ..decisionlog.replay import ReplayReport

        data = ReplayReport.model_json_schema(by_alias=True, mode="serialization")
    elif kind == "rule-tests":
        data = {"type": "array", "items": CaseSpec.model_json_schema()}
    elif kind.startswith("procedure"):  # the route after the finding and its rule files (procedure/)
        from ..procedure.schemas import procedure_json_schema

        data = procedure_json_schema(kind)
    elif kind == "messages":
        data = _messages_schema()
    else:
        raise ValueError(f"unknown schema {kind!r}; one of {', '.join(SCHEMA_KINDS)}")
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["$id"] = f"liability-{kind}.schema.json"
    return data


def _rules_schema() -> dict[str, Any]:
    """A rule file: its conditions and `acts:` spelt out (pydantic sees them as free mappings)."""
    from ..facts.model import Act

    data = ArticleFile.model_json_schema()
    data.setdefault("$defs", {})["Condition"] = _condition_schema(conduct_schema())
    for name in ("RuleSpec", "TemporalRuleSpec"):
        data["$defs"][name]["properties"]["when"] = {"$ref": "#/$defs/Condition"}
    acts = {"enum": [a.value for a in Act]}
    data["$defs"]["RuleSpec"]["properties"]["acts"] = {"anyOf": [
        {"type": "array", "items": acts},
        {"type": "object", "additionalProperties": False, "properties": {
            "of_rules": {"type": "array", "items": {"type": "string"}},
            "except_rules": {"type": "array", "items": {"type": "string"}},
            "except": {"type": "array", "items": acts}}}]}
    return data


def _messages_schema() -> dict[str, Any]:
    """The program's sentences (rules/messages.yaml): nested groups of {zh, en}."""
    text = {"type": "string", "minLength": 1}
    return {"type": "object", "additionalProperties": {"$ref": "#/$defs/Node"}, "$defs": {
        "Message": {"type": "object", "required": ["zh", "en"], "additionalProperties": False,
                    "properties": {"zh": text, "en": text}},
        "Node": {"anyOf": [{"$ref": "#/$defs/Message"},
                           {"type": "object", "additionalProperties": {"$ref": "#/$defs/Node"}}]}}}


def _allocation_schema(kind: str) -> dict[str, Any]:
    """liability-facts/2 (`case`), liability-case-determination/1, and rules/<version>/allocation.yaml."""
    from ..allocation.casefile import CaseFile
    from ..allocation.determination import CaseDetermination
    from ..allocation.rules import AllocationFile, allocation_schema

    if kind == "case":
        data = CaseFile.model_json_schema(by_alias=True, mode="validation")
    elif kind == "case-determination":
        data = CaseDetermination.model_json_schema(by_alias=True, mode="serialization")
    else:
        data = AllocationFile.model_json_schema()
        data.setdefault("$defs", {})["Condition"] = _condition_schema(allocation_schema())
        data["$defs"]["AllocationRuleSpec"]["properties"]["when"] = {"$ref": "#/$defs/Condition"}
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["$id"] = f"liability-{kind}.schema.json"
    return data


def _file_name(kind: str) -> str:
    return f"{_FILES.get(kind, kind)}.schema.json"


def shipped_schema_folder() -> Path:
    return bundled("schemas", "schemas") or PACKAGE_DIR.parent.parent / "schemas"


def write_schemas(folder: Path) -> list[Path]:
    """(Re)write every schema file; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in SCHEMA_KINDS:
        path = folder / _file_name(kind)
        path.write_text(json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def render_schema(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"

