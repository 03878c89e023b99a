"""Which evaluator runs the compiled rules on this machine, and how the program describes itself.

Two backends run the same compiled rulesets and fire the same rules (the differential property
test in tests/test_properties.py holds that): `durable`, the C engine of durable-rules 2.0.28,
and `python`, the reference evaluator. durable-rules imports on CPython 3.11 and 3.12 only (its
C engine calls PyEval_CallObject, removed in 3.13, and no release has fixed it), so the package
declares it for those Pythons alone. `auto`, the default, takes `durable` where it imports and
the reference evaluator elsewhere, and says so in `liability --version`, `liability versions`
and the `engine` field of every determination. Asking for `durable` where it cannot run is an
error that says why (BackendUnavailable), never a traceback.
"""

from __future__ import annotations

import functools
import platform
import sys
from typing import Any

from ..errors import LiabilityError, Problem
from ..i18n import Message, msg, text
from ..wording import Bilingual

__all__ = ["BACKENDS", "BackendUnavailable", "durable_unavailable", "resolve_backend", "backend_note",
           "program_version", "describe"]

BACKENDS = ("auto", "durable", "python")


class BackendUnavailable(LiabilityError):
    """The backend asked for cannot run here (durable-rules missing or not importable)."""


def _python() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}"


@functools.cache
def durable_unavailable() -> Bilingual | None:
    """None when durable-rules' C engine imports; else why not."""
    try:
        import durable_rules_engine  # noqa: F401  (the import _durable.py makes; done once per process)
    except ModuleNotFoundError:
        return msg("runtime.not_installed", python=_python()).bilingual()
    except ImportError as exc:
        return msg("runtime.not_importable", python=_python(), error=exc).bilingual()
    return None


def resolve_backend(requested: str) -> str:
    """The backend that will run: `auto` → `durable` where it imports, else `python`."""
    if requested not in BACKENDS:
        raise BackendUnavailable(Problem(msg("cli.unknown_backend", backend=requested), field="backend", value=requested,
                                         allowed=list(BACKENDS)))
    if requested == "python":
        return "python"
    missing = durable_unavailable()
    if missing is None:
        return "durable"
    if requested == "durable":
        raise BackendUnavailable(Problem(
            msg("runtime.durable_unavailable", reason=Message(missing.en, missing.zh)), field="backend",
            value=requested, allowed=["auto", "python"]))
    return "python"


def backend_note(backend: str) -> Bilingual | None:
    """When the reference evaluator runs because durable-rules cannot: the note a user sees."""
    if backend != "python":
        return None
    missing = durable_unavailable()
    if missing is None:
        return None
    return msg("runtime.note", reason=Message(missing.en, missing.zh)).bilingual()


def program_version() -> str:
    from .. import __version__

    return __version__


def describe(requested: str = "auto") -> dict[str, Any]:
    """The program, the backend that `requested` gives here, and the interpreter (for --version and versions)."""
    backend = resolve_backend(requested)
    note = backend_note(backend)
    durable = None
    if durable_unavailable() is None:
        try:
            from importlib.metadata import version

            durable = version("durable-rules")
        except Exception:  # noqa: BLE001 - imported but not installed as a distribution (a source tree)
            durable = "unknown"
    return {"program": "liability-engine", "version": program_version(), "backend": backend,
            "durable_rules": durable, "python": platform.python_version(), "implementation":
            platform.python_implementation(), "executable": sys.executable,
            "note": note.en if note else None, "note_zh": note.zh if note else None}


def version_lines(lang: str, requested: str = "auto") -> list[str]:
    """What `liability --version` prints: the program, the evaluator that runs the rules here, the Python."""
    info = describe(requested)
    if info["backend"] == "durable":
        engine = text("runtime.engine_durable", lang, version=info["durable_rules"])
    else:
        engine = text("runtime.engine_reference", lang)
        if info["note"]:
            engine += text("runtime.colon", lang) + (info["note_zh"] if lang == "zh" else info["note"])
    return [f"liability-engine {info['version']}", engine, f"Python {info['python']} ({info['implementation']})"]
