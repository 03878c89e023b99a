"""What runs a compiled ruleset over a normalised fact: the `Backend` protocol and its two
implementations, durable-rules' C engine (`_durable`) and the pure-Python evaluator (`reference`)."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from .ruleset import Ruleset

__all__ = ["Backend", "BackendName", "make_backend"]

#: What a caller may ask for; `auto` is resolved to one of the others by runtime.resolve_backend.
BackendName = Literal["auto", "durable", "python"]


class Backend(Protocol):
    """Runs rulesets. `fire` is pure: the same ruleset and fact give the same rule ids, in rule order."""

    name: str

    def prepare(self, ruleset: Ruleset) -> None:
        """Make `ruleset` ready to fire (at engine construction, so that no rule fails mid-evaluation)."""

    def fire(self, ruleset: Ruleset, fact: dict[str, Any]) -> list[str]:
        """The ids of the rules of `ruleset` whose conditions `fact` meets, in rule order."""


def make_backend(name: str) -> Backend:
    """The backend called `name`, `durable` or `python` (ValueError for another name)."""
    if name == "durable":
        from ._durable import DurableBackend

        return DurableBackend()
    if name == "python":
        from .reference import PythonBackend

        return PythonBackend()
    raise ValueError(f"unknown backend {name!r}: use 'durable' or 'python'")
