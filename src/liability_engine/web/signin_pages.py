"""`/static/…`, `/login`, `/logout`: the page's own files, and signing in with a token of the service.

The browser never holds the token: signing in gives a signed session cookie (session.py) carrying the
token's name. Failures are limited per client address; after signing in, the browser goes back to the
page it asked for — only ever a path on this site.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .pages import Pages, Visit, set_session_cookie
from .session import SESSION_COOKIE

__all__ = ["add_routes"]

STATIC = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}


def add_routes(router: APIRouter, pages: Pages) -> None:
    config = pages.config

    @router.get("/static/{name}")
    def static(name: str) -> Response:
        path = STATIC / name
        if "/" in name or name.startswith(".") or path.suffix not in STATIC_TYPES or not path.is_file():
            from starlette.exceptions import HTTPException

            raise HTTPException(status_code=404)  # the service's 404, in both languages (was "not found", text/plain)
        return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix],
                        headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"})

    @router.get("/login", response_class=HTMLResponse)
    def login_page(visit: Visit = Depends(pages.visitor)) -> Response:
        return pages.render(visit, "login.html", next=safe_next(visit.query("next")), failed=False)

    @router.post("/login", response_class=HTMLResponse)
    def login(visit: Visit = Depends(pages.csrf_form)) -> Response:
        nxt = safe_next(visit.field("next", "/"))
        request = visit.request
        client = request.client.host if request.client else "?"
        if not config.throttle.allowed(client):
            return pages.render(visit, "login.html", status=429, next=nxt, failed=True, message=visit.say("too_many"))
        token = visit.field("token").strip()
        user = config.check_token(token) if (config.check_token and token) else (None if config.auth else "")
        if config.auth and user is None:
            config.throttle.failed(client)
            return pages.render(visit, "login.html", status=401, next=nxt, failed=True,
                                message=visit.say("login_failed"))
        _, cookie = config.sessions.new(user or None)
        response = RedirectResponse(nxt, status_code=303)
        set_session_cookie(response, cookie)
        return response

    @router.post("/logout")
    def logout(_: Visit = Depends(pages.csrf_form)) -> Response:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response


def safe_next(target: str | None) -> str:
    """Only a path on this site (never `//host` or a scheme): no open redirect after sign-in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target or "\n" in target:
        return "/"
    return target[:2000]
