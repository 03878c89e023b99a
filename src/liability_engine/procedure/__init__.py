"""After the finding: who investigates, who reviews, which body gives the opinion, who decides,
the measures and referrals, leniency and strictness, and the deadlines (Arts. 10–27 of the 2024
regulation), as the `liability-procedure/1` contract.

    from liability_engine import Engine, load_facts, procedure
    route = procedure(Engine.default(), load_facts("case.yaml"), as_of=date(2026, 1, 1))

The legal content (bodies, measures, periods, articles) is in `rules/<version>/procedure/*.yaml`;
this package holds the mechanism: loading and checking the rule files (`rules`), the calendar
(`calendar`), evaluating the route (`evaluate`), the report (`report`). The facts it reads, the
`procedure:` block, are part of the facts contract (`liability_engine.facts.procedure`).
"""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    "..facts.procedure": ["ProcedureFacts", "ProcedureDates", "Leniency", "Obstruction", "Outcome"],
    ".model": ["ProcedureRoute", "RouteStep", "StepOutcome", "Deadline", "SCHEMA"],
    ".evaluate": ["procedure", "evaluate_route"],
    ".rules": ["ProcedureRules", "load_procedure_rules", "check_procedure_rules"],
    ".report": ["build_report", "report_markdown", "report_docx"],
})
