"""Tools for rule authors: checks of a rulebook, YAML rule tests (and their pytest plugin), the JSON
Schemas of every contract, and the difference versions make on a docket (`versions diff`)."""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    ".checks": ["check_rulebook", "semantic_problems"],
    ".rule_tests": ["RuleCase", "CaseResult", "load_cases", "run_case", "DEFAULT_AS_OF", "coverage"],
    ".schemas": ["SCHEMA_KINDS", "json_schema", "render_schema", "shipped_schema_folder", "write_schemas"],
    ".version_diff": ["VersionDifference", "compare_versions"],
})
