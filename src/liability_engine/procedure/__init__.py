"""After the finding: who investigates, who reviews, which body gives the opinion, who decides,
the measures and referrals, leniency and strictness, and the deadlines (Arts. 10–27 of the 2024
regulation), as the `liability-procedure/1` contract.

    from liability_engine import Engine, load_facts, procedure
    route = procedure(Engine.default(), load_facts("case.yaml"), as_of=date(2026, 1, 1))

The legal content (bodies, measures, periods, articles) is in `rules/<version>/procedure/*.yaml`;
this package holds the mechanism: the facts block (`facts`), loading and checking the rule files
(`rules`), the calendar (`calendar`), evaluating the route (`evaluate`), the report (`report`).
Names are imported lazily: the facts model imports `procedure.facts` while the package is loading.
"""

from __future__ import annotations

from typing import Any

__all__ = ["procedure", "ProcedureFacts", "ProcedureRoute", "ProcedureRules", "load_procedure_rules",
           "PROCEDURE_SCHEMA"]

_LAZY = {
    "ProcedureFacts": ("facts", "ProcedureFacts"),
    "procedure": ("evaluate", "procedure"),
    "ProcedureRoute": ("model", "ProcedureRoute"),
    "PROCEDURE_SCHEMA": ("model", "SCHEMA"),
    "ProcedureRules": ("rules", "ProcedureRules"),
    "load_procedure_rules": ("rules", "load_procedure_rules"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    raise AttributeError(name)
