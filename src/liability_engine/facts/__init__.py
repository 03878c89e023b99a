"""Stage 1, the facts: the `liability-facts/1` model of a case, a person and their conducts, and how
a facts document is read (safely: size and depth limits, line numbers) and checked."""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    ".model": ["SCHEMA", "Facts", "Case", "Person", "Conduct", "Effects", "OutcomeChange", "CaseKind", "Role",
               "Status", "Act", "Fault", "Accident", "ExecutionIncident", "OutcomeKind", "Cause", "load_facts",
               "parse_facts", "facts_from_data"],
    ".fields": ["NULL", "FieldSpec", "Schema", "conduct_schema", "field_key", "field_name", "show_value", "FactReader", "fact_with",
                "conduct_with"],
    ".documents": ["Document", "read_document", "parse_document", "dotted", "max_bytes", "DEFAULT_MAX_BYTES",
                   "MAX_DEPTH", "MAX_VALUES"],
})
