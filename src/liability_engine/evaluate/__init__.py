"""Stage 4, evaluation: the `Engine` runs each conduct through the version in force, resolves what
fired (precedence), chooses the version to apply under Art. 28, and remembers recent answers."""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    ".engine": ["Engine", "bundled_rules_path"],
    ".resolution": ["Resolution", "resolve"],
    ".temporal": ["temporal_schema", "Comparison", "comparison_fact", "check_exhaustive"],
    ".memo": ["Memo"],
})
