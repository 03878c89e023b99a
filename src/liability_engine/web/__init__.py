"""The web page for inspectors and trainees, served by `liability serve` beside the HTTP API.

    app.include_router(web.router(web.WebConfig(engine, check_token=..., known=...)))

One module per resource: `signin_pages` (sign-in, the page's static files), `evaluate_pages` (`/`: one
case, a form or an uploaded facts file, with the interview in place), `training_pages` (`/train`),
`progress_pages` (`/train/progress`, `/train/class`), `rules_pages` (`/rules`, the rulebook read-only).
What they share — the language, the session, the sign-in check as a dependency, rendering — is
`pages`; `forms` turns the form into facts, `present` the engine's answers into what the templates
show, `records` keeps the training records; the words are the `web` section of rules/messages.yaml.
Needs the `server` extra (FastAPI, Jinja2, python-multipart).
"""

from __future__ import annotations

from fastapi import APIRouter

from . import evaluate_pages, progress_pages, rules_pages, signin_pages, training_pages
from .config import WebConfig
from .pages import PageRoute, Pages
from .session import SESSION_COOKIE, SESSION_KEY_ENV, ensure_session_key

__all__ = ["router", "WebConfig", "SESSION_COOKIE", "SESSION_KEY_ENV", "ensure_session_key"]


def router(config: WebConfig) -> APIRouter:
    """The page's routes (not in the OpenAPI document: they are HTML, not a contract)."""
    pages = Pages(config)
    built = APIRouter(include_in_schema=False, route_class=PageRoute)
    for module in (signin_pages, evaluate_pages, training_pages, progress_pages, rules_pages):
        module.add_routes(built, pages)
    return built
