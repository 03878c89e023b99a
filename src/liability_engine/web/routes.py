"""The web page's routes: sign-in, evaluate (with the interview in place), train, progress, rules.

Server-rendered HTML (Jinja2, autoescape on); the one script (static/app.js) only narrows the item
list to the article chosen. Every POST carries the session's CSRF token. The engine, the trainer and
the renderers are the ones the CLI uses: this module only turns forms into their inputs and their
outputs into pages.
"""

from __future__ import annotations

import base64
import datetime as _dt
import re
import secrets
import threading
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import Engine, FactsError, __version__, parse_facts
from ..facts import facts_from_data
from . import forms, present
from .session import SESSION_COOKIE, LoginThrottle, Session, Sessions
from .words import pick, say

__all__ = ["build_router", "WebConfig"]

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}
LANG_COOKIE = "liability_lang"
MAX_UPLOAD = 1024 * 1024
SECURITY_HEADERS = {
    # no inline script or style anywhere: injected markup could not run even if escaping failed
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
_NAME = re.compile(r"^[^\x00-\x1f\x7f/\\]{1,64}$")


class WebConfig:
    """What the page needs from the service: the engine, and how to check a token (None: no auth)."""

    def __init__(self, engine: Engine | Callable[[], Engine], *, check_token: Callable[[str], str | None] | None,
                 known: Callable[[str], bool] | None = None, data_dir: str | Path | None = None,
                 session_key: str | None = None, bank: str | Path | None = None,
                 record: Callable[[Any, Any, str | None, str], None] | None = None):
        self._engine = engine
        self.record = record  # (facts, determination, caller, endpoint): the service's decision log
        self.check_token = check_token
        self.auth = check_token is not None
        self.sessions = Sessions(known or (lambda name: True), session_key)
        self.data_dir = Path(data_dir) if data_dir else _default_data_dir()
        self.bank = Path(bank) if bank else None
        self._trainer: Any = None
        self._lock = threading.Lock()
        self.throttle = LoginThrottle()
        self._diffs: dict[tuple[str, str], Any] = {}
        self._rules_views: dict[tuple[str, str | None, str], Any] = {}

    @classmethod
    def for_service(cls, state: Any) -> "WebConfig":
        """The page of a `liability serve` process: its engine, its tokens (the same authentication as
        the API), and its decision log (every determination the page shows is logged, channel `web`)."""
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
                   known=lambda name: name in tokens.values(), record=record)

    @property
    def engine(self) -> Engine:
        if not isinstance(self._engine, Engine):
            self._engine = self._engine()
        return self._engine

    def trainer(self) -> Any:
        with self._lock:
            if self._trainer is None:
                from ..training import Trainer

                self._trainer = Trainer(self.engine, self.bank)
            return self._trainer


def _default_data_dir() -> Path:
    import os

    explicit = os.environ.get("LIABILITY_WEB_DATA")
    if explicit:
        return Path(explicit).expanduser()
    from ..training import progress_path

    return progress_path().parent / "web"


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    from ..render import safe

    # identifiers are shown with control characters (bidi overrides among them) made visible, as the
    # terminal report does: an id cannot pass for another; the form keeps them exactly as entered
    env.filters["shown"] = safe
    return env


def build_router(config: WebConfig) -> APIRouter:
    env = _env()
    router = APIRouter(include_in_schema=False)

    # --- plumbing --------------------------------------------------------------------------------

    def lang_of(request: Request) -> str:
        return pick(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))

    def session_of(request: Request) -> Session | None:
        return config.sessions.read(request.cookies.get(SESSION_COOKIE))

    def page(request: Request, template: str, *, status: int = 200, session: Session | None = None,
             new_cookie: str | None = None, **ctx: Any) -> HTMLResponse:
        lang = ctx.pop("lang", None) or lang_of(request)
        if session is None:
            session = session_of(request)
        if session is None:
            session, new_cookie = config.sessions.new(None)
        other = "en" if lang == "zh" else "zh"
        query = dict(request.query_params)
        query["lang"] = other
        html = env.get_template(template).render(
            lang=lang, t=lambda key, **kw: say(key, lang, **kw), csrf=session.csrf, user=session.user,
            auth=config.auth, path=request.url.path, other_lang_url=f"{request.url.path}?{urlencode(query)}",
            version=__version__, **ctx)
        response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
        if new_cookie:
            set_session_cookie(response, new_cookie)
        if request.query_params.get("lang") in ("zh", "en"):
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="strict")
        return response

    def set_session_cookie(response: Response, value: str) -> None:
        response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="strict", path="/",
                            secure=False)  # loopback http by default; behind TLS a proxy adds Secure

    def login_redirect(request: Request) -> RedirectResponse:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    def signed_in(request: Request) -> tuple[Session | None, Response | None]:
        """The session, or the response that sends the browser to sign in."""
        session = session_of(request)
        if config.auth and (session is None or session.user is None):
            return None, login_redirect(request)
        return session, None

    async def posted(request: Request) -> tuple[Session | None, Any, Response | None]:
        """A POST's session and form, or the response refusing it (not signed in; CSRF token wrong)."""
        session, refuse = signed_in(request)
        if refuse is not None:
            return None, None, refuse
        form = await request.form(max_files=1, max_fields=2000)
        if session is None or not config.sessions.csrf_ok(session, form.get("csrf")):
            return None, None, page(request, "error.html", status=403, message=say("csrf_failed", lang_of(request)))
        return session, form, None

    # --- static files and sign-in ---------------------------------------------------------------------

    @router.get("/static/{name}")
    def static(name: str) -> Response:
        path = STATIC / name
        if "/" in name or name.startswith(".") or path.suffix not in STATIC_TYPES or not path.is_file():
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix],
                        headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"})

    @router.get("/login", response_class=HTMLResponse)
    def login_page(request: Request) -> Response:
        nxt = _safe_next(request.query_params.get("next"))
        return page(request, "login.html", next=nxt, failed=False)

    @router.post("/login", response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        lang = lang_of(request)
        session = session_of(request)
        form = await request.form(max_files=0, max_fields=10)
        nxt = _safe_next(str(form.get("next") or "/"))
        if not config.sessions.csrf_ok(session, form.get("csrf")):
            return page(request, "error.html", status=403, message=say("csrf_failed", lang))
        client = request.client.host if request.client else "?"
        if not config.throttle.allowed(client):
            return page(request, "login.html", status=429, next=nxt, failed=True, message=say("too_many", lang))
        token = str(form.get("token") or "").strip()
        user = config.check_token(token) if (config.check_token and token) else (None if config.auth else "")
        if config.auth and user is None:
            config.throttle.failed(client)
            return page(request, "login.html", status=401, next=nxt, failed=True, message=say("login_failed", lang))
        _, cookie = config.sessions.new(user or None)
        response = RedirectResponse(nxt, status_code=303)
        set_session_cookie(response, cookie)
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        session = session_of(request)
        form = await request.form(max_files=0, max_fields=10)
        if not config.sessions.csrf_ok(session, form.get("csrf")):
            return page(request, "error.html", status=403, message=say("csrf_failed", lang_of(request)))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    # --- evaluate -----------------------------------------------------------------------------------

    def log_decision(request: Request, session: Session | None, outcome: Any) -> None:
        if config.record is not None and not isinstance(outcome, FactsError):
            det, _, facts, _ = outcome
            config.record(facts, det, (session.user if session else None) or "anonymous", request.url.path)

    def evaluate_page(request: Request, session: Session | None, state: forms.FormState, lang: str, *,
                      evaluate: bool, status: int = 200, problems: list[Any] | None = None) -> Response:
        rb = config.engine.rulebook
        ctx: dict[str, Any] = {"state": state, "problems": problems or [], "left_out": [], "result": None}
        if evaluate and not problems:
            outcome = _evaluate(config.engine, state)
            log_decision(request, session, outcome)
            if isinstance(outcome, FactsError):
                ctx["problems"] = outcome.problems
                status = 422
            else:
                det, left_out, _, _ = outcome
                ctx["result"] = present.determination_view(rb, det, lang)
                ctx["left_out"] = [(lo.conduct, _field_words(rb, lo.field, lang),
                                    _value_words(rb, lo.field, lo.default, lang)) for lo in left_out]
        ctx.update(_form_context(rb, lang))
        return page(request, "evaluate.html", status=status, session=session, lang=lang, **ctx)

    @router.get("/", response_class=HTMLResponse)
    def evaluate_form(request: Request) -> Response:
        session, refuse = signed_in(request)
        if refuse is not None:
            return refuse
        state = forms.FormState(conducts=[{"id": "C1"}])
        return evaluate_page(request, session, state, lang_of(request), evaluate=False)

    @router.post("/", response_class=HTMLResponse)
    async def evaluate_post(request: Request) -> Response:
        session, form, refuse = await posted(request)
        if refuse is not None:
            return refuse
        rb = config.engine.rulebook
        state = forms.parse_form(form.multi_items(), rb)
        action = str(form.get("action") or "evaluate")
        lang = lang_of(request)
        evaluate = action == "evaluate" or form.get("evaluated") == "1"
        if action == "add" and len(state.conducts) < forms.MAX_CONDUCTS:
            state.conducts.append({"id": _next_id(state)})
            evaluate = False
        elif action.startswith("remove:") and len(state.conducts) > 1:
            index = _int(action[7:])
            if index is not None and 0 <= index < len(state.conducts):
                del state.conducts[index]
            evaluate = False
        elif action.startswith("answer:"):
            parts = action.split(":", 3)
            index = _int(parts[1]) if len(parts) == 4 else None
            if index is not None and 0 <= index < len(state.conducts) and parts[2] in forms.conduct_fields(rb):
                state.conducts[index][parts[2]] = parts[3]
            evaluate = True
        elif action in ("lang:zh", "lang:en"):
            lang = action[5:]
            response = await run_in_threadpool(evaluate_page, request, session, state, lang, evaluate=evaluate)
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="strict")
            return response
        return await run_in_threadpool(evaluate_page, request, session, state, lang, evaluate=evaluate)

    @router.post("/upload", response_class=HTMLResponse)
    async def upload(request: Request) -> Response:
        session, form, refuse = await posted(request)
        if refuse is not None:
            return refuse
        lang = lang_of(request)
        rb = config.engine.rulebook
        file = form.get("facts_file")
        raw = await file.read(MAX_UPLOAD + 1) if file is not None and hasattr(file, "read") else b""
        name = getattr(file, "filename", None) or "upload"
        try:
            if len(raw) > MAX_UPLOAD:
                from ..errors import Problem

                raise FactsError(Problem(f"the file is larger than {MAX_UPLOAD // 1024} KiB", path=name))
            facts = parse_facts(raw, Path(name).name)
        except FactsError as exc:
            return evaluate_page(request, session, forms.FormState(conducts=[{"id": "C1"}]), lang, evaluate=False,
                                 status=422, problems=exc.problems)
        return await run_in_threadpool(evaluate_page, request, session, forms.from_facts(facts, rb), lang,
                                       evaluate=True)

    @router.post("/download/{what}")
    async def download(request: Request, what: str) -> Response:
        session, form, refuse = await posted(request)
        if refuse is not None:
            return refuse
        rb = config.engine.rulebook
        lang = lang_of(request)
        state = forms.parse_form(form.multi_items(), rb)
        outcome = await run_in_threadpool(_evaluate, config.engine, state)
        if isinstance(outcome, FactsError):
            return evaluate_page(request, session, state, lang, evaluate=False, status=422, problems=outcome.problems)
        log_decision(request, session, outcome)
        det, _, facts, data = outcome
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", det.case_id)[:60].strip("._") or "case"
        if what == "facts.yaml":
            # what the form said, no more: defaults nobody stated are not written out as facts
            body = yaml.safe_dump(_dated(data), allow_unicode=True, sort_keys=False)
            return _attachment(body, f"{stem}.facts.yaml", "application/yaml; charset=utf-8")
        if what == "report.md":
            from ..render import markdown_report

            return _attachment(markdown_report(rb, det, lang, facts), f"{stem}.report.{lang}.md",
                               "text/markdown; charset=utf-8")
        return page(request, "error.html", status=404, message=say("not_found", lang))

    # --- training -----------------------------------------------------------------------------------

    from . import training_pages

    training_pages.add_routes(router, config, page, signed_in, posted, lang_of)

    # --- rules ----------------------------------------------------------------------------------------

    @router.get("/rules", response_class=HTMLResponse)
    def rules(request: Request) -> Response:
        session, refuse = signed_in(request)
        if refuse is not None:
            return refuse
        lang = lang_of(request)
        rb = config.engine.rulebook
        ids = [v.id for v in rb.versions]
        wanted = request.query_params.get("version") or ids[-1]
        if wanted not in ids:
            return page(request, "error.html", status=404, message=say("not_found", lang))
        version = rb.version(wanted)
        article = request.query_params.get("article") or None
        key = None
        if article is not None:
            key = next((k for k, a in version.articles.items() if k == article or str(a.number) == article), None)
            if key is None:
                return page(request, "error.html", status=404, message=say("not_found", lang))
        cache_key = (version.id, key, lang)  # the rulebook is immutable: each view is computed once
        view = config._rules_views.get(cache_key)
        if view is None:
            view = config._rules_views[cache_key] = present.rules_view(rb, version, key, lang)
        return page(request, "rules.html", session=session, versions=ids, v=view, article=key)

    @router.get("/rules/diff", response_class=HTMLResponse)
    def rules_diff(request: Request) -> Response:
        session, refuse = signed_in(request)
        if refuse is not None:
            return refuse
        lang = lang_of(request)
        rb = config.engine.rulebook
        ids = [v.id for v in rb.versions]
        old = request.query_params.get("old") or (ids[-2] if len(ids) > 1 else ids[-1])
        new = request.query_params.get("new") or ids[-1]
        if old not in ids or new not in ids:
            return page(request, "error.html", status=404, message=say("not_found", lang))
        rows, total = _diff(config, old, new)
        shown = [{
            "case": r.source, "conduct": r.conduct_id, "changed": [say(f"changed_{c}", lang) for c in r.changed],
            "act": present.Words(rb).value("act", r.act, lang), "fault": present.Words(rb).value("fault", r.fault, lang),
            "old": (present.finding_text(rb, r.old.finding, lang), present.liable_text(rb, r.old.finding, r.old.liable, lang),
                    (r.old.citation.label_zh if lang == "zh" else r.old.citation.label) if r.old.citation else "—"),
            "new": (present.finding_text(rb, r.new.finding, lang), present.liable_text(rb, r.new.finding, r.new.liable, lang),
                    (r.new.citation.label_zh if lang == "zh" else r.new.citation.label) if r.new.citation else "—"),
            "why": (r.old.decided_by or "—", r.new.decided_by or "—"),
        } for r in rows]
        return page(request, "diff.html", session=session, versions=ids, old=old, new=new, rows=shown, total=total)

    return router


# --- helpers ------------------------------------------------------------------------------------------


def _diff(config: WebConfig, old: str, new: str) -> tuple[list[Any], int]:
    from ..authoring.version_diff import compare_versions

    key = (old, new)
    if key not in config._diffs:
        trainer = config.trainer()
        rows, total = [], 0
        for ex in trainer.exercises:
            total += len(ex.facts.conducts)
            rows.extend(compare_versions(config.engine, ex.facts, old, new, ex.id))
        config._diffs[key] = (rows, total)
    return config._diffs[key]


def _evaluate(engine: Engine, state: forms.FormState) -> Any:
    """(determination with explanations, the unknowns left out, the facts, their data) or the FactsError."""
    data, left_out = forms.to_data(state, engine.rulebook)
    try:
        facts = facts_from_data(data)
        det = engine.explain(facts)
    except FactsError as exc:
        return exc
    return det, left_out, facts, data


def _dated(data: dict[str, Any]) -> dict[str, Any]:
    """The facts data with each conduct's date as a date (YAML writes it unquoted, as people do)."""
    out = dict(data)
    out["conducts"] = [{**c, "date": _dt.date.fromisoformat(c["date"])} if isinstance(c.get("date"), str) else c
                       for c in data["conducts"]]
    return out


def _form_context(rb: Any, lang: str) -> dict[str, Any]:
    from ..determination.explain import Words

    words = Words(rb)
    fields = []
    for name in forms.conduct_fields(rb):
        if name in ("act",):
            continue
        spec = rb.schema[name]
        options = [(v, words.value(name, v, lang)) for v in spec.values]
        fields.append({"name": name, "label": words.field(name, lang), "kind": spec.kind,
                       "nullable": spec.nullable, "options": options,
                       "group": name.split(".")[0] if "." in name else ""})
    def enum(name: str) -> list[tuple[str, str]]:
        return [(v, words.value(name, v, lang)) for v in rb.schema[name].values]

    return {"acts": present.act_groups(rb, lang), "fields": fields,
            "case_kinds": enum("case.kind"), "roles": enum("person.role"), "statuses": enum("person.status"),
            "field_label": lambda name: words.field(name, lang)}


def _field_words(rb: Any, name: str, lang: str) -> str:
    from ..determination.explain import Words

    return Words(rb).field(name, lang)


def _value_words(rb: Any, name: str, value: Any, lang: str) -> str:
    from ..determination.explain import Words

    return Words(rb).value(name, value, lang)


def _next_id(state: forms.FormState) -> str:
    taken = {c.get("id") for c in state.conducts}
    n = len(state.conducts) + 1
    while f"C{n}" in taken:
        n += 1
    return f"C{n}"


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 6 else None


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never `//host` or a scheme): no open redirect after sign-in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target or "\n" in target:
        return "/"
    return target[:2000]


def _attachment(body: str, filename: str, media_type: str) -> Response:
    headers = dict(SECURITY_HEADERS)
    headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Response(body.encode("utf-8"), media_type=media_type, headers=headers)


def name_dir(text: str) -> str:
    """A file-system-safe, reversible folder name for a trainee or class name."""
    return "n-" + base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def dir_name(folder: str) -> str | None:
    if not folder.startswith("n-"):
        return None
    raw = folder[2:]
    try:
        return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def valid_name(text: str) -> bool:
    return bool(_NAME.match(text)) and text.strip() == text and bool(text)


def new_sid() -> str:
    return secrets.token_hex(8)


