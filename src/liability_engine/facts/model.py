"""The facts contract, `liability-facts/1` (SPEC §2), as strict pydantic models.

This module names the vocabulary of the contract (field names and enum values). Which act falls
under which article, and what follows from it, is legal content and lives in `rules/`.
"""

from __future__ import annotations

import datetime as _dt
import sys
from enum import Enum
from os import PathLike
from typing import Annotated, Any, Literal, Mapping

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError,
                      model_serializer, model_validator)

from .documents import Document, dotted, parse_document, read_document
from .validation import found_words, short
from ..errors import FactsError, Problem
from .procedure import PROCEDURE_ENUMS, ProcedureFacts
from ..i18n import msg
from ..i18n.vocabulary import contract_values
from .unknown import DATETIME, Flag, Vocabulary, calendar_day, maybe

__all__ = [
    "SCHEMA", "Facts", "Case", "Person", "Conduct", "Effects", "OutcomeChange",
    "CaseKind", "Role", "Status", "Act", "Fault", "Accident", "ExecutionIncident",
    "OutcomeKind", "Cause", "load_facts", "parse_facts", "facts_from_data", "as_facts", "NONE_WHEN_LEFT_OUT",
]

SCHEMA = "liability-facts/1"


class CaseKind(Vocabulary):
    criminal = "criminal"
    civil = "civil"
    administrative = "administrative"
    public_interest = "public_interest"


class Role(Vocabulary):
    procurator = "procurator"
    assistant = "assistant"
    administrative = "administrative"
    chief = "chief"
    deputy_chief = "deputy_chief"
    department_head = "department_head"


class Status(Vocabulary):
    serving = "serving"
    retired = "retired"
    transferred = "transferred"
    dismissed = "dismissed"
    deceased = "deceased"


class Act(Vocabulary):
    conceal_facts = "conceal_facts"
    distort_facts = "distort_facts"
    admit_key_evidence_improperly = "admit_key_evidence_improperly"
    reject_key_evidence_improperly = "reject_key_evidence_improperly"
    misapply_law = "misapply_law"
    fact_finding_error = "fact_finding_error"
    destroy_evidence = "destroy_evidence"
    forge_evidence = "forge_evidence"
    alter_evidence = "alter_evidence"
    hide_evidence = "hide_evidence"
    tamper_evidence = "tamper_evidence"
    torture = "torture"
    violent_evidence_collection = "violent_evidence_collection"
    illegal_evidence_collection = "illegal_evidence_collection"
    illegal_evidence_relied_on = "illegal_evidence_relied_on"
    illegal_case_filing = "illegal_case_filing"
    illegal_case_dismissal = "illegal_case_dismissal"
    illegal_restraint_of_liberty = "illegal_restraint_of_liberty"
    illegal_search = "illegal_search"
    damage_party_property = "damage_party_property"
    improper_property_measures = "improper_property_measures"
    compensation_refused = "compensation_refused"
    compensation_delayed = "compensation_delayed"
    litigation_rights_infringed = "litigation_rights_infringed"
    litigation_supervision_failure = "litigation_supervision_failure"
    public_interest_duty_failure = "public_interest_duty_failure"
    leak_case_information = "leak_case_information"
    omitted_suspect = "omitted_suspect"
    omitted_crime = "omitted_crime"
    case_handling_accident = "case_handling_accident"
    wrong_decision = "wrong_decision"
    execution_supervision_failure = "execution_supervision_failure"
    civil_administrative_supervision_failure = "civil_administrative_supervision_failure"
    wrongful_detention = "wrongful_detention"
    shield_offender = "shield_offender"
    prosecute_innocent = "prosecute_innocent"
    exceed_jurisdiction = "exceed_jurisdiction"
    illegal_use_of_weapons = "illegal_use_of_weapons"
    procedural_irregularity = "procedural_irregularity"
    document_defect = "document_defect"
    supervision_management_failure = "supervision_management_failure"
    other_duty_violation = "other_duty_violation"


class Fault(Vocabulary):
    intentional = "intentional"
    gross = "gross"
    ordinary = "ordinary"
    none = "none"
    unknown = "unknown"


class Accident(Vocabulary):
    suicide = "suicide"
    self_harm = "self_harm"
    violence = "violence"
    escape = "escape"
    collusion = "collusion"
    file_loss = "file_loss"
    evidence_loss = "evidence_loss"
    property_loss = "property_loss"


class ExecutionIncident(Vocabulary):
    illegal_commutation = "illegal_commutation"
    illegal_parole = "illegal_parole"
    illegal_release_outside_prison = "illegal_release_outside_prison"
    custody_escape = "custody_escape"
    custody_death = "custody_death"


class OutcomeKind(Vocabulary):
    recharacterized = "recharacterized"
    disposition_changed = "disposition_changed"
    prosecution_withdrawn = "prosecution_withdrawn"
    acquittal = "acquittal"


class Cause(Vocabulary):
    law_changed = "law_changed"
    law_unclear = "law_unclear"
    party_fault = "party_fault"
    new_evidence = "new_evidence"
    objective_limits = "objective_limits"
    basis_revoked = "basis_revoked"
    other_lawful = "other_lawful"
    procurator_error = "procurator_error"
    unknown = "unknown"


def _identifier(value: Any) -> Any:
    """Ids are text; a bare YAML number (`id: 17`) is read as the text it was written as (`id: 0107` is "0107",
    not the 71 YAML 1.1 reads in it: facts.documents.WrittenInt)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return getattr(value, "written", None) or str(value)
    return value


def _not_blank(value: str) -> str:
    """"   " names no case, person or conduct (the web page strips it to "", refused as empty)."""
    if not value.strip():
        raise ValueError(msg("input_hunt.id_blank"))
    return value


def _calendar_date(value: Any) -> Any:
    """A date is a calendar day: a YAML date or an ISO 'YYYY-MM-DD' string, nothing else."""
    day = calendar_day(value)
    if day == DATETIME:
        raise ValueError(msg("facts.date_not_datetime"))
    if day is not None:
        return day
    if isinstance(value, str):
        raise ValueError(msg("facts.not_a_date", value=value))
    raise ValueError(msg("facts.date_expected"))


Identifier = Annotated[str, BeforeValidator(_identifier), Field(min_length=1, max_length=200),
                       AfterValidator(_not_blank)]
CalendarDate = Annotated[_dt.date, BeforeValidator(_calendar_date)]
Text = Annotated[str, Field(max_length=100_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


KindOrUnknown = maybe(CaseKind, "null or left out: not stated, never defaulted where it decides (the conduct is "
                                  "then undetermined); unknown: not established")
AccidentOrUnknown = maybe(Accident, "unknown (or null): not established; left out: none happened")
IncidentOrUnknown = maybe(ExecutionIncident, "unknown (or null): not established; left out: none happened")
NONE_WHEN_LEFT_OUT = ("accident", "execution_incident")  # left out: none happened; null: unknown (SPEC §2)


class Case(_Strict):
    id: Identifier
    kind: KindOrUnknown = None
    summary: Text | None = None


class Person(_Strict):
    id: Identifier
    name: Text | None = None
    role: Role | None = None
    status: Status | None = None


class Effects(_Strict):
    wrongful_handling: Flag = False
    serious_consequence: Flag = False
    bad_influence: Flag = False
    major_loss: Flag = False
    conclusion_affected: Flag = True
    accident: AccidentOrUnknown = None
    execution_incident: IncidentOrUnknown = None

    @model_validator(mode="before")
    @classmethod
    def _null_is_unknown(cls, data: Any) -> Any:
        """`accident: null` is not established (SPEC §2: null means unknown), as for every other fact; an
        accident or incident left out is none (None inside)."""
        if isinstance(data, dict) and any(data.get(k, ...) is None for k in NONE_WHEN_LEFT_OUT):
            data = {**data, **{k: "unknown" for k in NONE_WHEN_LEFT_OUT if k in data and data[k] is None}}
        return data

    @model_serializer(mode="wrap")
    def _left_out_when_none(self, handler: Any) -> Any:
        """None (none happened) is written by leaving the field out, so that what is written reads back the same
        (a null would read as unknown)."""
        out = handler(self)
        for k in NONE_WHEN_LEFT_OUT:
            if out.get(k, ...) is None:
                del out[k]
        return out


class OutcomeChange(_Strict):
    kind: OutcomeKind
    cause: Cause | None = Field(default=Cause.unknown, description="null or left out: unknown")


class Conduct(_Strict):
    id: Identifier
    date: CalendarDate
    summary: Text | None = None
    act: Act
    fault: Fault = Fault.unknown
    knowing: Flag = False
    effects: Effects = Field(default_factory=Effects)
    outcome_change: OutcomeChange | None = None


class Facts(_Strict):
    """One person, one case, one or more conducts.

    To build one from untrusted data, use `parse_facts(dict or YAML/JSON text)` (or `load_facts(path)`):
    they raise FactsError with every problem located and worded for people. `Facts.model_validate`
    keeps pydantic's semantics and raises its ValidationError. `Engine.evaluate` takes either.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["liability-facts/1"] = Field(alias="schema")
    case: Case
    person: Person
    conducts: list[Conduct] = Field(min_length=1, max_length=10_000)
    procedure: ProcedureFacts | None = Field(
        default=None, description="optional: what the route after the finding depends on (Arts. 10–27; "
                                  "`liability procedure`, docs/procedure.md)")

    _source: Document | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _unique_conduct_ids(self) -> "Facts":
        seen: set[str] = set()
        for conduct in self.conducts:
            if conduct.id in seen:
                raise ValueError(msg("facts.duplicate_conduct", id=conduct.id))
            seen.add(conduct.id)
        return self

    def located(self, loc: tuple[Any, ...], message: str, **extra: Any) -> Problem:
        """A problem about this document at `loc`, with a line number when the file had one."""
        doc = self._source
        line, column = doc.position(loc) if doc else (None, None)
        return Problem(message, path=doc.path if doc else None, line=line, column=column,
                       field=dotted(loc), **extra)


# --- reading and validation errors ----------------------------------------------------------

_ENUMS_BY_FIELD: dict[str, type[Enum]] = {
    "case.kind": CaseKind, "person.role": Role, "person.status": Status, "act": Act, "fault": Fault,
    "effects.accident": Accident, "effects.execution_incident": ExecutionIncident,
    "outcome_change.kind": OutcomeKind, "outcome_change.cause": Cause, **PROCEDURE_ENUMS,
}


_UNKNOWN_ALLOWED = {"case.kind", "effects.accident", "effects.execution_incident"}
_FLAGS = {"knowing", "effects.wrongful_handling", "effects.serious_consequence", "effects.bad_influence",
          "effects.major_loss", "effects.conclusion_affected"}


MAX_PROBLEMS = 100  # a file with 50,000 unknown keys is reported by its first problems, not 50,000 lines


def validation_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    """A facts document's validation errors in the words of the facts contract (facts/contract_words.py)."""
    from .contract_words import validation_problems as worded

    return worded(exc, doc)


def facts_from_data(data: Any, *, source: Document | None = None) -> Facts:
    """Validate already-parsed data (a dict) as liability-facts/1, raising FactsError."""
    doc = source or Document(data=data, path="<data>")
    if not isinstance(data, dict):
        raise FactsError(Problem(msg("facts.not_a_mapping", got=found_words(data)), path=doc.path, line=1))
    schema = data.get("schema")
    if schema != SCHEMA:
        line, column = doc.position(("schema",))
        raise FactsError(Problem(
            msg("facts.missing_schema") if schema is None else msg("facts.unsupported_schema", value=short(schema)),
            path=doc.path, line=line, column=column, field="schema", allowed=[SCHEMA],
            suggestion=SCHEMA if schema is not None else None))
    try:
        facts = Facts.model_validate(contract_values(data))
    except ValidationError as exc:
        # The model's own duplicate-id check cannot say where; report each repeat at its `id`.
        problems = [p for p in validation_problems(exc, doc)
                    if getattr(p.message, "key", None) != "facts.duplicate_conduct"]
        raise FactsError(problems + _duplicate_ids(data, doc)) from None
    facts._source = doc
    return facts


def _duplicate_ids(data: dict[str, Any], doc: Document) -> list[Problem]:
    conducts = data.get("conducts")
    first: dict[str, int] = {}
    problems = []
    for i, conduct in enumerate(conducts if isinstance(conducts, list) else []):
        cid = _identifier(conduct.get("id")) if isinstance(conduct, dict) else None
        if not isinstance(cid, str):
            continue
        if cid in first and len(problems) < MAX_PROBLEMS:
            line, column = doc.position(("conducts", i, "id"))
            problems.append(Problem(msg("facts.duplicate_conduct_at", id=cid, first=f"conducts[{first[cid]}]"),
                                    path=doc.path, line=line, column=column,
                                    field=f"conducts[{i}].id", value=cid))
        elif cid not in first:
            first[cid] = i
    return problems


def parse_facts(raw: bytes | str | Mapping[str, Any], name: str = "<input>") -> Facts:
    """The validating constructor: facts from YAML or JSON text, or from a dict (e.g. decoded JSON).
    Raises FactsError with every problem (file or `name`, line and column where the text has them)."""
    if isinstance(raw, Mapping):
        return facts_from_data(dict(raw), source=Document(data=raw, path=name if name != "<input>" else "<data>"))
    if not isinstance(raw, (bytes, str)):
        raise FactsError(Problem(msg("facts.not_text_or_dict", got=type(raw).__name__), path=name))
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    doc = parse_document(data, name, FactsError)
    return facts_from_data(doc.data, source=doc)


def as_facts(value: Any) -> Facts:
    """A Facts as it is; a dict through `parse_facts`; anything else is a FactsError that says what to use."""
    if isinstance(value, Facts):
        return value
    if isinstance(value, Mapping):
        return parse_facts(value)
    said = msg("facts.not_facts", got=type(value).__name__)
    if isinstance(value, (str, bytes, PathLike)):
        said = said + msg("facts.read_hint")
    raise FactsError(Problem(said))


def load_facts(path: str | Any) -> Facts:
    """Read a facts file (YAML or JSON; `-` reads standard input)."""
    doc = read_document(path, FactsError, stdin=lambda: sys.stdin.buffer.read())
    return facts_from_data(doc.data, source=doc)
