"""The HTTP application: `create_app(config)` builds it (a factory, so tests, workers and the web page each build
their own): FastAPI with one router per area under /v1, behind the service's front (`front.ServiceFront`).

POST /v1/evaluate and /v1/explain — the hot path — are answered by a bare ASGI endpoint in front of FastAPI
(`evaluation.EvaluateEndpoint`, behind the same front), which answers exactly as the FastAPI routes do: FastAPI's
routing, dependency solving and response classes cost more per request than the evaluation itself. The FastAPI
routes stay declared, so the OpenAPI document is generated from the same pydantic models, and they answer
whenever the bare endpoint does not (a server with CORS, whose middleware sits in FastAPI's stack).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, AsyncIterator

from fastapi import FastAPI

from .. import Engine, __version__
from . import collector
from .balance import install
from .config import ServiceConfig
from .errors import install_handlers
from .evaluation import EVALUATE_PATHS, EvaluateEndpoint
from .front import ServiceFront
from .messages import say
from .state import DECISION_HEADER, ENGINE_HEADER, RULEBOOK_HEADER, ServiceState

__all__ = ["create_app", "app_from_env", "ServiceState", "ServiceApp"]

_DESCRIPTION = ("Facts in (liability-facts/1, or a case file liability-facts/2), determinations out "
                "(liability-determination/1, liability-case-determination/1), errors as liability-error/1. Every "
                "response carries the engine version and the rulebook's content hash (headers "
                f"{ENGINE_HEADER}, {RULEBOOK_HEADER}, and `service` in the body).")


def _both(key: str) -> str:
    """A sentence of the catalogue in both languages, for the OpenAPI document (one text, read in either)."""
    message = say(key)
    return f"{message.zh} · {message}"


class ServiceApp(FastAPI):
    """FastAPI, with the evaluate endpoints answered in front of it."""

    fast: Any = None  # ServiceFront(EvaluateEndpoint), or None to send everything through FastAPI

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.fast is not None and scope["type"] == "http" and scope["method"] == "POST" \
                and scope["path"] in EVALUATE_PATHS and not scope.get("root_path"):
            await self.fast(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(config: ServiceConfig | None = None, *, engine: Engine | None = None) -> ServiceApp:
    """The application. Routers: `routes.health`, `routes.api` (under /v1); the web page adds its own."""
    from . import routes

    config = config or ServiceConfig()
    state = ServiceState(config, engine)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        full = collector.FullCollections(loop, collector.FULL_EVERY) if collector.settled() else None
        try:
            yield
        finally:
            if full is not None:
                full.stop()
            state.close()

    app = ServiceApp(lifespan=lifespan, title="liability-engine", version=__version__,
                     openapi_url="/v1/openapi.json", docs_url=None, redoc_url=None,
                     summary=_both("openapi_summary"),
                     description=_DESCRIPTION)
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
    else:
        app.fast = ServiceFront(EvaluateEndpoint(state), state)
    app.add_middleware(ServiceFront, state=state)
    app.openapi = lambda: routes.openapi_document(app)  # type: ignore[method-assign]
    return app


def app_from_env() -> FastAPI:
    """The factory uvicorn calls in each worker process (`liability serve` puts the config in the environment)."""
    if not logging.getLogger().handlers:  # a worker process: the access log goes to stderr as in the parent
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    config = ServiceConfig.from_env()
    app = create_app(config)
    install(config.connections)  # this worker's row of the workers' connection table, with --workers > 1
    # What the worker has built to serve (modules, rulebook, compiled rulesets, the app) lives as long as it does:
    # frozen, the cyclic collector stops scanning it in every full collection, which stops every request the
    # worker holds meanwhile (a full collection took 80 ms of a worker's time, 36 ms frozen; benchmarks/README.md);
    # and the full collections run on a timer (collector.py: the lifespan above starts it).
    collector.settle()
    return app
