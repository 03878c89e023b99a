"""The decision log: every determination served (by `liability serve`, or `liability evaluate --log DB`)
recorded in an embedded SQLite database, so that it can be read back years later and replayed under
another rulebook (`liability replay`).

One row per determination: the decision id, when, who asked (the token's name), the rulebook's
content hash and versions, the engine version and backend, `as_of`, the normalised input facts
(`liability-facts/1`, as the engine read them) and the determination (`liability-determination/1`).
The database is opened in WAL mode (readers never block the writer), created with file mode 0600
(case facts are confidential), and every write waits for a busy database (several server
processes share one log) instead of failing: a decision served is a decision recorded.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import LiabilityError, Problem, os_reason
from ..i18n import msg
from .files import connect_reader, not_a_log, sqlite_reason

__all__ = ["DecisionLog", "DecisionLogError", "LoggedDecision", "DecisionRecord", "LOG_SCHEMA", "RECORD_SCHEMA",
           "open_log"]

LOG_SCHEMA = "liability-decision-log/1"    # the database's layout, in its `meta` table
RECORD_SCHEMA = "liability-decision/1"     # one exported decision (`liability log export --jsonl`)
BUSY_TIMEOUT_MS = 30_000

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id TEXT NOT NULL UNIQUE,
    logged_at TEXT NOT NULL,
    caller TEXT,
    channel TEXT NOT NULL,
    endpoint TEXT,
    rulebook_digest TEXT NOT NULL,
    rulebook_versions TEXT NOT NULL,
    engine_version TEXT NOT NULL,
    backend TEXT NOT NULL,
    as_of TEXT NOT NULL,
    case_id TEXT,
    person_id TEXT,
    overall_finding TEXT,
    overall_liable INTEGER,
    facts TEXT NOT NULL,
    determination TEXT NOT NULL
);
"""
_COLUMNS = ("seq", "decision_id", "logged_at", "caller", "channel", "endpoint", "rulebook_digest",
            "rulebook_versions", "engine_version", "backend", "as_of", "case_id", "person_id", "overall_finding",
            "overall_liable", "facts", "determination")


class _RecordRulebook(BaseModel):
    model_config = ConfigDict(extra="forbid")
    digest: str = Field(description="the rulebook's content hash (SHA-256)")
    versions: list[str] = Field(description="the versions in force at as_of")


class _RecordOverall(BaseModel):
    model_config = ConfigDict(extra="forbid")
    finding: str | None
    liable: bool | None


class DecisionRecord(BaseModel):
    """liability-decision/1: one logged decision, as `liability log show` and `log export --jsonl` write it."""

    model_config = ConfigDict(extra="forbid", serialize_by_alias=True, populate_by_name=True)
    schema_: Literal["liability-decision/1"] = Field(default=RECORD_SCHEMA, alias="schema")
    decision_id: str
    seq: int
    logged_at: str = Field(description="UTC, ISO 8601")
    caller: str | None = Field(description="the token's name (http, web), cli:USER (the command line)")
    channel: Literal["http", "cli", "web"]
    endpoint: str | None
    rulebook: _RecordRulebook
    engine_version: str
    backend: str
    as_of: str
    case_id: str | None
    person_id: str | None
    overall: _RecordOverall
    facts: dict[str, Any] = Field(description="the normalised input facts (liability-facts/1), or the case file "
                                  "(liability-facts/2)")
    determination: dict[str, Any] = Field(description="the determination served (liability-determination/1), or "
                                          "the case's (liability-case-determination/1)")


class DecisionLogError(LiabilityError):
    """The decision log cannot be opened, read or written."""

    kind = "decision-log"


@dataclass(frozen=True)
class LoggedDecision:
    seq: int
    decision_id: str
    logged_at: str
    caller: str | None
    channel: str
    endpoint: str | None
    rulebook_digest: str
    rulebook_versions: list[str]
    engine_version: str
    backend: str
    as_of: str
    case_id: str | None
    person_id: str | None
    overall_finding: str | None
    overall_liable: bool | None
    facts: dict[str, Any]
    determination: dict[str, Any]

    def record(self) -> dict[str, Any]:
        """The decision as a `liability-decision/1` record (one line of `liability log export --jsonl`)."""
        return {"schema": RECORD_SCHEMA, "decision_id": self.decision_id, "seq": self.seq,
                "logged_at": self.logged_at, "caller": self.caller, "channel": self.channel,
                "endpoint": self.endpoint,
                "rulebook": {"digest": self.rulebook_digest, "versions": self.rulebook_versions},
                "engine_version": self.engine_version, "backend": self.backend, "as_of": self.as_of,
                "case_id": self.case_id, "person_id": self.person_id,
                "overall": {"finding": self.overall_finding, "liable": self.overall_liable},
                "facts": self.facts, "determination": self.determination}


def _row(row: tuple[Any, ...]) -> LoggedDecision:
    d = dict(zip(_COLUMNS, row))
    for column in ("rulebook_versions", "facts", "determination"):
        try:
            d[column] = json.loads(d[column])
        except (TypeError, ValueError):  # a row altered outside the engine: said so, not an internal error
            raise DecisionLogError(Problem(msg("decisionlog.damaged_row", id=d["decision_id"], seq=d["seq"],
                                               column=column), field=column, value=d["decision_id"])) from None
    return LoggedDecision(
        seq=d["seq"], decision_id=d["decision_id"], logged_at=d["logged_at"], caller=d["caller"],
        channel=d["channel"], endpoint=d["endpoint"], rulebook_digest=d["rulebook_digest"],
        rulebook_versions=d["rulebook_versions"], engine_version=d["engine_version"],
        backend=d["backend"], as_of=d["as_of"], case_id=d["case_id"], person_id=d["person_id"],
        overall_finding=d["overall_finding"],
        overall_liable=None if d["overall_liable"] is None else bool(d["overall_liable"]),
        facts=d["facts"], determination=d["determination"])


def new_decision_id() -> str:
    """A decision id: a UUID whose first 48 bits are the time in milliseconds (as UUIDv7), so ids sort by time."""
    millis = (time.time_ns() // 1_000_000) & ((1 << 48) - 1)
    rand = int.from_bytes(os.urandom(10))  # 80 random bits, as uuid4 draws them (os.urandom)
    value = (millis << 80) | (0x7 << 76) | (rand & ((1 << 76) - 1))
    value = (value & ~(0xC << 60)) | (0x8 << 60)  # the RFC 4122 variant bits
    h = f"{value:032x}"  # as str(uuid.UUID(int=value)), without building the UUID object twice
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


ROW_COLUMNS = _COLUMNS[1:]  # what a row gives, in this order (seq is SQLite's)
_TEXT_AS_GIVEN = ("facts", "determination")
INSERT_INTO = f"INSERT INTO decisions ({', '.join(ROW_COLUMNS)}) VALUES "
# facts and determination may be given as UTF-8 bytes (as pydantic serialises them): stored as TEXT all the same,
# without decoding them in Python to have sqlite3 encode them again
ROW_PLACES = "(" + ", ".join("CAST(? AS TEXT)" if c in _TEXT_AS_GIVEN else "?" for c in ROW_COLUMNS) + ")"
INSERT = INSERT_INTO + ROW_PLACES


def decision_row(*, facts_json: str | bytes, determination_json: str | bytes, rulebook_digest: str,
                 rulebook_versions: list[str],
                 engine_version: str, backend: str, as_of: _dt.date, case_id: str | None, person_id: str | None,
                 overall_finding: str | None, overall_liable: bool | None, caller: str | None = None,
                 channel: str = "http", endpoint: str | None = None, decision_id: str | None = None) -> tuple[Any, ...]:
    """One row of `decisions`, in the order of ROW_COLUMNS (its id first), stamped with the time now."""
    return _new_row(decision_id or new_decision_id(), caller, channel, endpoint, rulebook_digest, rulebook_versions,
                    engine_version, backend, as_of, case_id, person_id, overall_finding, overall_liable, facts_json,
                    determination_json)


def _new_row(decision_id: str, caller: str | None, channel: str, endpoint: str | None, rulebook_digest: str,
             rulebook_versions: Any, engine_version: str, backend: str, as_of: _dt.date, case_id: str | None,
             person_id: str | None, overall_finding: str | None, overall_liable: bool | None, facts_json: str | bytes,
             determination_json: str | bytes) -> tuple[Any, ...]:
    """The one place that knows the order of ROW_COLUMNS (positional: once a request of the service)."""
    return (decision_id, _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds"), caller, channel,
            endpoint, rulebook_digest, _versions_json(tuple(rulebook_versions)), engine_version, backend,
            as_of.isoformat(), case_id, person_id, overall_finding,
            None if overall_liable is None else int(overall_liable), facts_json, determination_json)


@functools.lru_cache(maxsize=64)
def _versions_json(versions: tuple[str, ...]) -> str:
    return json.dumps(list(versions))


def determination_row(facts: Any, det: Any, *, rulebook_digest: str, engine_version: str, caller: str | None,
                      channel: str, endpoint: str | None,
                      determination_json: str | bytes | None = None) -> tuple[Any, ...]:
    """The row (as `decision_row`) of the determination `det` taken on `facts`: a person's facts (liability-facts/1,
    a Determination) or a case file (liability-facts/2, a CaseDetermination, whose overall finding is the case's).
    Built positionally, not through decision_row's keywords: this is once a request of the service."""
    case = "persons" in type(det).model_fields  # a CaseDetermination (getattr's miss: a pydantic AttributeError)
    rulebook, overall = det.rulebook, det.overall
    return _new_row(new_decision_id(), caller, channel, endpoint, rulebook_digest, rulebook.versions, engine_version,
                    rulebook.backend, det.evaluated_on, det.case_id, None if case else det.person_id, overall.finding,
                    overall.liable, facts.__pydantic_serializer__.to_json(facts, by_alias=True, exclude_none=False),
                    determination_json or det.__pydantic_serializer__.to_json(det))


def busy(exc: BaseException) -> bool:
    """Whether SQLite refused because another connection (another worker) holds the database."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def retry_while_busy(action: Any, on_busy: Any = None) -> Any:
    """Run `action`, again while another process holds the database (beyond the busy timeout's own wait): up to 8
    tries, 10 ms apart and doubling to 1 s; `on_busy` runs before each wait (DecisionLog rolls back there)."""
    delay = 0.01
    for attempt in range(8):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not busy(exc) or attempt == 7:
                raise
            if on_busy is not None:
                on_busy()
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    raise AssertionError("unreachable")


def write_error(exc: sqlite3.DatabaseError, path: Path) -> "DecisionLogError":
    """A row that could not be written, as the service and the command line report it."""
    return DecisionLogError(Problem(msg("decisionlog.cannot_write", reason=sqlite_reason(exc)), path=str(path)))


def chmod_private(path: Path) -> None:
    """The log and SQLite's -wal and -shm beside it (created with the umask's mode) readable by the owner only."""
    for side in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        try:
            if side.exists() and (side.stat().st_mode & 0o077):
                os.chmod(side, 0o600)
        except OSError:
            pass


class DecisionLog:
    """One decision-log database. Thread-safe: one connection per process, writes serialised by a lock,
    and across processes by SQLite's own locking (with a long busy timeout and retries)."""

    def __init__(self, path: str | Path, *, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise DecisionLogError(Problem(msg("decisionlog.no_log"), path=str(self.path)))
        self._lock = threading.Lock()
        try:
            if create and not self.path.exists():
                # created 0600 before SQLite opens it: the facts of a case are confidential
                fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            self._db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                                       isolation_level=None) if create else \
                connect_reader(self.path, BUSY_TIMEOUT_MS / 1000)  # a log on read-only storage is read too
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if create:
                self._is_a_log(reading=False)  # a file already there must be a log: another's is not written into
                self._retry(self._init_schema)
            else:
                self._is_a_log(reading=True)
                found = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if not found or found[0] != LOG_SCHEMA:
                    raise DecisionLogError(Problem(msg("decisionlog.other_version", found=repr(found and found[0]),
                                                       expected=LOG_SCHEMA), path=str(self.path)))
        except sqlite3.DatabaseError as exc:
            raise DecisionLogError(Problem(msg("decisionlog.cannot_open", reason=sqlite_reason(exc, self.path)),
                                           path=str(self.path))) from None
        except OSError as exc:
            raise DecisionLogError(Problem(msg("decisionlog.cannot_open", reason=os_reason(exc)),
                                           path=str(self.path))) from None
        if create:  # a reader changes nothing, the file's mode included
            chmod_private(self.path)

    def _is_a_log(self, reading: bool) -> None:
        """A file that is not a decision log is said to be so, and never written into (files.py)."""
        what = not_a_log(self._db, self.path, reading=reading)
        if what is not None:
            raise DecisionLogError(Problem(msg("decisionlog.not_a_log", what=msg(f"decisionlog.not_a_log_{what}")),
                                           path=str(self.path)))

    def _init_schema(self) -> None:
        mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()
        if not mode or str(mode[0]).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot switch to WAL mode (journal mode {mode and mode[0]!r})")
        self._db.execute("PRAGMA synchronous = NORMAL")  # durable at each checkpoint; WAL keeps it consistent
        self._db.executescript("BEGIN IMMEDIATE;" + _DDL +
                               f"INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '{LOG_SCHEMA}');"
                               "COMMIT;")
        found = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if found[0] != LOG_SCHEMA:
            raise DecisionLogError(Problem(msg("decisionlog.other_version", found=repr(found[0]), expected=LOG_SCHEMA),
                                           path=str(self.path)))

    def _retry(self, action: Any) -> Any:
        """Run `action` under the lock, again while another process holds the database (`retry_while_busy`)."""
        def locked() -> Any:
            with self._lock:
                return action()

        def roll_back() -> None:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")

        return retry_while_busy(locked, roll_back)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> "DecisionLog":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- writing -----------------------------------------------------------------------------

    def record(self, **fields: Any) -> str:
        """Append one decision (the fields of `decision_row`); returns its id. The JSON texts are stored as given."""
        return self._append(decision_row(**fields))

    def record_determination(self, facts: Any, det: Any, *, rulebook_digest: str, engine_version: str,
                             caller: str | None = None, channel: str = "cli", endpoint: str | None = None,
                             determination_json: str | bytes | None = None) -> str:
        """Append the decision `det` (a Determination, or a case file's CaseDetermination) taken on `facts`."""
        return self._append(determination_row(facts, det, rulebook_digest=rulebook_digest,
                                              engine_version=engine_version, caller=caller, channel=channel,
                                              endpoint=endpoint, determination_json=determination_json))

    def _append(self, row: tuple[Any, ...]) -> str:
        try:
            self._retry(lambda: self._db.execute(INSERT, row))
        except sqlite3.DatabaseError as exc:
            raise write_error(exc, self.path) from None
        return str(row[0])

    # --- reading -----------------------------------------------------------------------------

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._retry(lambda: self._db.execute(sql, args).fetchall())  # type: ignore[no-any-return]
        except sqlite3.DatabaseError as exc:
            raise DecisionLogError(Problem(msg("decisionlog.cannot_read", reason=sqlite_reason(exc, self.path)),
                                           path=str(self.path))) from None

    def count(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM decisions")[0][0])

    def list(self, *, limit: int | None = None, offset: int = 0) -> list[LoggedDecision]:
        sql = f"SELECT {', '.join(_COLUMNS)} FROM decisions ORDER BY seq LIMIT ? OFFSET ?"
        return [_row(r) for r in self._query(sql, (-1 if limit is None else limit, offset))]

    def get(self, decision_id: str) -> LoggedDecision | None:
        rows = self._query(f"SELECT {', '.join(_COLUMNS)} FROM decisions WHERE decision_id = ?", (decision_id,))
        if not rows and decision_id.isdigit():
            rows = self._query(f"SELECT {', '.join(_COLUMNS)} FROM decisions WHERE seq = ?", (int(decision_id),))
        return _row(rows[0]) if rows else None

    def ids(self) -> list[str]:
        return [r[0] for r in self._query("SELECT decision_id FROM decisions ORDER BY seq")]

    def __iter__(self) -> Iterator[LoggedDecision]:
        """Every decision, oldest first, read in pages (a log of millions does not load at once)."""
        last = 0
        while True:
            rows = self._query(f"SELECT {', '.join(_COLUMNS)} FROM decisions WHERE seq > ? ORDER BY seq LIMIT 500",
                               (last,))
            if not rows:
                return
            for r in rows:
                yield _row(r)
            last = rows[-1][0]


def open_log(path: str | Path, *, create: bool = True) -> DecisionLog:
    return DecisionLog(path, create=create)
