"""The service's contracts that other tools read too (fastapi-free, so `liability schema error` needs no server
extra): the error record `liability-error/1` and the stamp every response carries."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ERROR_SCHEMA", "ServiceInfo", "ErrorProblem", "ErrorRecord"]

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
