"""The web page for inspectors and trainees, served by `liability serve` beside the HTTP API.

    app.include_router(web.router(web.WebConfig(engine, check_token=..., known=...)))

`/` evaluates one case (a form, or an uploaded facts file) with the interview in place, `/train`
is the trainer, `/train/progress` and `/train/class` the records, `/rules` the rulebook read-only.
Needs the `server` extra (FastAPI, Jinja2, python-multipart).
"""

from __future__ import annotations

from fastapi import APIRouter

from .routes import WebConfig, build_router
from .session import SESSION_COOKIE, SESSION_KEY_ENV, ensure_session_key

__all__ = ["router", "WebConfig", "SESSION_COOKIE", "SESSION_KEY_ENV", "ensure_session_key"]


def router(config: WebConfig) -> APIRouter:
    """The page's routes (not in the OpenAPI document: they are HTML, not a contract)."""
    return build_router(config)
