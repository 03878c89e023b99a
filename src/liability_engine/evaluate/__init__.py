"""Stage 4, evaluation: the `Engine` façade (engine) runs each conduct (conduct) through the versions
in force (decision), resolves what fired by precedence (resolution), chooses the version to apply
under Art. 28 (article28), and remembers recent answers (memo)."""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    ".engine": ["Engine", "bundled_rules_path"],
    ".decision": ["Outcome", "Decision", "Decider"],
    ".article28": ["Article28", "Choice", "temporal_record"],
    ".conduct": ["ConductJudge"],
    ".resolution": ["Resolution", "resolve"],
    ".memo": ["Memo"],
})
