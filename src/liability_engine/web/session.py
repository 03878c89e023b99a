"""Browser sessions and CSRF for the web page.

The browser never holds the access token. Signing in with a token gives a session cookie that is
HttpOnly, SameSite=Strict and signed (HMAC-SHA256): it carries the token's *name*, a random session
id and the expiry; the server checks the signature and that the name is still among the service's
tokens on every request (removing a token from the token file ends its sessions at the next
restart). Every form carries a CSRF token derived from the session id; every POST is refused
without it. The signing key comes from $LIABILITY_WEB_SESSION_KEY, which `liability serve` sets
once for all its workers; without it each process draws its own (sessions then live as long as
the process, which is right for one worker).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Callable

__all__ = ["SESSION_COOKIE", "SESSION_KEY_ENV", "Session", "Sessions", "ensure_session_key", "LoginThrottle"]

SESSION_COOKIE = "liability_session"
SESSION_KEY_ENV = "LIABILITY_WEB_SESSION_KEY"
LIFETIME = 8 * 3600  # a working day


def ensure_session_key(environ: dict[str, str] | None = None) -> str:
    """Set (once) the key every worker signs sessions with; call before starting the workers."""
    env = os.environ if environ is None else environ
    if not env.get(SESSION_KEY_ENV):
        env[SESSION_KEY_ENV] = secrets.token_hex(32)
    return env[SESSION_KEY_ENV]


@dataclass(frozen=True)
class Session:
    sid: str
    user: str | None      # the token's name; None before signing in (or when auth is off)
    expires: int
    csrf: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Sessions:
    """Issues and checks signed session cookies; `known(name)` says whether a token name still exists."""

    def __init__(self, known: Callable[[str], bool], key: str | None = None):
        raw = key or os.environ.get(SESSION_KEY_ENV) or secrets.token_hex(32)
        self._key = hashlib.sha256(b"liability-web-session\0" + raw.encode("utf-8")).digest()
        self._known = known

    def _sign(self, payload: bytes) -> str:
        return _b64(hmac.new(self._key, payload, hashlib.sha256).digest())

    def _csrf(self, sid: str) -> str:
        return _b64(hmac.new(self._key, b"csrf\0" + sid.encode("ascii"), hashlib.sha256).digest())

    def new(self, user: str | None) -> tuple[Session, str]:
        """A fresh session (a new id: signing in never keeps the anonymous id) and its cookie value."""
        sid = secrets.token_urlsafe(18)
        expires = int(time.time()) + LIFETIME
        payload = json.dumps({"s": sid, "u": user, "e": expires}, separators=(",", ":")).encode("utf-8")
        body = _b64(payload)
        return Session(sid, user, expires, self._csrf(sid)), f"{body}.{self._sign(body.encode('ascii'))}"

    def read(self, cookie: str | None) -> Session | None:
        """The session of a cookie, or None when it is absent, forged, expired or its token is gone."""
        if not cookie or len(cookie) > 1024 or "." not in cookie:
            return None
        body, _, mac = cookie.partition(".")
        if not hmac.compare_digest(mac, self._sign(body.encode("ascii", "replace"))):
            return None
        try:
            data = json.loads(_unb64(body))
            sid, user, expires = str(data["s"]), data["u"], int(data["e"])
        except (ValueError, KeyError, TypeError):
            return None
        if expires < time.time():
            return None
        if user is not None and not self._known(str(user)):
            return None
        return Session(sid, user, expires, self._csrf(sid))

    def tag(self, purpose: str, *parts: str) -> str:
        """An opaque name for `parts` (HMAC-SHA256 under the session key, 128 bits), for a value a form must
        carry without showing it: only this server (its workers share the key) can make it or tell what
        it names, by tagging the candidates and comparing. `purpose` keeps each use's tags apart."""
        message = "\0".join((purpose, *parts)).encode("utf-8")
        return _b64(hmac.new(self._key, b"tag\0" + message, hashlib.sha256).digest()[:16])

    def csrf_ok(self, session: Session | None, presented: str | None) -> bool:
        return session is not None and presented is not None and hmac.compare_digest(session.csrf, presented)


class LoginThrottle:
    """At most `limit` failed sign-ins per client address per minute (a token cannot be guessed online)."""

    def __init__(self, limit: int = 10, window: float = 60.0):
        self.limit, self.window = limit, window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def allowed(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._failures.get(client, []) if now - t < self.window]
            self._failures[client] = recent
            if len(self._failures) > 10_000:  # bounded: forget the oldest addresses
                for old in list(self._failures)[:5_000]:
                    self._failures.pop(old, None)
            return len(recent) < self.limit

    def failed(self, client: str) -> None:
        with self._lock:
            self._failures.setdefault(client, []).append(time.monotonic())
