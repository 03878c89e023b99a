"""A `liability-facts/1` file read as a case with one person and no decisions, and one person of a
case file as a `liability-facts/1` document for `Engine.evaluate`: a renaming, nothing inferred."""

from __future__ import annotations

from typing import Any

from ..facts.documents import Document
from ..facts.model import Facts, Person
from ..facts.model import Role as RoleV1
from .casefile import CaseFile, CasePerson, Role

__all__ = ["case_from_facts", "person_facts"]

_V1_TO_V2 = {RoleV1.procurator: Role.procurator, RoleV1.assistant: Role.assistant,
             RoleV1.administrative: Role.administrative, RoleV1.chief: Role.chief_procurator,
             RoleV1.deputy_chief: Role.deputy_chief, RoleV1.department_head: Role.department_head}
_V2_TO_V1 = {v: k for k, v in _V1_TO_V2.items()}


def case_from_facts(facts: Facts) -> CaseFile:
    """A liability-facts/1 file read as a case with one person and no decisions (a renaming, nothing inferred)."""
    p = facts.person
    person = CasePerson(id=p.id, name=p.name, role=_V1_TO_V2.get(p.role, Role.unknown) if p.role else Role.unknown,
                        status=p.status, conducts=list(facts.conducts))
    case = CaseFile(case=facts.case, persons=[person])
    case._source = facts._source
    case._from_v1 = True
    return case


def person_facts(case: CaseFile, person: CasePerson) -> Facts | None:
    """One person's conducts as a liability-facts/1 document, for `Engine.evaluate` (None without conducts)."""
    if not person.conducts:
        return None
    facts = Facts(schema="liability-facts/1", case=case.case,
                  person=Person(id=person.id, name=person.name, role=_V2_TO_V1.get(person.role),
                                status=person.status),
                  conducts=person.conducts)
    facts._source = _Shifted(case._source, person, case) if case._source else None  # type: ignore[assignment]
    return facts


class _Shifted(Document):
    """A view of the case file's positions as if the person's conducts were the top-level `conducts`."""

    def __init__(self, doc: Document, person: CasePerson, case: CaseFile):
        index = case.persons.index(person)
        super().__init__(data=doc.data, path=doc.path, positions=doc.positions)
        self._prefix = ("persons", index) if not case.from_v1 else ()

    def position(self, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
        loc = tuple(loc)
        if self._prefix and loc and loc[0] == "conducts":
            loc = self._prefix + loc
        return super().position(loc)

