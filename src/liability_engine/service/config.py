"""How a server is configured: one value object, built by `liability serve` and handed to each worker
process through the environment (uvicorn starts workers by import string)."""

from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["ServiceConfig", "CONFIG_ENV", "is_loopback"]

CONFIG_ENV = "LIABILITY_SERVE_CONFIG"


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class ServiceConfig:
    """Everything a worker needs to build the app. Token *hashes* only: raw tokens never leave the parent."""

    rules: str | None = None              # a rulebook folder; None = the bundled rules
    backend: str = "auto"                 # durable where durable-rules imports, else python
    log: str | None = None                # the decision-log database; None = no log
    auth: bool = True
    tokens: dict[str, str] = field(default_factory=dict)   # sha256 hex digest -> token name
    max_body: int = 1024 * 1024           # bytes of a request body
    request_timeout: float = 30.0         # seconds to read a body and to evaluate
    cors_origins: list[str] = field(default_factory=list)  # empty: CORS off
    access_log: bool = True
    lang: str = "zh"                      # default language of messages when a request says none
    connections: str | None = None        # the workers' connection table (balance.py); set with --workers > 1

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "ServiceConfig":
        raw = (environ if environ is not None else os.environ).get(CONFIG_ENV)
        if not raw:
            return cls()
        data: dict[str, Any] = json.loads(raw)
        return cls(**data)
