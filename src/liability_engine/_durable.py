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
- an exception in an action is swallowed by `durable.engine`: our actions do nothing, and `fire`
  drives the C engine directly, reading which rules matched from the actions it hands out; a fact
  on which the sentinel did not run is an EngineFailure, never an empty answer.
The host is created lazily, once per process. A forked child keeps it (the C heap, with the
registered rulesets, is copied; notes §3) but gets a fresh lock, in case the fork happened while
another thread held it.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from typing import Any

from .compiler import FACT_KIND, Ruleset, to_durable
from .errors import EngineFailure, Problem, RulesError

__all__ = ["DurableBackend"]

_PROBE = "__probe__"
_SENTINEL = "__sentinel__"


class _Process:
    """Per-process state: the C engine, the host that registers rulesets, and what is registered."""

    def __init__(self) -> None:
        import durable_rules_engine  # deferred: importing the C extension is the slow part
        from durable import engine

        class QuietHost(engine.Host):  # type: ignore[misc]
            def _run(self) -> None:  # no timer threads (notes §3)
                pass

        self.engine = durable_rules_engine
        self.host = QuietHost()  # registers the rulesets; `fire` then drives the C engine directly
        self.registered: dict[str, dict[str, str]] = {}  # ruleset name -> durable rule name -> rule id
        self.handles: dict[str, int] = {}  # ruleset name -> the C engine's handle


_lock = threading.RLock()
_state: _Process | None = None


def _after_fork_in_child() -> None:
    global _lock
    _lock = threading.RLock()


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
        """Assert the fact in a fresh session, run the matched actions, delete the session.

        The C engine is driven directly (what `Host.assert_fact` does, without its per-action JSON
        decoding, closures and state updates, which our actions do not use): `assert_fact` returns
        the session's state handle; `start_action_for_state` / `complete_and_start_action` hand out
        one matched action at a time as `{"<rule name>": ...}` until none is left.
        """
        with _lock:
            proc = _process()
            names = self._register(proc, ruleset)
            handle = proc.handles[ruleset.name]
            sid = uuid.uuid4().hex
            message = dict(fact)
            message.update({"sid": sid, "id": "f", FACT_KIND: ruleset.kind, _PROBE: 1})
            fired: set[str] = set()
            engine = proc.engine
            try:
                code, state = engine.assert_fact(handle, json.dumps(message, ensure_ascii=False))
                if code != 0:  # 1: no rule matched, 2: already observed, 3: queued; none can happen here
                    raise EngineFailure(f"durable-rules did not take the fact (result code {code})")
                started = engine.start_action_for_state(handle, state)
                pending = started[1] if started else None
                while pending:
                    fired.add(pending[2:pending.index('"', 2)])  # '{"r012": {...}}'
                    pending = engine.complete_and_start_action(handle, state)
            except EngineFailure:
                raise
            except Exception as exc:  # the C engine reports its errors as plain exceptions
                raise EngineFailure(f"durable-rules failed on the fact: {exc}") from exc
            finally:
                try:
                    engine.delete_state(handle, sid)
                except Exception as exc:  # error 309 (unknown sid) is harmless
                    if "309" not in str(exc):
                        raise EngineFailure(f"durable-rules could not delete a session: {exc}") from exc
            if _SENTINEL not in fired:  # every fact carries the probe: the sentinel always runs
                raise EngineFailure("durable-rules ran no action for the fact (the sentinel did not fire)")
            return [rule_id for key, rule_id in names.items() if key in fired]

    @staticmethod
    def _register(proc: _Process, ruleset: Ruleset) -> dict[str, str]:
        names = proc.registered.get(ruleset.name)
        if names is not None:
            return names
        definition = to_durable(ruleset)  # a new dict on every call: ours to annotate
        names = {}
        for index, (rule_id, _cond) in enumerate(ruleset.rules):
            key = f"r{index:03d}"
            names[key] = rule_id  # in rule order: `fire` reports fired rules in this order
            definition[key]["run"] = _noop  # `fire` reads which rules matched from the C engine
        definition[_SENTINEL] = {"pri": 1000, "all": [{"m": {"$ex": {_PROBE: 1}}}], "run": _noop}
        try:
            proc.host.register_rulesets({ruleset.name: definition})
        except Exception as exc:  # a limit of the C engine that the compile-time checks did not foresee
            raise RulesError(Problem(f"durable-rules cannot hold these rules ({exc}); simplify or split the "
                                     "version", rule_id=None)) from None
        proc.handles[ruleset.name] = proc.host.get_ruleset(ruleset.name)._handle
        proc.registered[ruleset.name] = names
        return names


def _noop(_c: Any) -> None:
    return None
