"""Training (`liability train`): a bank of exercises (bank), drawn (selection) and answered (answers,
parsing), checked against the engine (trainer), near-miss variants generated from the rules (variants,
phrases), and progress kept between sessions (progress)."""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    ".bank": ["TrainingError", "Exercise", "Change", "PARTS", "SHEET_FIELDS", "bundled_bank_path", "load_bank"],
    ".selection": ["topic_matches", "select"],
    ".answers": ["Answer", "Result", "same_provision"],
    ".parsing": ["parse_finding", "parse_provision", "parse_number", "parse_liable", "parse_sheet", "sheet_from_document",
                  "read_sheet", "Sheet", "key_sheet", "entry_problems", "KEY_MARK"],
    ".trainer": ["Trainer", "CoverageRow"],
    ".phrases": ["Phrases"],
    ".progress": ["progress_path", "append_progress", "read_progress", "ArticleStats", "article_stats",
                  "sheet_report", "iter_exports", "default_trainee"],
})
