"""Bearer tokens: read from a file or an environment variable, kept only as SHA-256 hashes, compared in
constant time.

A token file has one token a line, `NAME:TOKEN` or, better, `NAME:sha256:HEX` (the hash of the token,
so the file holds no secret: `printf %s "$TOKEN" | sha256sum`). Blank lines and `#` comments are
skipped. `LIABILITY_TOKENS` holds the same entries separated by commas or newlines. The token's NAME
is the caller recorded in the decision log; the token itself is never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import stat
from pathlib import Path
from typing import Any

from ..errors import LiabilityError, Problem, os_reason
from ..i18n import msg

__all__ = ["TOKENS_ENV", "TokenError", "hash_token", "parse_tokens", "load_tokens", "check_token", "authorise"]

TOKENS_ENV = "LIABILITY_TOKENS"
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
_HEX = re.compile(r"^[0-9a-f]{64}$")


class TokenError(LiabilityError):
    kind = "tokens"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_tokens(text: str, where: str) -> dict[str, str]:
    """hash -> name, from the lines (or comma-separated entries) of `text`."""
    out: dict[str, str] = {}
    problems = []
    entries = [(n, part) for n, line in enumerate(text.splitlines(), 1) for part in line.split(",")]
    for number, raw in entries:
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        name, sep, secret = entry.partition(":")
        name, secret = name.strip(), secret.strip()
        if not sep or not secret:
            problems.append(Problem(msg("service.token_format"), path=where, line=number))
            continue
        if not _NAME.match(name):
            problems.append(Problem(msg("service.token_name", name=name), path=where, line=number, field="name"))
            continue
        if secret.startswith("sha256:"):
            digest = secret[7:].strip().lower()
            if not _HEX.match(digest):
                problems.append(Problem(msg("service.token_hex"), path=where, line=number, field=name))
                continue
        else:
            if len(secret) < 16:
                problems.append(Problem(msg("service.token_short"), path=where, line=number, field=name))
                continue
            digest = hash_token(secret)
        if digest in out:
            problems.append(Problem(msg("service.token_twice", other=out[digest]), path=where, line=number, field=name))
            continue
        out[digest] = name
    if problems:
        raise TokenError(problems)
    return out


def load_tokens(path: str | None, environ: dict[str, str] | None = None) -> tuple[dict[str, str], list[Any]]:
    """The tokens of the file `path` and of LIABILITY_TOKENS, with warnings (e.g. a file others can read)."""
    env = os.environ if environ is None else environ
    tokens: dict[str, str] = {}
    warnings: list[Any] = []
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
            mode = os.stat(path).st_mode
        except OSError as exc:
            raise TokenError(Problem(msg("service.token_unreadable", reason=os_reason(exc)), path=path)) from None
        except UnicodeDecodeError as exc:  # was an internal error (exit 1) of `serve --tokens` a binary file
            raise TokenError(Problem(msg("input.not_utf8", byte=f"0x{exc.object[exc.start]:02x}", offset=exc.start),
                                     path=path)) from None
        parsed = parse_tokens(text, path)
        if mode & (stat.S_IRWXG | stat.S_IRWXO) and any(":sha256:" not in line for line in text.splitlines()
                                                        if line.strip() and not line.strip().startswith("#")):
            warnings.append(msg("service.token_file_open", path=path))
        tokens.update(parsed)
    if env.get(TOKENS_ENV):
        tokens.update(parse_tokens(env[TOKENS_ENV], f"${TOKENS_ENV}"))
    return tokens, warnings


def check_token(presented: str, tokens: dict[str, str]) -> str | None:
    """The name of the token presented, or None. The token is hashed once (SHA-256: a token is a random secret,
    not a password, so a slow KDF would add nothing) and every stored hash compared, in constant time."""
    digest = hash_token(presented)
    found = None
    for stored, name in tokens.items():
        if hmac.compare_digest(digest, stored):
            found = name
    return found


_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="liability"'}
_INVALID = {"WWW-Authenticate": 'Bearer realm="liability", error="invalid_token"'}


def authorise(config: Any, header: str | None) -> str:
    """The caller's name (the token's name) for an Authorization header; ApiError 401 without a valid token.
    Called by the service's front for every /v1 request but the OpenAPI document."""
    from .errors import ApiError

    if not config.auth:
        return "anonymous"
    if not header:
        raise ApiError.message(401, "auth", "auth_missing", headers=dict(_CHALLENGE))
    scheme, _, credentials = header.partition(" ")
    found = check_token(credentials.strip(), config.tokens) if scheme.lower() == "bearer" else None
    if found is None:
        raise ApiError.message(401, "auth", "auth_bad", headers=dict(_INVALID))
    return found
