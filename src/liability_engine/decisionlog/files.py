"""Whether a file is a decision log, before it is read or written: an empty file, a file that is not SQLite, or
another program's SQLite database is not one, and is said to be so in the user's words (not SQLite's); another
program's database is never written into."""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["not_a_log"]


def not_a_log(db: sqlite3.Connection, path: Path, *, reading: bool) -> str | None:
    """What the file is, when it is not a decision log (`not_sqlite`, `other_sqlite`, `empty`: the catalogue's
    decisionlog.not_a_log_* words), else None. Writing, a file with no table yet (new, or another process creating
    the log) is one to make a log of; reading, it is not a log."""
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) == getattr(sqlite3, "SQLITE_NOTADB", 26):
            return "not_sqlite"
        raise
    if "meta" in tables or (not reading and not tables):
        return None
    return "empty" if path.stat().st_size == 0 else "other_sqlite"
