"""What the page needs from the service that serves it: the engine, how to check a token, where the
training records go, the decision log."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Callable

from .. import Engine
from .session import LoginThrottle, Sessions

__all__ = ["WebConfig"]


class WebConfig:
    """What the page needs from the service: the engine, and how to check a token (None: no auth).

    `trainer`: where the page gets its exercises and grading, when the process already has a Trainer (the
    service's, `ServiceState.trainer`); without it the page builds its own, once, over `engine` and `bank`."""

    def __init__(self, engine: Engine | Callable[[], Engine], *, check_token: Callable[[str], str | None] | None,
                 known: Callable[[str], bool] | None = None, data_dir: str | Path | None = None,
                 session_key: str | None = None, bank: str | Path | None = None,
                 record: Callable[[Any, Any, str | None, str], None] | None = None,
                 trainer: Callable[[], Any] | None = None):
        self._engine = engine
        self.record = record  # (facts, determination, caller, endpoint): the service's decision log
        self.check_token = check_token
        self.auth = check_token is not None
        self.sessions = Sessions(known or (lambda name: True), session_key)
        self.data_dir = Path(data_dir) if data_dir else _default_data_dir()
        self.bank = Path(bank) if bank else None
        self._shared_trainer = trainer
        self._trainer: Any = None
        self._lock = threading.Lock()
        self.throttle = LoginThrottle()

    @classmethod
    def for_service(cls, state: Any) -> "WebConfig":
        """The page of a `liability serve` process: its engine, its tokens (the same authentication as
        the API), its decision log (every determination the page shows is logged, channel `web`), and its
        one Trainer (the exercise bank is read once a process, for the API and the page alike)."""
        from .. import __version__ as version
        from ..service.auth import check_token

        config = state.config
        tokens = config.tokens
        record = None
        if state.log is not None:
            def record(facts: Any, det: Any, caller: str | None, endpoint: str) -> None:
                state.log.record_determination(facts, det, rulebook_digest=state.digest, engine_version=version,
                                               caller=caller, channel="web", endpoint=endpoint)
        return cls(state.engine, check_token=(lambda token: check_token(token, tokens)) if config.auth else None,
                   known=lambda name: name in tokens.values(), record=record, trainer=state.trainer)

    @property
    def engine(self) -> Engine:
        if not isinstance(self._engine, Engine):
            self._engine = self._engine()
        return self._engine

    def trainer(self) -> Any:
        if self._shared_trainer is not None:
            return self._shared_trainer()
        with self._lock:
            if self._trainer is None:
                from ..training import Trainer

                self._trainer = Trainer(self.engine, self.bank)
            return self._trainer


def _default_data_dir() -> Path:
    explicit = os.environ.get("LIABILITY_WEB_DATA")
    if explicit:
        return Path(explicit).expanduser()
    from ..training import progress_path

    return progress_path().parent / "web"
