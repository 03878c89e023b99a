"""Training (`liability train`): a bank of exercises, drawn and answered, checked against the engine,
with variants generated from the rules and progress kept between sessions."""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    ".trainer": ["TrainingError", "Exercise", "Answer", "Result", "Change", "Trainer", "CoverageRow", "ArticleStats",
                 "PARTS", "SHEET_FIELDS", "bundled_bank_path", "progress_path", "parse_finding", "parse_provision",
                 "parse_number", "parse_liable", "parse_sheet", "topic_matches", "select", "append_progress",
                 "read_progress", "article_stats", "sheet_report", "iter_exports", "load_bank", "Phrases",
                 "same_provision"],
})
