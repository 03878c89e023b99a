"""The service's contracts that other tools read too (fastapi-free, so `liability schema error` needs no server
extra): the error record `liability-error/1` (one model with the command line's, in `error_record`) and the
stamp every response carries."""

from __future__ import annotations

from ..error_record import ERROR_SCHEMA, ErrorRecord, ServiceInfo
from ..error_record import ProblemRecord as ErrorProblem

__all__ = ["ERROR_SCHEMA", "ServiceInfo", "ErrorProblem", "ErrorRecord"]
