"""durable-rules, behind guard-rails: the only module that imports it.

What ../shared/notes/durable-rules.md measured, and what this module does about it:
- the default host starts timer threads and `durable.lang` races on first use: one quiet host
  per process, never `durable.lang`;
- `post` (events) fires one rule only: facts (`assert_fact`) so that every matching rule fires;
- deleting a session that never ran an action can segfault: a sentinel rule fires on every fact;
- sessions are capped at 1024 and keyed by a 32-bit hash: a fresh uuid sid per evaluation,
  `delete_state` in `finally`, and one lock around assert→delete so one session lives at a time
  (the C code holds the GIL anyway, so the lock costs nothing);
- rulesets are never freed and names are global: registered once per content hash;
- an exception in an action is swallowed and reported in the returned state: checked here.
The host is created lazily, once per process. A forked child keeps it (the C heap, with the
registered rulesets, is copied; notes §3) but gets a fresh lock, in case the fork happened while
another thread held it.
"""

from __future__ import annotations

import copy
import os
import threading
import uuid
from typing import Any, Callable

from .compiler import FACT_KIND, Ruleset, to_durable
from .errors import EngineFailure, Problem, RulesError

__all__ = ["DurableBackend"]

_PROBE = "__probe__"
_SENTINEL = "__sentinel__"


class _Process:
    """Per-process state: the host, what is registered, and the collector of fired rules."""

    def __init__(self) -> None:
        from durable import engine  # deferred: importing the C extension is the slow part

        class QuietHost(engine.Host):  # type: ignore[misc]
            def _run(self) -> None:  # no timer threads (notes §3)
                pass

        self.errors = engine.MessageNotHandledException, engine.MessageObservedException
        self.host = QuietHost()
        self.registered: dict[str, dict[str, str]] = {}  # ruleset name -> durable rule name -> rule id
        self.fired: list[str] = []
        self.pid = os.getpid()


_lock = threading.RLock()
_state: _Process | None = None


def _after_fork_in_child() -> None:
    global _lock
    _lock = threading.RLock()
    if _state is not None:
        _state.fired = []
        _state.pid = os.getpid()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _process() -> _Process:
    global _state
    if _state is None:
        _state = _Process()
    return _state


class DurableBackend:
    """Runs compiled rulesets on durable-rules; returns the ids of the rules that fired."""

    name = "durable"

    def prepare(self, ruleset: Ruleset) -> None:
        with _lock:
            self._register(_process(), ruleset)

    def fire(self, ruleset: Ruleset, fact: dict[str, Any]) -> list[str]:
        with _lock:
            proc = _process()
            names = self._register(proc, ruleset)
            sid = uuid.uuid4().hex
            message = dict(fact)
            message.update({"sid": sid, "id": "f", FACT_KIND: ruleset.kind, _PROBE: 1})
            proc.fired = []
            try:
                state = proc.host.assert_fact(ruleset.name, message)
                fired = list(proc.fired)
            except proc.errors as exc:  # cannot happen with the sentinel: a bug
                raise EngineFailure(f"durable-rules refused the fact: {exc}") from exc
            finally:
                try:
                    proc.host.delete_state(ruleset.name, sid)
                except Exception as exc:  # error 309 (unknown sid) is harmless
                    if "309" not in str(exc):
                        raise EngineFailure(f"durable-rules could not delete a session: {exc}") from exc
                proc.fired = []
            if not isinstance(state, dict) or "exception" in state:
                detail = state.get("exception") if isinstance(state, dict) else state
                raise EngineFailure(f"durable-rules action failed: {detail}")
            order = {n: i for i, n in enumerate(names)}
            return [names[n] for n in sorted(set(fired), key=lambda n: order[n]) if n in names]

    @staticmethod
    def _register(proc: _Process, ruleset: Ruleset) -> dict[str, str]:
        names = proc.registered.get(ruleset.name)
        if names is not None:
            return names
        definition = copy.deepcopy(to_durable(ruleset))
        names = {}
        for index, (rule_id, _cond) in enumerate(ruleset.rules):
            key = f"r{index:03d}"
            names[key] = rule_id
            definition[key]["run"] = _recorder(proc, key)
        definition[_SENTINEL] = {"pri": 1000, "all": [{"m": {"$ex": {_PROBE: 1}}}], "run": _noop}
        try:
            proc.host.register_rulesets({ruleset.name: definition})
        except Exception as exc:  # a limit of the C engine that the compile-time checks did not foresee
            raise RulesError(Problem(f"durable-rules cannot hold these rules ({exc}); simplify or split the "
                                     "version", rule_id=None)) from None
        proc.registered[ruleset.name] = names
        return names


def _recorder(proc: _Process, key: str) -> Callable[[Any], None]:
    def record(_c: Any) -> None:
        proc.fired.append(key)
    return record


def _noop(_c: Any) -> None:
    return None
