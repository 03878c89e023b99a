"""The case-file contract, `liability-facts/2`: several persons, their conducts, and the decisions
they took part in (docs/casefile.md).

A `liability-facts/1` file is read as a case with one person and no decisions
(`case_from_facts`). This module names the vocabulary of the contract (field names and values);
who bears what for a decision is legal content and lives in `rules/<version>/allocation.yaml`.
"""

from __future__ import annotations

import datetime as _dt
import sys
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError

from ..facts.documents import Document, dotted, parse_document, read_document
from ..errors import FactsError, Problem, did_you_mean
from ..i18n import msg
from ..facts.model import SCHEMA as FACTS_V1
from ..facts.model import (Case, Cause, Conduct, Facts, OutcomeKind, Person, Role as RoleV1, Status, facts_from_data,
                           validation_problems)

__all__ = [
    "SCHEMA", "CaseFile", "CasePerson", "Decision", "ReportedFacts", "Objection", "Vote", "DecisionOutcome",
    "Role", "Tri", "Defect", "VoteValue", "DeciderKind", "load_case_file", "parse_case_file",
    "case_file_from_data", "case_from_facts", "person_facts", "load_any", "parse_any", "RESERVED_DECIDERS",
]

SCHEMA = "liability-facts/2"


class _Vocabulary(str, Enum):
    def __str__(self) -> str:
        return self.value


class Role(_Vocabulary):
    independent_procurator = "independent_procurator"      # 独任检察官
    lead_procurator = "lead_procurator"                    # 主办检察官
    team_procurator = "team_procurator"                    # 办案组检察官
    procurator = "procurator"                              # 检察官 (kind not stated; a liability-facts/1 file)
    assistant = "assistant"                                # 检察官助理
    clerk = "clerk"                                        # 书记员
    judicial_police = "judicial_police"                    # 司法警察
    technician = "technician"                              # 检察技术人员
    administrative = "administrative"                      # 司法行政人员 (a liability-facts/1 file)
    department_head = "department_head"                    # 部门负责人
    deputy_chief = "deputy_chief"                          # 副检察长
    chief_procurator = "chief_procurator"                  # 检察长
    committee_member = "committee_member"                  # 检察委员会委员
    upper_procuratorate_staff = "upper_procuratorate_staff"  # 上级人民检察院人员
    unknown = "unknown"


class Tri(_Vocabulary):
    """A yes/no fact that may not be established: `true`/`false`/`unknown` (also yes/no, null)."""

    yes = "yes"
    no = "no"
    unknown = "unknown"


class Defect(_Vocabulary):
    """What was wrong with the facts reported to the decider."""

    none = "none"            # truthful and complete
    concealed = "concealed"  # 故意隐瞒
    distorted = "distorted"  # 歪曲
    omitted = "omitted"      # 遗漏重要事实、证据或者情节
    unknown = "unknown"


class VoteValue(_Vocabulary):
    for_ = "for"          # for the decision as taken
    against = "against"
    abstain = "abstain"
    unknown = "unknown"


class DeciderKind(_Vocabulary):
    person = "person"
    committee = "committee"
    upper_procuratorate = "upper_procuratorate"
    unknown = "unknown"


RESERVED_DECIDERS = ("committee", "upper_procuratorate", "unknown")

_TRUE = ("yes", "true")
_FALSE = ("no", "false")


def _tri(value: Any) -> Any:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _TRUE:
            return "yes"
        if low in _FALSE:
            return "no"
    return value


def _identifier(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    return value


def _unknown_none(value: Any) -> Any:
    return "unknown" if value is None else value


def _date_or_unknown(value: Any) -> Any:
    if value is None or value == "unknown":
        return None
    if isinstance(value, _dt.datetime):
        raise ValueError("expected a calendar date (YYYY-MM-DD), not a date and time")
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a calendar date written YYYY-MM-DD (or unknown)")


TriField = Annotated[Tri, BeforeValidator(_tri, json_schema_input_type=bool | Tri | None)]
Identifier = Annotated[str, BeforeValidator(_identifier), Field(min_length=1, max_length=200)]
Ref = Annotated[str, BeforeValidator(_identifier), Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=100_000)]
MaybeDate = Annotated[_dt.date | None, BeforeValidator(_date_or_unknown,
                                                       json_schema_input_type=_dt.date | Literal["unknown"] | None)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CasePerson(_Strict):
    id: Identifier
    name: Text | None = None
    role: Annotated[Role, BeforeValidator(_unknown_none)] = Role.unknown
    procurator_post: TriField = Tri.unknown   # 员额检察官
    leadership: TriField = Tri.unknown        # 院领导班子成员及相当职务人员
    status: Status | None = None
    conducts: list[Conduct] = Field(default_factory=list, max_length=10_000)


class ReportedFacts(_Strict):
    by: Ref | None = None                               # the person who reported the facts to the decider
    truthful_complete: TriField = Tri.unknown
    defect: Annotated[Defect, BeforeValidator(_unknown_none)] = Defect.unknown


class Objection(_Strict):
    by: Ref
    in_writing: TriField = Tri.unknown


class Vote(_Strict):
    member: Ref
    vote: Annotated[VoteValue, BeforeValidator(_unknown_none)] = VoteValue.unknown


class DecisionOutcome(_Strict):
    """The change of the case's outcome the decision led to (Art. 9)."""

    kind: Annotated[OutcomeKind | Literal["unknown"], BeforeValidator(_unknown_none)] = "unknown"
    cause: Cause = Cause.unknown


class Decision(_Strict):
    id: Identifier
    matter: Text | None = None                  # what was decided, e.g. 决定提起公诉
    date: MaybeDate = None                      # when (unknown: null or `unknown`)
    proposed_by: Ref | None = None              # a person id
    decided_by: Ref = "unknown"                 # a person id, `committee`, `upper_procuratorate` or `unknown`
    within_powers: TriField = Tri.unknown       # within the decider's powers (职权范围)
    changed_opinion: TriField = Tri.unknown     # the decision changed the handling procurator's opinion
    wrong: TriField = Tri.unknown               # the decision was wrong (错误)
    manifestly_unlawful: TriField = Tri.unknown  # 明显违法
    facts_reported: ReportedFacts = Field(default_factory=ReportedFacts)
    objections: list[Objection] = Field(default_factory=list, max_length=1_000)
    votes: list[Vote] = Field(default_factory=list, max_length=1_000)
    reviewed_by: list[Ref] = Field(default_factory=list, max_length=1_000)  # e.g. the department head (审核)
    team: list[Ref] = Field(default_factory=list, max_length=1_000)         # the procurator team (办案组)
    executed_by: list[Ref] = Field(default_factory=list, max_length=1_000)
    led_to_conducts: list[Ref] = Field(default_factory=list, max_length=10_000)
    outcome: DecisionOutcome | None = None
    summary: Text | None = None

    @property
    def decider_kind(self) -> DeciderKind:
        if self.decided_by in RESERVED_DECIDERS:
            return DeciderKind(self.decided_by)
        return DeciderKind.person


class Choices(_Strict):
    """Labelled choices where the sources leave a question open (each warns when it decides)."""

    auxiliary_staff: Literal["unset", "pursued", "not_pursued"] = "unset"


class CaseFile(_Strict):
    """One case: several persons, their conducts, and the decisions they took part in."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["liability-facts/2"] = Field(default=SCHEMA, alias="schema")
    case: Case
    persons: list[CasePerson] = Field(min_length=1, max_length=1_000)
    decisions: list[Decision] = Field(default_factory=list, max_length=1_000)
    choices: Choices = Field(default_factory=Choices)

    _source: Document | None = PrivateAttr(default=None)
    _from_v1: bool = PrivateAttr(default=False)

    @property
    def from_v1(self) -> bool:
        """True when this case was read from a liability-facts/1 file."""
        return self._from_v1

    def person(self, pid: str) -> CasePerson | None:
        return next((p for p in self.persons if p.id == pid), None)

    def owner_of(self, conduct_id: str) -> CasePerson | None:
        return next((p for p in self.persons if any(c.id == conduct_id for c in p.conducts)), None)

    def located(self, loc: tuple[Any, ...], message: str, **extra: Any) -> Problem:
        doc = self._source
        line, column = doc.position(loc) if doc else (None, None)
        return Problem(message, path=doc.path if doc else None, line=line, column=column, field=dotted(loc), **extra)


# --- reading ----------------------------------------------------------------------------------

def _references(case: CaseFile, doc: Document) -> list[Problem]:
    """Every id a decision names must be a person (or conduct) of the file: located, with a did-you-mean."""
    problems: list[Problem] = []
    person_ids = [p.id for p in case.persons]
    conduct_ids: list[str] = []
    seen_p: dict[str, int] = {}
    for i, p in enumerate(case.persons):
        if p.id in seen_p:
            problems.append(_at(doc, ("persons", i, "id"), f"duplicate person id '{p.id}' (also persons[{seen_p[p.id]}])"
                                ": each person needs its own id", value=p.id))
        seen_p.setdefault(p.id, i)
        if p.id in RESERVED_DECIDERS:
            problems.append(_at(doc, ("persons", i, "id"), f"'{p.id}' is a reserved word of decided_by; give the "
                                "person another id", value=p.id))
        for j, c in enumerate(p.conducts):
            if c.id in conduct_ids:
                problems.append(_at(doc, ("persons", i, "conducts", j, "id"), f"duplicate conduct id '{c.id}': "
                                    "conduct ids are unique in the whole case file (decisions refer to them)",
                                    value=c.id))
            conduct_ids.append(c.id)
    seen_d: set[str] = set()

    def person_ref(value: str | None, loc: tuple[Any, ...], extra: tuple[str, ...] = ()) -> None:
        if value is None or value in person_ids or value in extra:
            return
        allowed = person_ids + list(extra)
        problems.append(_at(doc, loc, f"no person '{value}' in this case file", value=value, allowed=allowed,
                            suggestion=did_you_mean(value, allowed)))

    for i, d in enumerate(case.decisions):
        base = ("decisions", i)
        if d.id in seen_d:
            problems.append(_at(doc, base + ("id",), f"duplicate decision id '{d.id}'", value=d.id))
        seen_d.add(d.id)
        person_ref(d.proposed_by, base + ("proposed_by",))
        person_ref(d.decided_by, base + ("decided_by",), RESERVED_DECIDERS)
        person_ref(d.facts_reported.by, base + ("facts_reported", "by"))
        for j, o in enumerate(d.objections):
            person_ref(o.by, base + ("objections", j, "by"))
        voters: set[str] = set()
        for j, v in enumerate(d.votes):
            person_ref(v.member, base + ("votes", j, "member"))
            if v.member in voters:
                problems.append(_at(doc, base + ("votes", j, "member"), f"'{v.member}' votes twice on this decision",
                                    value=v.member))
            voters.add(v.member)
        if d.votes and d.decided_by not in ("committee", "unknown"):
            problems.append(_at(doc, base + ("votes",), "votes are recorded for a committee decision: set decided_by "
                                "to committee (or remove the votes)", allowed=["committee"]))
        for key in ("reviewed_by", "team", "executed_by"):
            for j, ref in enumerate(getattr(d, key)):
                person_ref(ref, base + (key, j))
        for j, ref in enumerate(d.led_to_conducts):
            if ref not in conduct_ids:
                problems.append(_at(doc, base + ("led_to_conducts", j), f"no conduct '{ref}' in this case file",
                                    value=ref, allowed=conduct_ids, suggestion=did_you_mean(ref, conduct_ids)))
        t = d.facts_reported
        if t.truthful_complete is Tri.yes and t.defect not in (Defect.none, Defect.unknown):
            problems.append(_at(doc, base + ("facts_reported",), f"contradictory: truthful_complete is true but the "
                                f"defect is '{t.defect.value}'; correct one of them"))
        if t.truthful_complete is Tri.no and t.defect is Defect.none:
            problems.append(_at(doc, base + ("facts_reported",), "contradictory: truthful_complete is false but the "
                                "defect is 'none'; say what was wrong (concealed, distorted, omitted) or unknown"))
    return problems


def _at(doc: Document, loc: tuple[Any, ...], message: str, **extra: Any) -> Problem:
    line, column = doc.position(loc)
    return Problem(message, path=doc.path, line=line, column=column, field=dotted(loc), **extra)


def _v2_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    """The facts loader's problems, with this contract's fields and values for the did-you-mean."""
    from ..facts.model import _ENUMS_BY_FIELD

    enums: dict[str, type[Enum]] = dict(_ENUMS_BY_FIELD)
    enums.update({"person.role": Role, "person.status": Status, "defect": Defect, "vote": VoteValue})
    out = []
    for p in validation_problems(exc, doc):
        field = p.field or ""
        loc = _loc_of(field)
        generic = ".".join(str(x) for x in loc if not isinstance(x, int))
        if generic.startswith("persons.conducts."):
            generic = generic[len("persons.conducts."):]
        elif generic.startswith("persons."):
            generic = "person." + generic[len("persons."):]
        elif generic.startswith("decisions."):
            generic = generic.rsplit(".", 1)[-1]
        where = dict(path=p.path, line=p.line, column=p.column, field=p.field)
        if p.message.startswith("unknown field"):
            parent = _model_at_v2(loc[:-1])
            if parent is not None:
                allowed = [i.alias or n for n, i in parent.model_fields.items()]
                p = Problem(p.message, allowed=allowed, suggestion=did_you_mean(loc[-1], allowed), **where)
        elif "'yes', 'no' or 'unknown'" in p.message or p.allowed == ["yes", "no", "unknown"]:
            allowed = ["true", "false", "unknown"]
            p = Problem(msg("facts.expected_flag", value=repr(p.value)), value=p.value, allowed=allowed,
                        suggestion=did_you_mean(p.value, allowed), **where)
        elif generic in enums and not p.message.startswith("required field is missing") and p.allowed is None:
            allowed = [m.value for m in enums[generic]]
            p = Problem(msg("facts.unknown_value", value=repr(p.value)), value=p.value, allowed=allowed,
                        suggestion=did_you_mean(p.value, allowed), **where)
        elif generic in enums and p.allowed is not None and field.startswith(("persons", "decisions")):
            allowed = [m.value for m in enums[generic]]
            p = Problem(p.message, value=p.value, allowed=allowed, suggestion=did_you_mean(p.value, allowed),
                        **where)
        out.append(p)
    return out


def _loc_of(field: str) -> tuple[Any, ...]:
    out: list[Any] = []
    for part in field.replace("]", "").replace("[", ".").split("."):
        if part:
            out.append(int(part) if part.isdigit() else part)
    return tuple(out)


def _model_at_v2(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    from ..facts.validation import inner_model

    model: type[BaseModel] | None = CaseFile
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) or next((f for f in model.model_fields.values() if f.alias == part), None)
        if info is None:
            return None
        model = inner_model(info.annotation)
    return model


def case_file_from_data(data: Any, *, source: Document | None = None) -> CaseFile:
    """Validate already-parsed data as liability-facts/2, raising FactsError with located problems."""
    doc = source or Document(data=data, path="<data>")
    if not isinstance(data, dict):
        raise FactsError(Problem(f"expected a mapping with schema, case, persons and decisions; got "
                                 f"{type(data).__name__}", path=doc.path, line=1))
    if data.get("schema") != SCHEMA:
        line, column = doc.position(("schema",))
        raise FactsError(Problem(f"unsupported schema {data.get('schema')!r}", path=doc.path, line=line, column=column,
                                 field="schema", allowed=[FACTS_V1, SCHEMA]))
    if "persons" not in data and ("person" in data or "conducts" in data):
        line, column = doc.position(("schema",))
        raise FactsError(Problem("this document has `person:` and `conducts:`, the shape of liability-facts/1, but "
                                 "says liability-facts/2 (a case file with `persons:` and `decisions:`): set the "
                                 "schema to liability-facts/1, or write the people under `persons:`",
                                 path=doc.path, line=line, column=column, field="schema", value=SCHEMA,
                                 allowed=[FACTS_V1, SCHEMA], suggestion=FACTS_V1))
    try:
        case = CaseFile.model_validate(data)
    except ValidationError as exc:
        raise FactsError(_v2_problems(exc, doc)) from None
    problems = _references(case, doc)
    if problems:
        raise FactsError(problems)
    case._source = doc
    return case


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


def _dispatch(data: Any, doc: Document) -> Facts | CaseFile:
    if isinstance(data, dict) and data.get("schema") == SCHEMA:
        return case_file_from_data(data, source=doc)
    if isinstance(data, dict) and data.get("schema") not in (None, FACTS_V1):
        line, column = doc.position(("schema",))
        raise FactsError(Problem(f"unsupported schema {data.get('schema')!r}", path=doc.path, line=line,
                                 column=column, field="schema", allowed=[FACTS_V1, SCHEMA],
                                 suggestion=did_you_mean(str(data.get("schema")), [FACTS_V1, SCHEMA])))
    return facts_from_data(data, source=doc)


def load_any(path: str | Any) -> Facts | CaseFile:
    """Read a facts file of either contract: liability-facts/1 → Facts, liability-facts/2 → CaseFile."""
    doc = read_document(path, FactsError, stdin=lambda: sys.stdin.buffer.read())
    return _dispatch(doc.data, doc)


def parse_any(raw: bytes | str, name: str = "<input>") -> Facts | CaseFile:
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    doc = parse_document(data, name, FactsError)
    return _dispatch(doc.data, doc)


def load_case_file(path: str | Any) -> CaseFile:
    """Read a case file; a liability-facts/1 file is read as a case with one person."""
    found = load_any(path)
    return found if isinstance(found, CaseFile) else case_from_facts(found)


def parse_case_file(raw: bytes | str, name: str = "<input>") -> CaseFile:
    found = parse_any(raw, name)
    return found if isinstance(found, CaseFile) else case_from_facts(found)
