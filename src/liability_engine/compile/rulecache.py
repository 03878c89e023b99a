"""A cache of checked rulebooks, so that a command-line run does not parse and validate YAML.

Loading the bundled rulebook (about 25 YAML files through the safe, position-keeping loader and
the pydantic rule models) is the largest single cost of a `liability evaluate` cold start. The
result, a `Rulebook`, is plain data: it is pickled once and read back on the next run.

The cache can never serve stale rules:
- the key hashes the *contents* of every YAML/JSON file under the rulebook folder (not their
  times), the folder's path, the Python and pydantic versions, and the size and modification time
  of every module of this package (a change to the loader or the models invalidates it);
- a rulebook that fails to load is never cached: its errors are reported afresh each time;
- an entry that cannot be read back (corrupt, truncated, from another version) is ignored and
  rewritten.

Where: `$LIABILITY_CACHE_DIR`, else `$XDG_CACHE_HOME/liability-engine`, else
`~/.cache/liability-engine`. `LIABILITY_NO_CACHE=1` turns it off. Pickles are only read from a
folder owned by the current user and writable by nobody else, and written atomically; if the
folder cannot be created or written, rulebooks are simply loaded from YAML as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..rulebook.model import Rulebook
from ..resources import PACKAGE_DIR, user_folder

if TYPE_CHECKING:
    from ..evaluate.engine import Engine

__all__ = ["cached_rulebook", "cache_dir", "cache_key", "engine_for"]

_SUFFIXES = (".yaml", ".yml", ".json")
_KEEP = 16  # entries kept; older ones are pruned when a new one is written
_FORMAT = b"liability-rulebook-cache/1"
_engines: dict[tuple[str, str, str], "Engine"] = {}


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is turned off."""
    if os.environ.get("LIABILITY_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("LIABILITY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    return user_folder("cache")


def _code_fingerprint(digest: Any) -> None:
    here = PACKAGE_DIR
    for path in sorted(here.rglob("*.py")):
        try:
            st = path.stat()
        except OSError:
            continue
        digest.update(f"{path.relative_to(here)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())


def cache_key(folder: str | Path) -> str | None:
    """The key of a rulebook folder's current contents, or None if it cannot be read."""
    root = Path(folder)
    digest = hashlib.sha256(_FORMAT)
    try:
        import pydantic

        digest.update(f"{sys.version}\0{pydantic.VERSION}\0{root.resolve()}\0{folder}\0".encode())
        _code_fingerprint(digest)
        files = sorted(p for p in root.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file())
        for path in files:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def _usable(directory: Path) -> bool:
    """Only a folder of ours that nobody else may write: a pickle runs code when read."""
    try:
        st = directory.stat()
    except OSError:
        return False
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows: per-user profile folders
        return True
    return st.st_uid == os.getuid() and not (st.st_mode & 0o022)


def cached_rulebook(folder: str | Path, key: str | None = None) -> Rulebook:
    """`load_rulebook(folder)`, read from the cache when its files have not changed (`key`: the
    folder's `cache_key`, when the caller has it). The loader is imported on a miss only."""
    directory = cache_dir()
    if directory is not None and key is None:
        key = cache_key(folder)
    if directory is None or key is None:
        return _load(folder)
    entry = directory / f"rulebook-{key[:40]}.pickle"
    if _usable(directory):
        try:  # an entry that is missing, or that this user may not read (another user's HOME): a miss
            with entry.open("rb") as handle:
                if handle.read(len(_FORMAT)) == _FORMAT:
                    rulebook = pickle.load(handle)
                    if isinstance(rulebook, Rulebook):
                        return rulebook
        except Exception:  # noqa: BLE001 - any unreadable entry is just a miss
            pass
    rulebook = _load(folder)  # raises RulesError for a bad rulebook: never cached
    _store(directory, entry, rulebook)
    return rulebook


def _load(folder: str | Path) -> Rulebook:
    from ..rulebook.load import load_rulebook

    return load_rulebook(folder)


def _store(directory: Path, entry: Path, rulebook: Rulebook) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _usable(directory):
            return
        fd, tmp = tempfile.mkstemp(prefix=".rulebook-", dir=directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_FORMAT)
                pickle.dump(rulebook, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        entries = sorted(directory.glob("rulebook-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[_KEEP:]:
            old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache, not an error
        return


def engine_for(folder: str | Path, backend: str = "auto") -> Engine:
    """The engine over the rulebook in `folder`: one per process, rulebook contents and backend (an
    Engine is immutable and safe to share). Which contents is told by the cache key, which hashes
    the files without parsing them; the rulebook itself comes through the cache. A copy of a
    rulebook elsewhere gets its own engine: its messages name its own paths."""
    from ..evaluate.engine import Engine
    from ..runtime import resolve_backend

    backend = resolve_backend(backend)  # `auto` and what it gives here share one engine
    key = cache_key(folder)
    rulebook = cached_rulebook(folder) if key is None else None  # unreadable: its digest tells
    ident = (str(Path(folder).resolve()), key or rulebook.digest, backend)  # type: ignore[union-attr]
    engine = _engines.get(ident)
    if engine is None:
        engine = _engines[ident] = Engine(rulebook or cached_rulebook(folder, key), backend=backend)  # type: ignore[arg-type]
    return engine
