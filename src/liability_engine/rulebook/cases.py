"""The YAML cases beside the rules (`rules/<version>/tests/*.yaml`, `rules/<version>/procedure/tests/*.yaml`):
what every kind of case file shares — a file is a list of cases (`name`, `facts`, `expect`), read with
line numbers, every problem of every file gathered and raised together — and the short form of the
facts (the fields of one conduct). What a case expects, and how it is checked, is each kind's own:
`authoring/rule_tests.py` (the findings), `procedure/cases.py` (the route), `allocation/cases.py`
(who bears what)."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import Problem, RulesError
from ..facts.documents import Document, read_document
from ..facts.model import SCHEMA

__all__ = ["CaseSpecBase", "case_items", "read_cases", "spec_problems", "short_form"]

C = TypeVar("C")


class CaseSpecBase(BaseModel):
    """What every case says: its name (a sentence) and its facts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=10)
    facts: dict[str, Any]


def case_items(path: Path, problems: list[Problem], not_a_list: Any) -> Iterator[tuple[int, Any, Document]]:
    """Each case of one file as (index, raw case, document); a file that cannot be read or is not a list
    adds its problem (`not_a_list`: the message) and yields nothing."""
    try:
        doc = read_document(path, RulesError)
    except RulesError as exc:
        problems.extend(exc.problems)
        return
    if not isinstance(doc.data, list):
        problems.append(Problem(not_a_list, path=str(path), line=1))
        return
    for i, raw in enumerate(doc.data):
        yield i, raw, doc


def read_cases(paths: list[Path], read_one: Callable[[int, Any, Document, list[Problem]], C | None],
               not_a_list: Any) -> list[C]:
    """The cases of these files, each read by `read_one(index, raw, document, problems)` (None: it added its
    problems); every problem of every file is raised together as a RulesError."""
    problems: list[Problem] = []
    cases: list[C] = []
    for path in paths:
        for i, raw, doc in case_items(path, problems, not_a_list):
            case = read_one(i, raw, doc, problems)
            if case is not None:
                cases.append(case)
    if problems:
        raise RulesError(problems)
    return cases


def spec_problems(exc: ValidationError, doc: Document, i: int, *, columns: bool) -> list[Problem]:
    """A case that does not fit its spec: pydantic's message at the case's key (line, and column if asked)."""
    out = []
    for err in exc.errors(include_url=False):
        loc = (i,) + tuple(err["loc"])
        line, column = doc.position(loc)
        out.append(Problem(err["msg"], path=doc.path, line=line, column=column if columns else None,
                           field=".".join(map(str, loc))))
    return out


def short_form(raw: dict[str, Any], date: _dt.date, *, blocks: tuple[str, ...] = (),
               **defaults: Any) -> dict[str, Any]:
    """A whole liability-facts/1 document as is, or the short form: the fields of one conduct (with `case`,
    `person` and the `blocks` of the document beside them); `id` defaults to C1, `date` to `date`, and the
    other fields to `defaults`."""
    if "schema" in raw:
        return raw
    conduct = dict(raw)
    doc: dict[str, Any] = {"schema": SCHEMA,
                           "case": conduct.pop("case", {"id": "TEST", "kind": "criminal"}),
                           "person": conduct.pop("person", {"id": "TEST", "role": "procurator", "status": "serving"})}
    for block in blocks:
        if block in conduct:
            doc[block] = conduct.pop(block)
    conduct.setdefault("id", "C1")
    conduct.setdefault("date", date)
    for key, value in defaults.items():
        conduct.setdefault(key, value)
    doc["conducts"] = [conduct]
    return doc

