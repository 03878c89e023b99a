"""The service's response models: the library's contracts (the determination above all) with the service's
stamp added, never changed. OpenAPI is generated from these, so the HTTP contract and the CLI's JSON are
one contract: an evaluate response is a `liability-determination/1` with one more key, `service`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .. import Determination
from ..allocation.determination import CaseDetermination
from .contracts import ERROR_SCHEMA, ErrorProblem, ErrorRecord, ServiceInfo

__all__ = ["ServiceInfo", "ErrorProblem", "ErrorRecord", "EvaluateResponse", "CaseEvaluateResponse", "Health", "VersionsResponse",
           "VersionDiffResponse", "RulesResponse", "DecisionTableResponse", "SchemaList", "SchemaResponse",
           "ExercisesResponse", "GradeResponse", "ERROR_SCHEMA"]


class _Out(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)


class EvaluateResponse(Determination):
    service: ServiceInfo


class CaseEvaluateResponse(CaseDetermination):
    """A case file's answer: its `liability-case-determination/1` with the service's stamp."""

    service: ServiceInfo


class Health(_Out):
    status: Literal["ok"]
    service: ServiceInfo


class VersionsResponse(_Out):
    versions: list[dict[str, Any]]
    service: ServiceInfo


class VersionDiffResponse(_Out):
    old: str
    new: str
    conducts_compared: int
    differences: list[dict[str, Any]]
    service: ServiceInfo


class RulesResponse(_Out):
    rules: list[dict[str, Any]]
    service: ServiceInfo


class DecisionTableResponse(_Out):
    version: str
    article: int
    lang: str
    rows: list[dict[str, Any]]
    service: ServiceInfo


class SchemaList(_Out):
    schemas: list[str]
    service: ServiceInfo


class SchemaResponse(_Out):
    kind: str
    json_schema: dict[str, Any] = Field(alias="schema")
    service: ServiceInfo


class ExercisesResponse(_Out):
    exercises: list[dict[str, Any]]
    service: ServiceInfo


class GradeResponse(_Out):
    report: dict[str, Any] = Field(description="liability-training-report/1")
    service: ServiceInfo
