"""Stage 2, the law: the rule files of `rules/` (YAML) read, checked and turned into a `Rulebook` of
versions, rules and articles, and the conditions language the rules are written in."""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    ".model": ["Rulebook", "Version", "Rule", "TemporalRule", "Article", "Bilingual", "conduct_schema",
               "load_rulebook"],
    ".conditions": ["NULL", "FieldSpec", "Schema", "Test", "All", "Any_", "Condition", "ConditionError",
                    "parse_condition", "evaluate", "failing_tests", "tests_of", "values_of", "values_read",
                    "describe"],
})
