"""Stage 3, compilation: a version's rules become a `Ruleset` (within the engine's limits) that a
backend runs: durable-rules (`_durable`) or the pure-Python evaluator of the same conditions
(`reference`); and the cache of checked rulebooks."""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    ".ruleset": ["Ruleset", "compile_ruleset", "to_durable", "MAX_RULES", "MAX_GROUPS", "FACT_KIND"],
    ".backend": ["Backend", "BackendName", "make_backend"],
    ".reference": ["PythonBackend"],
    ".rulecache": ["cached_rulebook", "cache_dir", "cache_key", "engine_for"],
})
