"""Stage 5, the determination: the `liability-determination/1` model the engine produces, the
citations it carries, its trace, warnings, missing facts and sentences, the explanations (why not, what would change it) and the interview that asks
for the facts a determination is missing."""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    ".model": ["FieldTest", "ConditionCheck", "WhyNot", "FactChange", "Counterfactual", "SCHEMA", "Citation",
               "TraceEntry", "Evaluation", "Temporal", "Alternative", "Missing", "ConductDetermination", "Overall",
               "RulebookInfo", "Determination"],
    ".citations": ["citation_for", "article_citation", "provision_label", "zh_number"],
    ".trace": ["TraceBuilder"],
    ".warnings": ["warnings_of"],
    ".missing": ["missing_facts"],
    ".sentences": ["Sentences"],
    ".explain": ["facts_considered", "considered_fields", "WhyNotExplainer", "counterfactuals", "field_tests",
                 "condition_words", "Words"],
    ".interview": ["Question", "Choice", "next_question", "answer", "start_facts", "facts_document"],
})
