"""`liability schema`: the JSON Schemas of the contracts."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Any

import typer

__all__ = ["schema"]


class SchemaKind(str, Enum):
    facts = "facts"
    determination = "determination"


def schema(kind: SchemaKind = typer.Argument(..., help="facts or determination")) -> None:
    """Print the JSON Schema of a contract."""
    from ..determination import Determination
    from ..facts import Facts

    model: Any = Facts if kind is SchemaKind.facts else Determination
    mode = "validation" if kind is SchemaKind.facts else "serialization"
    data = model.model_json_schema(by_alias=True, mode=mode)
    data["$id"] = f"liability-{kind.value}/1"
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


