"""`liability serve`: the engine over HTTP (FastAPI on uvicorn, the `server` extra).

    from liability_engine.service import ServiceConfig, create_app
    app = create_app(ServiceConfig(log="decisions.db", tokens={...}))

See docs/service.md for the endpoints, the error contract, authentication and the decision log.
"""

from __future__ import annotations

from .app import app_from_env, create_app
from .config import ServiceConfig

__all__ = ["create_app", "app_from_env", "ServiceConfig"]
