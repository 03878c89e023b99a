"""What the requests of one worker process share: the engine, the decision log and its writer, the stamp every
response carries, and the pool that runs the long evaluations. Built once per process (`create_app`); nothing
in it is rebuilt per request."""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from .. import Engine, __version__
from .config import ServiceConfig
from .errors import ApiError

__all__ = ["ServiceState", "ENGINE_HEADER", "RULEBOOK_HEADER", "DECISION_HEADER"]

ENGINE_HEADER = "X-Liability-Engine"
RULEBOOK_HEADER = "X-Liability-Rulebook"
DECISION_HEADER = "X-Decision-Id"


class ServiceState:
    """The engine, the decision log, the stamp of every response."""

    def __init__(self, config: ServiceConfig, engine: Engine | None = None):
        from .. import bundled_rules_path
        from ..compile import engine_for

        self.config = config
        self.folder = config.rules or str(bundled_rules_path())
        self.engine: Engine = engine or engine_for(self.folder, config.backend)
        rb = self.engine.rulebook
        self.digest = rb.digest
        self.info: dict[str, Any] = {"engine_version": __version__, "rulebook_digest": rb.digest,
                                     "rulebook_versions": [v.id for v in rb.versions], "backend": self.engine.backend}
        self.info_json = json.dumps(self.info, ensure_ascii=False, separators=(",", ":")).encode()
        self.headers = [(ENGINE_HEADER.lower().encode(), __version__.encode()),
                        (RULEBOOK_HEADER.lower().encode(), rb.digest.encode())]
        self.log = None     # the log, read and written in one piece (the web page, `liability log`)
        self.writer = None  # group commit of the evaluations served over the API
        if config.log:
            from ..decisionlog import DecisionLog
            from ..decisionlog.writer import GroupWriter

            self.log = DecisionLog(config.log)
            self.writer = GroupWriter(config.log)
        # Long evaluations run here, off the event loop, so that a request can time out and the loop keeps
        # answering (health checks, other requests) meanwhile. The GIL makes more threads useless.
        self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="liability-eval")
        self._trainer: Any = None
        self._trainer_lock = threading.Lock()  # the evaluation pool's threads and the page's share one Trainer

    def info_with(self, decision_id: str | None) -> bytes:
        if decision_id is None:
            return self.info_json
        return self.info_json[:-1] + b',"decision_id":"' + decision_id.encode() + b'"}'

    async def run(self, fn: Callable[[], Any]) -> Any:
        """`fn()` in the evaluation pool, bounded by the request timeout (504 when over)."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.config.request_timeout):
                return await loop.run_in_executor(self.executor, fn)
        except TimeoutError:
            raise ApiError.message(504, "timeout", "timeout", seconds=self.config.request_timeout) from None

    def trainer(self) -> Any:
        with self._trainer_lock:
            if self._trainer is None:
                from ..training import Trainer

                self._trainer = Trainer(self.engine)
            return self._trainer

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        if self.writer is not None:
            self.writer.close()
        if self.log is not None:
            self.log.close()
