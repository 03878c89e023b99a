"""durable-rules, behind guard-rails: the only module that imports it.

It drives durable-rules' C engine (`durable_rules_engine`) directly: `create_ruleset`, then per
fact `assert_fact`, `start_action_for_state` / `complete_and_start_action`, `delete_state` —
what `durable.engine.Host` does underneath, without its Python layer (per-action JSON decoding,
closures, state updates) and without importing `durable.engine` or `durable.lang` at all.

What was measured of durable-rules 2.0.28 (docs/engine.md), and what this module does about it:
- the default host starts timer threads and `durable.lang` races on first use: there is no host
  and no timer here, and `durable.lang` is never imported;
- `post` (events) fires one rule only: facts (`assert_fact`) so that every matching rule fires;
- deleting a session that never ran an action can segfault: a sentinel rule fires on every fact,
  and `fire` refuses an answer in which the sentinel did not run (EngineFailure, never "nothing");
- sessions are capped at 1024 and keyed by a 32-bit hash: a fresh sid (pid and counter) per evaluation,
  `delete_state` in `finally`, and one lock around assert→delete so one session lives at a time
  (the C code holds the GIL anyway, so the lock costs nothing);
- rulesets are never freed and names are global: registered once per content hash;
- an exception in an action is swallowed by `durable.engine`: there are no Python actions; which
  rules matched is read from the actions the C engine hands out (`{"r012": ...}`).
The C engine is loaded lazily, once per process. A forked child keeps it (the C heap, with the
registered rulesets, is copied) but gets a fresh lock, in case the fork happened while
another thread held it.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from typing import Any

from .ruleset import FACT_KIND, Ruleset, to_durable
from ..errors import EngineFailure, Problem, RulesError
from ..i18n import msg

__all__ = ["DurableBackend"]

_PROBE = "__probe__"
_SENTINEL = "__sentinel__"


class _Process:
    """Per-process state: the C engine and the rulesets registered in it."""

    def __init__(self) -> None:
        import durable_rules_engine  # deferred: importing the C extension is the slow part

        self.engine = durable_rules_engine
        self.registered: dict[str, dict[str, str]] = {}  # ruleset name -> durable rule name -> rule id
        self.handles: dict[str, int] = {}  # ruleset name -> the C engine's handle


_lock = threading.RLock()
_state: _Process | None = None
_sids = itertools.count()
_to_json = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode  # one encoder, not one per call


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

        `assert_fact` returns the session's state handle; `start_action_for_state` /
        `complete_and_start_action` hand out one matched action at a time as `{"<rule name>": ...}`
        until none is left; completing an action is all that running it means here.
        """
        with _lock:
            proc = _process()
            names = self._register(proc, ruleset)
            handle = proc.handles[ruleset.name]
            sid = f"{os.getpid()}-{next(_sids)}"  # fresh in this process, and in a forked child
            # the fact's fields (schema fields or Art. 28 comparison flags, never these names), then ours
            message = f'{_to_json(fact)[:-1]}{"," if fact else ""}"sid":"{sid}","id":"f",' \
                      f'"{FACT_KIND}":{_to_json(ruleset.kind)},"{_PROBE}":1}}'
            fired: set[str] = set()
            engine = proc.engine
            try:
                code, state = engine.assert_fact(handle, message)
                if code != 0:  # 1: no rule matched, 2: already observed, 3: queued; none can happen here
                    raise EngineFailure(msg("runtime.fact_refused", code=code))
                started = engine.start_action_for_state(handle, state)
                pending = started[1] if started else None
                while pending:
                    fired.add(pending[2:pending.index('"', 2)])  # '{"r012": {...}}'
                    pending = engine.complete_and_start_action(handle, state)
            except EngineFailure:
                raise
            except Exception as exc:  # the C engine reports its errors as plain exceptions
                raise EngineFailure(msg("runtime.engine_failed", error=exc)) from exc
            finally:
                try:
                    engine.delete_state(handle, sid)
                except Exception as exc:  # error 309 (unknown sid) is harmless
                    if "309" not in str(exc):
                        raise EngineFailure(msg("runtime.session_not_deleted", error=exc)) from exc
            if _SENTINEL not in fired:  # every fact carries the probe: the sentinel always runs
                raise EngineFailure(msg("runtime.no_action"))
            # r000, r001, …: sorted names are rule order; the sentinel is not one of them
            return [names[key] for key in sorted(fired) if key in names]

    @staticmethod
    def _register(proc: _Process, ruleset: Ruleset) -> dict[str, str]:
        names = proc.registered.get(ruleset.name)
        if names is not None:
            return names
        definition = to_durable(ruleset)  # a new dict on every call: ours to annotate
        names = {}
        for index, (rule_id, _cond) in enumerate(ruleset.rules):
            names[f"r{index:03d}"] = rule_id  # in rule order: `fire` reports fired rules in this order
        definition[_SENTINEL] = {"pri": 1000, "all": [{"m": {"$ex": {_PROBE: 1}}}]}
        try:  # what durable.engine.Host.register_rulesets does, less its Python action table
            proc.handles[ruleset.name] = proc.engine.create_ruleset(ruleset.name, _to_json(definition))
        except Exception as exc:  # a limit of the C engine that the compile-time checks did not foresee
            raise RulesError(Problem(msg("check.durable_refused", detail=exc))) from None
        proc.registered[ruleset.name] = names
        return names
