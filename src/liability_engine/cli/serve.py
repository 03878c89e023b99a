"""`liability serve`: the engine over HTTP (needs the `server` extra: pip install 'liability-engine[server]')."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import LiabilityError, Problem
from ._common import BackendOption, RulesOption, check_backend, fail, load_engine, rules_folder

__all__ = ["serve"]


def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8080, "--port", min=0, max=65535),
    workers: int = typer.Option(1, "--workers", min=1, max=64),
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
    log: Optional[Path] = typer.Option(None, "--log", show_default=False),
    tokens: Optional[Path] = typer.Option(None, "--tokens", show_default=False),
    insecure_no_auth: bool = typer.Option(False, "--insecure-no-auth"),
    max_body: int = typer.Option(1024 * 1024, "--max-body", min=1024),
    timeout: float = typer.Option(30.0, "--timeout", min=0.1),
    cors_origin: Optional[list[str]] = typer.Option(None, "--cors-origin", metavar="ORIGIN", show_default=False),
    no_access_log: bool = typer.Option(False, "--no-access-log"),
) -> None:
    """Serve the engine over HTTP: /v1/evaluate, /v1/explain, versions, rules, schemas, training; the OpenAPI
    document at /v1/openapi.json. 以 HTTP 提供认定服务。"""
    try:
        import uvicorn  # noqa: F401
        import fastapi  # noqa: F401
    except ImportError:
        fail(LiabilityError(Problem("the server needs the 'server' extra: pip install 'liability-engine[server]' "
                                    "（需要安装 server 附加依赖）", field="serve")))
    from ..service.auth import load_tokens
    from ..service.config import CONFIG_ENV, ServiceConfig, is_loopback

    check_backend(backend)
    load_engine(rules, backend)  # a bad rulebook is reported here, before any worker starts
    if insecure_no_auth and not is_loopback(host):
        fail(LiabilityError(Problem(f"--insecure-no-auth is refused on {host}: without tokens the server may only "
                                    "listen on a loopback address such as 127.0.0.1（不验证令牌时只能监听本机地址）",
                                    field="--insecure-no-auth", value=host)))
    try:
        hashes, warnings = load_tokens(str(tokens) if tokens else None)
    except LiabilityError as exc:
        fail(exc)
        return
    if not insecure_no_auth and not hashes:
        fail(LiabilityError(Problem("no tokens: give --tokens FILE (NAME:TOKEN or NAME:sha256:HEX a line) or set "
                                    "LIABILITY_TOKENS, or --insecure-no-auth on a loopback address（未配置令牌）",
                                    field="--tokens")))
    for warning in warnings:
        sys.stderr.write(f"warning: {warning}\n")
    if log is not None:
        from ..decisionlog import DecisionLog

        try:
            DecisionLog(log).close()  # created (0600, WAL) once, before the workers race to
        except LiabilityError as exc:
            fail(exc)
    config = ServiceConfig(rules=str(rules_folder(rules)), backend=backend, log=str(log) if log else None,
                           auth=not insecure_no_auth, tokens=hashes, max_body=max_body, request_timeout=timeout,
                           cors_origins=list(cors_origin or []), access_log=not no_access_log,
                           lang="zh" if os.environ.get("LANG", "").lower().startswith("zh") else "en")
    os.environ[CONFIG_ENV] = config.to_env()
    from ..web.session import ensure_session_key

    ensure_session_key()  # the web page's sessions: one signing key for every worker, drawn per start
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    import uvicorn

    sys.stderr.write(f"liability serve: http://{host}:{port}/v1 (OpenAPI: /v1/openapi.json), "
                     f"{workers} worker(s), auth {'off' if insecure_no_auth else 'on'}, "
                     f"decision log {log or 'off'}\n")
    sys.stderr.flush()
    uvicorn.run("liability_engine.service.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                access_log=False, log_level="info", timeout_keep_alive=5, limit_concurrency=1024,
                timeout_graceful_shutdown=10, server_header=False, proxy_headers=False)
