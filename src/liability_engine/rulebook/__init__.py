"""Stage 2, the law: the rule files of `rules/` (YAML, `files`) read and checked (`load`), their rules
compiled (`rules`, `acts`, `precedence`) into a `Rulebook` of versions, rules and articles (`model`);
and the condition language rules are written in (`conditions`, `temporal` for Art. 28's)."""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    ".model": ["Rulebook", "Version", "Rule", "TemporalRule", "Article"],
    ".load": ["load_rulebook"],
    ".conditions": ["NULL", "FieldSpec", "Schema", "Test", "All", "Any_", "Condition", "ConditionError",
                    "parse_condition", "evaluate", "failing_tests", "tests_of", "values_of", "values_read",
                    "describe"],
    ".temporal": ["temporal_schema", "Comparison", "comparison_fact", "check_exhaustive"],
})
