"""The service's response models: the library's contracts (the determination above all) with the service's
stamp added, never changed. OpenAPI is generated from these, so the HTTP contract and the CLI's JSON are
one contract: an evaluate response is a `liability-determination/1` with one more key, `service`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .. import Determination

__all__ = ["ServiceInfo", "ErrorProblem", "ErrorRecord", "EvaluateResponse", "Health", "VersionsResponse",
           "VersionDiffResponse", "RulesResponse", "DecisionTableResponse", "SchemaList", "SchemaResponse",
           "ExercisesResponse", "GradeResponse", "ERROR_SCHEMA"]

ERROR_SCHEMA = "liability-error/1"


class _Out(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)


class ServiceInfo(_Out):
    """Which engine and which rulebook answered (also in the X-Liability-Engine and X-Liability-Rulebook headers)."""

    engine_version: str
    rulebook_digest: str = Field(description="the SHA-256 content hash of the rulebook")
    rulebook_versions: list[str]
    backend: str
    decision_id: str | None = Field(default=None, description="the decision's id in the decision log, when logged")


class ErrorProblem(_Out):
    message: str
    message_zh: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = Field(default=None, description="the dotted path of the field, e.g. conducts[0].act")
    value: Any = None
    allowed: list[Any] | None = None
    suggestion: str | None = Field(default=None, description="did you mean")
    rule_id: str | None = None


class ErrorRecord(_Out):
    """liability-error/1, as `liability evaluate --jsonl` writes for a bad line, with the HTTP status."""

    schema_: Literal["liability-error/1"] = Field(default=ERROR_SCHEMA, alias="schema")
    status: int
    error: str = Field(description="facts, request, auth, not_found, method, too_large, media_type, timeout, "
                       "unavailable, training, internal")
    title: str
    title_zh: str
    source: str | None = None
    problems: list[ErrorProblem]
    service: ServiceInfo


class EvaluateResponse(Determination):
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
