"""Whether a file is a decision log, before it is read or written: an empty file, a file that is not SQLite, or
another program's SQLite database is not one, and is said to be so in the user's words (not SQLite's); another
program's database is never written into. And why SQLite refused, in the user's words too (`sqlite_reason`)."""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

__all__ = ["not_a_log", "sqlite_reason", "default_log_path", "connect_reader", "LOG_ENV", "UnreadableWal"]

LOG_ENV = "LIABILITY_DECISION_LOG"

# SQLite's primary result codes (https://sqlite.org/rescode.html) -> the catalogue's decisionlog.sqlite.* words
_SQLITE_WORDS = {3: "permission_denied", 23: "permission_denied", 5: "busy", 6: "busy", 8: "read_only",
                 10: "io_error", 11: "damaged", 13: "no_space", 14: "cannot_open", 26: "not_sqlite"}


class UnreadableWal(sqlite3.OperationalError):
    """connect_reader's one refusal: a -wal that may hold rows, in a folder where SQLite cannot read it."""


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


def sqlite_reason(exc: BaseException, path: Path | None = None) -> Any:
    """Why SQLite refused, in both languages where the catalogue has words for its result code (a read-only file
    or folder, a full disk, a damaged file, a log held by another program …), else in SQLite's own words. `path`:
    the log, when SQLite's code leaves open whether it could not be found or not be read."""
    code = getattr(exc, "sqlite_errorcode", None)
    word = _SQLITE_WORDS.get(code & 0xFF) if isinstance(code, int) else None  # an extended code's primary one
    if isinstance(exc, UnreadableWal):
        word = "wal_on_read_only"
    elif word == "cannot_open" and path is not None and path.exists() and not os.access(path, os.R_OK):
        word = "permission_denied"  # SQLite says CANTOPEN for a file it may not read
    if word is None:
        return exc
    from ..i18n import msg

    return msg(f"decisionlog.sqlite.{word}")


def default_log_path() -> Path:
    """Where `liability serve` records its decisions unless told (--log DB, or --no-log): $LIABILITY_DECISION_LOG,
    else $XDG_DATA_HOME/liability-engine/decisions.db, else ~/.local/share/… — one log per user wherever the server
    is started, beside the training progress (training/progress.py): a record kept for years, not a cache."""
    explicit = os.environ.get(LOG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    from ..resources import user_folder

    return user_folder("data") / "decisions.db"  # RuntimeError without a home (no HOME, no passwd entry)


def connect_reader(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection that reads the log and writes nothing to it (`liability log`, `liability replay`). In a folder
    one may write, the log is opened as always, with `query_only`: SQLite's -wal and -shm beside it go when the last
    connection closes, as before. On read-only storage (an archived copy, a read-only mount for auditors) it is
    opened read-only (mode=ro); where SQLite cannot keep its shared-memory file (-shm) there either, the log is read
    as immutable (no locks, no -shm), which is exact only when no -wal beside it may hold rows not yet copied into
    the log file — when one may, UnreadableWal rather than a log with rows missing. For
    a log no server is writing: a stopped server's, or an archive."""
    if os.access(path.parent, os.W_OK):
        db = sqlite3.connect(str(path), timeout=timeout, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA query_only = 1")
        return db
    uri = "file://" + urllib.parse.quote(os.fsencode(path.absolute()))  # any file name, UTF-8 or not
    db = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=timeout, check_same_thread=False,
                         isolation_level=None)
    try:
        db.execute("SELECT 1 FROM sqlite_master LIMIT 1")  # SQLite opens on the first read
        return db
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) != getattr(sqlite3, "SQLITE_CANTOPEN", 14) \
                or not os.access(path, os.R_OK):
            return db  # not SQLite, damaged, unreadable …: the caller's reading says what (not_a_log, sqlite_reason)
        db.close()
    wal = Path(str(path) + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise UnreadableWal("a -wal beside the log, in a read-only folder, without its -shm")
    return sqlite3.connect(uri + "?immutable=1", uri=True, timeout=timeout, check_same_thread=False,
                           isolation_level=None)
