"""What every page shares: the language, the session, rendering a template, and the one sign-in check.

A route states what it needs as a FastAPI dependency — `pages.visitor` (anyone), `pages.signed_in`
(a signed-in session), `pages.posted` (signed in, and a form carrying the session's CSRF token) or
`pages.csrf_form` (a form with the token, signed in or not: sign-in and sign-out) — and receives a
`Visit`. When the check fails, the dependency raises `Refused` with the page to send instead (the
sign-in redirect, the 403 page), which `PageRoute` returns: no route repeats the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import __version__
from .config import WebConfig
from .session import SESSION_COOKIE, Session
from .words import LANGS, pick, say

__all__ = ["Pages", "PageRoute", "Refused", "Visit", "LANG_COOKIE", "SECURITY_HEADERS", "set_session_cookie",
           "remember_lang"]

HERE = Path(__file__).resolve().parent
LANG_COOKIE = "liability_lang"
SECURITY_HEADERS = {
    # no inline script or style anywhere: injected markup could not run even if escaping failed
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@dataclass
class Visit:
    """One request to a page: who (the session, None before any), in which language, what was posted."""

    request: Request
    session: Session | None
    lang: str
    form: Any = None  # the posted form (starlette FormData), for POST routes

    def field(self, name: str, default: str = "") -> str:
        return str(self.form.get(name) or default) if self.form is not None else default

    def query(self, name: str, default: str = "") -> str:
        return self.request.query_params.get(name, default)

    def say(self, key: str, **values: Any) -> str:
        return say(key, self.lang, **values)


class Refused(Exception):
    """A request a page will not serve; `response` is what is sent instead."""

    def __init__(self, response: Response):
        super().__init__(response.status_code)
        self.response = response


class PageRoute(APIRoute):
    """A route whose dependencies may refuse the request by raising `Refused`."""

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except Refused as refusal:
                return refusal.response

        return guarded


class Pages:
    """Renders the templates for one `WebConfig`, and checks who may see them."""

    def __init__(self, config: WebConfig):
        self.config = config
        self.env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                               autoescape=select_autoescape(default=True, default_for_string=True),
                               trim_blocks=True, lstrip_blocks=True)
        from ..render import safe

        # identifiers are shown with control characters (bidi overrides among them) made visible, as the
        # terminal report does: an id cannot pass for another; the form keeps them exactly as entered
        self.env.filters["shown"] = safe
        #: a signed-in visit's form, carrying the session's CSRF token (refused with 403 otherwise)
        self.posted = self._form(sign_in=True, max_files=1, max_fields=2000)
        #: sign-in and sign-out: a small form with the CSRF token, signed in or not
        self.csrf_form = self._form(sign_in=False, max_files=0, max_fields=10)

    # --- who and which language ------------------------------------------------------------------------

    def lang_of(self, request: Request) -> str:
        return pick(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))

    def session_of(self, request: Request) -> Session | None:
        return self.config.sessions.read(request.cookies.get(SESSION_COOKIE))

    def visitor(self, request: Request) -> Visit:
        """Anyone (the sign-in page)."""
        return Visit(request, self.session_of(request), self.lang_of(request))

    def signed_in(self, request: Request) -> Visit:
        """A signed-in visit; otherwise the browser is sent to sign in and back."""
        visit = self.visitor(request)
        if self.config.auth and (visit.session is None or visit.session.user is None):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise Refused(RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303))
        return visit

    def _form(self, *, sign_in: bool, max_files: int, max_fields: int) -> Callable[[Request], Any]:
        async def dependency(request: Request) -> Visit:
            visit = self.signed_in(request) if sign_in else self.visitor(request)
            visit.form = await request.form(max_files=max_files, max_fields=max_fields)
            if not self.config.sessions.csrf_ok(visit.session, visit.form.get("csrf")):
                raise Refused(self.error(visit, 403, "csrf_failed"))
            return visit

        return dependency

    # --- responses ---------------------------------------------------------------------------------------

    def render(self, visit: Visit, template: str, *, status: int = 200, **ctx: Any) -> HTMLResponse:
        """The template in the visit's language; a visitor without a session gets one (its CSRF token
        is in every form)."""
        request, lang = visit.request, visit.lang
        session, new_cookie = visit.session, None
        if session is None:
            session, new_cookie = self.config.sessions.new(None)
        query = dict(request.query_params)
        query["lang"] = "en" if lang == "zh" else "zh"
        html = self.env.get_template(template).render(
            lang=lang, t=lambda key, **kw: say(key, lang, **kw), csrf=session.csrf, user=session.user,
            auth=self.config.auth, path=request.url.path, other_lang_url=f"{request.url.path}?{urlencode(query)}",
            version=__version__, **ctx)
        response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
        if new_cookie:
            set_session_cookie(response, new_cookie)
        if request.query_params.get("lang") in LANGS:
            remember_lang(response, lang)
        return response

    def error(self, visit: Visit, status: int, key: str) -> HTMLResponse:
        return self.render(visit, "error.html", status=status, message=visit.say(key))


def set_session_cookie(response: Response, value: str) -> None:
    response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="strict", path="/",
                        secure=False)  # loopback http by default; behind TLS a proxy adds Secure


def remember_lang(response: Response, lang: str) -> None:
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="strict")
