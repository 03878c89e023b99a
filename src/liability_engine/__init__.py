"""liability-engine: the judicial responsibility of procuratorate staff under the
《人民检察院司法责任追究条例》 (2024) and the versions it compares with under its Art. 28.

    from liability_engine import Engine, load_facts
    result = Engine.default().evaluate(load_facts("case.yaml"))
"""

from __future__ import annotations

import sys

if not ((3, 11) <= sys.version_info[:2] < (3, 13)):  # pragma: no cover - depends on the interpreter
    raise ImportError(
        "liability-engine runs on Python 3.11 and 3.12 only: its rule engine, durable-rules 2.0.28, "
        f"does not import on Python {sys.version_info[0]}.{sys.version_info[1]} "
        "(undefined symbol PyEval_CallObject from 3.13). Create the environment with python3.11 or python3.12.")

from .determination.model import (  # noqa: E402
    Citation, ConductDetermination, Determination, Missing, Overall, Temporal, TraceEntry,
)
from .evaluate.engine import Engine, bundled_rules_path  # noqa: E402
from .errors import EngineFailure, FactsError, LiabilityError, Problem, RulesError  # noqa: E402
from .facts.model import Conduct, Facts, load_facts, parse_facts  # noqa: E402
from .rulebook.model import Rulebook, load_rulebook  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "Engine", "load_facts", "parse_facts", "Facts", "Conduct", "Determination", "ConductDetermination",
    "Citation", "Temporal", "TraceEntry", "Missing", "Overall", "Rulebook", "load_rulebook",
    "bundled_rules_path", "LiabilityError", "FactsError", "RulesError", "EngineFailure", "Problem",
    "__version__",
]
