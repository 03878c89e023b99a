"""Batch evaluation of JSON Lines (`liability evaluate --jsonl`): in order, in constant memory, over
worker processes, one bad line never losing the others."""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    ".run": ["BatchSummary", "run_batch", "evaluate_chunk", "read_lines", "ERROR_SCHEMA"],
})
