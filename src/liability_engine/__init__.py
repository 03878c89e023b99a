"""liability-engine: the judicial responsibility of procuratorate staff under the
《人民检察院司法责任追究条例》 (2024) and the versions it compares with under its Art. 28.

    from liability_engine import Engine, load_facts
    result = Engine.default().evaluate(load_facts("case.yaml"))
"""

from __future__ import annotations

from .determination.model import (
    Citation, ConductDetermination, Determination, EngineInfo, Missing, Overall, Temporal, TraceEntry,
)
from .evaluate.engine import Engine, bundled_rules_path
from .errors import EngineFailure, FactsError, LiabilityError, Problem, RulesError
from .facts.model import Conduct, Facts, load_facts, parse_facts
from .rulebook.model import Rulebook
from .runtime import BackendUnavailable

__version__ = "0.1.0"


# Imported when first used: a command-line run reads its rulebook from the cache (compile/rulecache.py),
# so the loader and rule compiler are not imported at all, nor the procedure's models by `evaluate`.
_LAZY = {"load_rulebook": (".rulebook.load", "load_rulebook"), "ProcedureFacts": (".facts.procedure", "ProcedureFacts"),
         "ProcedureRoute": (".procedure.model", "ProcedureRoute"), "procedure_route": (".procedure.evaluate", "procedure")}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module, attr = _LAZY[name]
    return getattr(importlib.import_module(module, __name__), attr)

__all__ = [
    "Engine", "load_facts", "parse_facts", "Facts", "Conduct", "Determination", "ConductDetermination",
    "Citation", "Temporal", "TraceEntry", "Missing", "Overall", "EngineInfo", "Rulebook", "load_rulebook",
    "bundled_rules_path", "LiabilityError", "FactsError", "RulesError", "EngineFailure", "BackendUnavailable",
    "Problem", "ProcedureFacts", "ProcedureRoute", "procedure_route",
    "__version__",
]
