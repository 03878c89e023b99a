"""The case-file contract, `liability-facts/2`: several persons, their conducts, and the decisions
they took part in (docs/casefile.md).

This module names the vocabulary of the contract (field names and values) and its models; who bears
what for a decision is legal content and lives in `rules/<version>/allocation.yaml`. Reading a file
of either contract is `reading.py`, checking a case file `validation.py` and `references.py`, a
`liability-facts/1` file read as a case with one person (and back) `persons.py`.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr

from .._exports import exports
from ..errors import Problem
from ..i18n import msg
from ..facts.documents import Document, dotted
from ..facts.model import Case, Cause, Conduct, Identifier, OutcomeKind, Status
from ..facts.unknown import DATETIME, Tri, TriField, Vocabulary, calendar_day
from .reading import SCHEMA

__all__ = [
    "SCHEMA", "CaseFile", "CasePerson", "Decision", "ReportedFacts", "Objection", "Vote", "DecisionOutcome",
    "Role", "Tri", "Defect", "VoteValue", "DeciderKind", "load_case_file", "parse_case_file",
    "case_file_from_data", "case_from_facts", "person_facts", "load_any", "parse_any", "RESERVED_DECIDERS",
]


class Role(Vocabulary):
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


class Defect(Vocabulary):
    """What was wrong with the facts reported to the decider."""

    none = "none"            # truthful and complete
    concealed = "concealed"  # 故意隐瞒
    distorted = "distorted"  # 歪曲
    omitted = "omitted"      # 遗漏重要事实、证据或者情节
    unknown = "unknown"


class VoteValue(Vocabulary):
    for_ = "for"          # for the decision as taken
    against = "against"
    abstain = "abstain"
    unknown = "unknown"


class DeciderKind(Vocabulary):
    person = "person"
    committee = "committee"
    upper_procuratorate = "upper_procuratorate"
    unknown = "unknown"


RESERVED_DECIDERS = ("committee", "upper_procuratorate", "unknown")

def _unknown_none(value: Any) -> Any:
    return "unknown" if value is None else value


def _date_or_unknown(value: Any) -> Any:
    if value is None or value == "unknown":
        return None
    day = calendar_day(value)
    if day == DATETIME:
        raise ValueError(msg("facts.date_not_datetime"))
    if day is None:
        raise ValueError(msg("allocation.error.not_a_date_or_unknown", value=repr(value)))
    return day


Ref = Identifier  # an id of the file, written as the id it refers to
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


# Reading, checking and converting a case file are modules of their own; their names are found here too, when
# first used (an import at the top would be a cycle: they import this module).
_, __getattr__ = exports(__name__, {"..persons": ["case_from_facts", "person_facts"],
                                    "..reading": ["load_any", "load_case_file", "parse_any", "parse_case_file"],
                                    "..validation": ["case_file_from_data"]})
