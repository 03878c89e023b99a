"""JSON Schemas of the procedure contract and of the procedure rule files (hooked into `schemas`)."""

from __future__ import annotations

from typing import Any

from ..rulebook.conditions import FieldSpec

__all__ = ["PROCEDURE_KINDS", "procedure_json_schema"]

# kind -> shipped file name (schemas/<name>.schema.json)
PROCEDURE_KINDS = {"procedure": "procedure", "procedure-rules": "procedure-rules",
                   "procedure-setup": "procedure-setup", "procedure-tests": "procedure-tests"}


def _editor_fields() -> dict[str, FieldSpec]:
    """The condition fields as an editor should check them: tri-state facts are written true/false."""
    from ..evaluate.engine import bundled_rules_path
    from ..rulebook.files import FindingsFile
    from ..facts.documents import read_document
    from ..errors import RulesError
    from .fields import UNKNOWN_MARKER, procedure_schema

    findings = FindingsFile.model_validate(read_document(bundled_rules_path() / "findings.yaml", RulesError).data)
    fields = dict(procedure_schema(tuple(f.id for f in findings.findings)))
    for name, spec in fields.items():
        if spec.values == ("true", "false", "unknown"):
            fields[name] = FieldSpec(name, "bool")
        elif name in UNKNOWN_MARKER:  # rules never test the unknown marker
            fields[name] = FieldSpec(name, "enum", tuple(v for v in spec.values if v != UNKNOWN_MARKER[name]),
                                     spec.nullable)
    return fields


def procedure_json_schema(kind: str) -> dict[str, Any]:
    from ..authoring.schemas import _condition_schema
    from .cases import ProcCaseSpec
    from .model import ProcedureRoute
    from .files import ProcArticleFile, SetupFile

    if kind == "procedure":
        return ProcedureRoute.model_json_schema(by_alias=True, mode="serialization")
    if kind == "procedure-setup":
        return SetupFile.model_json_schema()
    if kind == "procedure-tests":
        item = ProcCaseSpec.model_json_schema()
        defs = item.pop("$defs", {})  # `#/$defs/…` refers to the document's root
        return {"type": "array", "items": item, "$defs": defs}
    if kind == "procedure-rules":
        data = ProcArticleFile.model_json_schema()
        data.setdefault("$defs", {})["Condition"] = _condition_schema(_editor_fields())
        for name in ("ProcRuleSpec", "DeadlineSpec"):
            data["$defs"][name]["properties"]["when"] = {"$ref": "#/$defs/Condition"}
        return data
    raise ValueError(f"unknown schema {kind!r}")
