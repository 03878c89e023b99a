"""The error contract, `liability-error/1`: what stands in the JSON output in place of an input that
could not be evaluated (an invalid facts file, a bad line of a --jsonl batch, or a bug).

One input file gives one JSON document: its determination, or this record. A folder, several
files or a --jsonl batch give JSON Lines: one record per input, in input order, this record in
place of each input that could not be evaluated. The JSON Schema is `liability schema error`
(schemas/error.schema.json); docs/errors.md describes it.

The service answers every HTTP error in this same contract (docs/service.md), with four fields the
command line leaves out: `status`, `title`, `title_zh` and `service`. One model serves both.
"""

from __future__ import annotations

from typing import Any, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field

from ..errors import Problem, writable

__all__ = ["ERROR_SCHEMA", "ERROR_KINDS", "ErrorKind", "ErrorRecord", "ProblemRecord", "ServiceInfo", "error_record"]

ERROR_SCHEMA = "liability-error/1"

#: What kind of error a record stands for. The command line writes only `internal` (a bug; an invalid
#: input has no `error`); the service names every error: the input (facts, training, rules), the request
#: (request, auth, not_found, method, too_large, media_type) or the service (timeout, unavailable, internal).
ERROR_KINDS = ("facts", "training", "rules", "request", "auth", "not_found", "method", "too_large", "media_type",
               "timeout", "unavailable", "internal")
ErrorKind = Literal["facts", "training", "rules", "request", "auth", "not_found", "method", "too_large",
                    "media_type", "timeout", "unavailable", "internal"]


class ServiceInfo(BaseModel):
    """Over HTTP: which engine and which rulebook answered (also in the X-Liability-Engine and
    X-Liability-Rulebook headers)."""

    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)

    engine_version: str
    rulebook_digest: str = Field(description="the SHA-256 content hash of the rulebook")
    rulebook_versions: list[str]
    backend: str
    decision_id: str | None = Field(default=None, description="the decision's id in the decision log, when logged")


class ProblemRecord(BaseModel):
    """One thing wrong with the input, located as precisely as the input allows."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(description="what is wrong and how to fix it")
    path: str | None = Field(default=None, description="the file (or the batch file) the problem is in")
    line: int | None = Field(default=None, ge=1, description="the line in that file, from 1")
    column: int | None = Field(default=None, ge=1, description="the column in that line, from 1")
    field: str | None = Field(default=None, description="the field, dotted, e.g. conducts[0].act")
    value: Any = Field(default=None, description="the value found")
    allowed: list[Any] | None = Field(default=None, description="the values allowed there")
    suggestion: str | None = Field(default=None, description="the allowed value closest to the one found")
    rule_id: str | None = Field(default=None, description="for a problem in the rules: the rule")
    message_zh: str | None = Field(default=None, description="the message in Chinese, where it has been written")
    allowed_zh: list[Any] | None = Field(default=None, description="the values allowed there, in Chinese words")
    suggestion_zh: str | None = Field(default=None, description="the suggestion, in Chinese words")


class ErrorRecord(BaseModel):
    """An input that could not be evaluated, in place of its determination."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)

    schema_: Literal["liability-error/1"] = Field(default=ERROR_SCHEMA, alias="schema")
    status: int | None = Field(default=None, ge=400, le=599, description="over HTTP: the response's status; "
                                                                         "absent on the command line")
    error: ErrorKind | None = Field(
        default=None, description="on the command line: absent when the input is invalid (exit status 2), "
                                  "'internal' for a bug, not a problem with the input (exit status 1); over HTTP "
                                  "always present: " + ", ".join(ERROR_KINDS))
    title: str | None = Field(default=None, description="over HTTP: the error kind in words (English)")
    title_zh: str | None = Field(default=None, description="over HTTP: the error kind in words (Chinese)")
    source: str | None = Field(default=None, description="the input: a file as given on the command line, - for "
                                                         "stdin, or the batch file (always written by the command "
                                                         "line); over HTTP, 'request body' where the body was at fault")
    line: int | None = Field(default=None, ge=1, description="in a --jsonl batch: the input line this record "
                                                                "stands for; absent otherwise")
    problems: list[ProblemRecord] = Field(min_length=1, description="every problem found, at once")
    service: ServiceInfo | None = Field(default=None, description="over HTTP: which engine and rulebook answered")


def error_record(source: str, problems: Sequence[Problem], *, line: int | None = None,
                 kind: str | None = None) -> dict[str, Any]:
    """The record as a plain dict, keys in contract order, absent fields left out (as batch output writes it)."""
    record: dict[str, Any] = {"schema": ERROR_SCHEMA, "source": source}
    if line is not None:
        record["line"] = line
    if kind:
        record["error"] = kind
    record["problems"] = [p.as_dict() for p in problems]
    return writable(record)  # type: ignore[no-any-return]
