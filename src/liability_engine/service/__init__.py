"""`liability serve`: the engine over HTTP (FastAPI on uvicorn, the `server` extra).

    from liability_engine.service import ServiceConfig, create_app
    app = create_app(ServiceConfig(log="decisions.db", tokens={...}))

See docs/service.md for the endpoints, the error contract, authentication and the decision log. The names
are imported when first used, so `service.contracts` and `service.config` work without the server extra.
"""

from .._exports import exports

__all__, __getattr__ = exports(__name__, {
    ".app": ["create_app", "app_from_env"],
    ".config": ["ServiceConfig"],
})
