"""The HTTP application: `create_app(config)` builds it (a factory, so tests, workers and a later web UI
each build their own), with one router per area under /v1 and the middleware every request crosses.

The middleware is plain ASGI (no per-request task or copy of the body): it stamps every response with
the engine version and the rulebook's content hash, refuses a body over the limit before reading it,
and writes the access log — method, path without its query string, status, time, caller — never a
body, never a query string (case facts are confidential).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, AsyncIterator, Awaitable, Callable

from fastapi import FastAPI

from .. import Engine, __version__
from .config import ServiceConfig
from .errors import ApiError, error_bytes, install_handlers
from .routes import authorise
from .messages import both

__all__ = ["create_app", "app_from_env", "ServiceState"]

access_log = logging.getLogger("liability.access")
ENGINE_HEADER = "X-Liability-Engine"
RULEBOOK_HEADER = "X-Liability-Rulebook"
DECISION_HEADER = "X-Decision-Id"


class ServiceState:
    """What the routes share in one process: the engine, the decision log, the stamp of every response."""

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
        self.log = None
        if config.log:
            from ..decisionlog import DecisionLog

            self.log = DecisionLog(config.log)
        # Evaluations run here, off the event loop, so that a request can time out and the loop keeps
        # answering (health checks, other requests) while one evaluation runs. The GIL makes more threads useless.
        self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="liability-eval")
        self._trainer: Any = None

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
        if self._trainer is None:
            from ..training import Trainer

            self._trainer = Trainer(self.engine)
        return self._trainer

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        if self.log is not None:
            self.log.close()


Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class BodyTooLarge(ApiError):
    pass


class ServiceMiddleware:
    """Stamp, body limit and access log, for every HTTP request (errors included)."""

    def __init__(self, app: Any, state: ServiceState):
        self.app, self.state = app, state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = self.state
        limit = state.config.max_body
        started = time.perf_counter()
        status = [0]

        async def stamped(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = list(message.get("headers", ())) + state.headers
            await send(message)

        length = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = -1
        try:
            if length is not None and (length > limit or length < 0):
                await self._refuse(scope, stamped, 413 if length > limit else 400)
                return
            path = scope["path"]
            if path.startswith("/v1/") and path != "/v1/openapi.json":
                header = None
                for name, value in scope.get("headers", ()):
                    if name == b"authorization":
                        header = value.decode("latin-1")
                try:
                    caller = authorise(state, header)
                except ApiError as refused:
                    await self._send_error(stamped, refused)
                    return
                scope.setdefault("state", {})["caller"] = caller
            seen = [0]

            async def counted() -> dict[str, Any]:
                message = await receive()
                if message["type"] == "http.request":
                    seen[0] += len(message.get("body", b""))
                    if seen[0] > limit:
                        raise BodyTooLarge.message(413, "too_large", "too_large", limit=limit)
                return message

            try:
                await self.app(scope, counted, stamped)
            except Exception as exc:  # a bug: logged here with its traceback, answered in the error shape
                from .errors import log as service_log

                service_log.error("internal error on %s %s: %s", scope["method"], scope["path"], type(exc).__name__,
                                  exc_info=exc)
                if status[0]:
                    raise  # the response had started: nothing better to send than a cut connection
                body = error_bytes(500, "internal", [dict(zip(("message", "message_zh"), both("internal")))],
                                   state.info_json)
                await stamped({"type": "http.response.start", "status": 500,
                               "headers": [(b"content-type", b"application/json"),
                                           (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
        finally:
            if state.config.access_log:
                caller = (scope.get("state") or {}).get("caller", "-")
                # the path only: no query string, no body (case facts are confidential)
                access_log.info('%s "%s %s" %d %.1fms caller=%s', (scope.get("client") or ("-",))[0],
                                scope["method"], scope["path"], status[0],
                                (time.perf_counter() - started) * 1000, caller)

    async def _send_error(self, send: Send, err: ApiError) -> None:
        body = error_bytes(err.status, err.kind, err.problems, self.state.info_json)
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        headers += [(k.lower().encode(), v.encode()) for k, v in err.headers.items()]
        await send({"type": "http.response.start", "status": err.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _refuse(self, scope: Scope, send: Send, status: int) -> None:
        limit = self.state.config.max_body
        if status == 413:
            en, zh = both("too_large", limit=limit)
            kind = "too_large"
        else:
            en, zh = "invalid Content-Length", "Content-Length 无效"
            kind = "request"
        body = error_bytes(status, kind, [{"message": en, "message_zh": zh}], self.state.info_json)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def create_app(config: ServiceConfig | None = None, *, engine: Engine | None = None) -> FastAPI:
    """The application. Routers: `routes.health`, `routes.api` (under /v1); a web UI can add its own."""
    from . import routes

    config = config or ServiceConfig()
    state = ServiceState(config, engine)
    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(lifespan=lifespan, title="liability-engine", version=__version__, openapi_url="/v1/openapi.json", docs_url=None,
                  redoc_url=None, summary="司法责任认定引擎 HTTP API · The judicial responsibility engine over HTTP",
                  description="Facts in (liability-facts/1), determinations out (liability-determination/1), "
                  "errors as liability-error/1. Every response carries the engine version and the rulebook's "
                  f"content hash (headers {ENGINE_HEADER}, {RULEBOOK_HEADER}, and `service` in the body).")
    app.state.service = state
    install_handlers(app)
    app.include_router(routes.health)
    app.include_router(routes.api, prefix="/v1")
    from .. import web  # the page for inspectors and trainees (#18): same process, tokens and decision log
    app.include_router(web.router(web.WebConfig.for_service(state)))
    if config.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=config.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "Accept-Language"],
                           expose_headers=[ENGINE_HEADER, RULEBOOK_HEADER, DECISION_HEADER])
    app.add_middleware(ServiceMiddleware, state=state)
    app.openapi = lambda: routes.openapi_document(app)  # type: ignore[method-assign]

    return app


def app_from_env() -> FastAPI:
    """The factory uvicorn calls in each worker process (`liability serve` puts the config in the environment)."""
    if not logging.getLogger().handlers:  # a worker process: the access log goes to stderr as in the parent
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    return create_app(ServiceConfig.from_env())
