"""Reading a facts file of either contract: `liability-facts/1` → `Facts`, `liability-facts/2` → `CaseFile`.

The schema tag is read from the parsed document, and the case-file contract is imported only when a
document says it is one: evaluating a `liability-facts/1` file does not load the allocation models."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from ..errors import FactsError, Problem, did_you_mean
from ..i18n import msg
from ..facts.documents import Document, parse_document, read_document
from ..facts.model import SCHEMA as FACTS_V1
from ..facts.model import Facts, facts_from_data

if TYPE_CHECKING:
    from .casefile import CaseFile

__all__ = ["SCHEMA", "CASE_SCHEMA", "from_document", "load_any", "parse_any", "load_case_file", "parse_case_file"]

SCHEMA = CASE_SCHEMA = "liability-facts/2"


def from_document(doc: Document) -> Facts | CaseFile:
    """A parsed document as the contract its `schema` names: a CaseFile for liability-facts/2, else Facts."""
    data = doc.data
    if isinstance(data, dict) and data.get("schema") == SCHEMA:
        from .validation import case_file_from_data

        return case_file_from_data(data, source=doc)
    if isinstance(data, dict) and data.get("schema") not in (None, FACTS_V1):
        line, column = doc.position(("schema",))
        raise FactsError(Problem(msg("facts.unsupported_schema", value=repr(data.get("schema"))), path=doc.path, line=line,
                                 column=column, field="schema", allowed=[FACTS_V1, SCHEMA],
                                 suggestion=did_you_mean(str(data.get("schema")), [FACTS_V1, SCHEMA])))
    return facts_from_data(data, source=doc)


def load_any(path: str | Any) -> Facts | CaseFile:
    """Read a facts file of either contract: liability-facts/1 → Facts, liability-facts/2 → CaseFile."""
    doc = read_document(path, FactsError, stdin=lambda: sys.stdin.buffer.read())
    return from_document(doc)


def parse_any(raw: bytes | str, name: str = "<input>") -> Facts | CaseFile:
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    doc = parse_document(data, name, FactsError)
    return from_document(doc)


def load_case_file(path: str | Any) -> CaseFile:
    """Read a case file; a liability-facts/1 file is read as a case with one person."""
    return _as_case(load_any(path))


def parse_case_file(raw: bytes | str, name: str = "<input>") -> CaseFile:
    return _as_case(parse_any(raw, name))


def _as_case(found: Facts | CaseFile) -> CaseFile:
    from .persons import case_from_facts

    return case_from_facts(found) if isinstance(found, Facts) else found

