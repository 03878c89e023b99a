"""`liability serve`: the engine over HTTP (needs the `server` extra: pip install 'liability-engine[server]')."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional

import typer

from ..errors import LiabilityError, Problem, os_reason
from ..i18n import msg, text
from ._common import (BackendOption, Lang, LangOption, RulesOption, check_backend, fail, load_engine, pick_lang,
                      refuse_folder_as_log, rules_folder)

__all__ = ["serve"]


def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8080, "--port", min=0, max=65535),
    workers: int = typer.Option(1, "--workers", min=1, max=64),
    rules: Optional[Path] = RulesOption,
    backend: str = BackendOption,
    log: Optional[Path] = typer.Option(None, "--log", show_default=False),
    no_log: bool = typer.Option(False, "--no-log"),
    tokens: Optional[Path] = typer.Option(None, "--tokens", show_default=False),
    insecure_no_auth: bool = typer.Option(False, "--insecure-no-auth"),
    max_body: int = typer.Option(1024 * 1024, "--max-body", min=1024),
    timeout: float = typer.Option(30.0, "--timeout", min=0.1),
    cors_origin: Optional[list[str]] = typer.Option(None, "--cors-origin", metavar="ORIGIN", show_default=False),
    no_access_log: bool = typer.Option(False, "--no-access-log"),
    lang: Optional[Lang] = LangOption,
) -> None:
    """Serve the engine over HTTP: /v1/evaluate, /v1/explain, versions, rules, schemas, training; the OpenAPI
    document at /v1/openapi.json."""
    _needs_extra()
    check_backend(backend)
    load_engine(rules, backend)  # a bad rulebook is reported here, before any worker starts
    hashes = _tokens(host, tokens, insecure_no_auth)
    log = _log_path(log, no_log)
    if log is not None:
        refuse_folder_as_log(log)
        _create_log(log)
    _check_address(host, port)
    from ..service.config import ServiceConfig

    config = ServiceConfig(rules=str(rules_folder(rules)), backend=backend, log=str(log) if log else None,
                           auth=not insecure_no_auth, tokens=hashes, max_body=max_body, request_timeout=timeout,
                           cors_origins=list(cors_origin or []), access_log=not no_access_log,
                           lang=pick_lang(lang))  # the answers' language when a request asks for none
    _run(config, host, port, workers)


def _needs_extra() -> None:
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        fail(LiabilityError(Problem(msg("service.needs_extra"), field="serve")))


def _tokens(host: str, tokens: Optional[Path], insecure_no_auth: bool) -> dict[str, str]:
    """The token hashes (the raw tokens never reach a worker); refused without any, unless --insecure-no-auth on
    a loopback address."""
    from ..service.auth import load_tokens
    from ..service.config import is_loopback

    if insecure_no_auth and not is_loopback(host):
        fail(LiabilityError(Problem(msg("service.no_auth_off_loopback", host=host), field="--insecure-no-auth",
                                    value=host)))
    try:
        hashes, warnings = load_tokens(str(tokens) if tokens else None)
    except LiabilityError as exc:
        fail(exc)
        raise  # unreachable: fail exits
    if not insecure_no_auth and not hashes:
        fail(LiabilityError(Problem(msg("service.no_tokens"), field="--tokens")))
    lang = pick_lang(None)
    for warning in warnings:
        sys.stderr.write(text("service.warning", lang, text=warning.get(lang)) + "\n")
    return hashes


def _log_path(log: Optional[Path], no_log: bool) -> Optional[Path]:
    """The decision log: --log DB, else the default one (decisionlog.files.default_log_path), or none with --no-log."""
    if no_log:
        if log is not None:
            fail(LiabilityError(Problem(msg("service.log_and_no_log"), field="--no-log", value=str(log))))
        return None
    if log is not None:
        return log
    from ..decisionlog.files import default_log_path

    try:
        log = default_log_path()
    except RuntimeError:  # no home folder to put it in (no HOME, and a user id without a passwd entry)
        fail(LiabilityError(Problem(msg("service.no_home_for_log"), field="--log")))
        raise  # unreachable: fail exits
    try:
        log.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the log file itself is created 0600
    except OSError as exc:
        fail(LiabilityError(Problem(msg("service.default_log_folder", reason=os_reason(exc)), path=str(log.parent),
                                    field="--log")))
    return log


def _check_address(host: str, port: int) -> None:
    """Refuse, in words and with exit 2, an address the server could not listen on: uvicorn said it after the
    "serving on" line, in English ("[Errno 98] error while attempting to bind ...", "[Errno -2] Name or service not
    known"), and exited 3."""
    import errno
    import socket

    try:
        found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        fail(LiabilityError(Problem(msg("input_hunt.serve_no_such_host", host=host), field="--host", value=host)))
        return
    family, kind, proto, _, address = found[0]
    try:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind(address)
    except OSError as exc:
        key = "input_hunt.serve_port_in_use" if exc.errno == errno.EADDRINUSE else "input_hunt.serve_cannot_listen"
        fail(LiabilityError(Problem(msg(key, host=host, port=port, reason=os_reason(exc)), field="--port",
                                    value=port)))


def _create_log(log: Path) -> None:
    from ..decisionlog import DecisionLog

    try:
        DecisionLog(log).close()  # created (0600, WAL) once, before the workers race to
    except LiabilityError as exc:
        fail(exc)


def _run(config: Any, host: str, port: int, workers: int) -> None:
    """uvicorn (with httptools, the `server` extra) with the config in the environment, for each worker, on
    asyncio's event loop, each worker listening on a socket of its own (service/connection.py says why: not uvloop,
    and why not uvicorn's one shared socket); with more than one worker, the table by which they keep their shares
    of the connections even (service/balance.py), removed when the server stops."""
    import uvicorn

    from ..service.config import CONFIG_ENV
    from ..service.connection import NoDelayProtocol
    from ..web.session import ensure_session_key

    folder = None
    if workers > 1:  # the workers' connection table (service/balance.py), in a folder of this server's own
        from ..service.balance import create_table

        folder = Path(tempfile.mkdtemp(prefix="liability-serve-"))
        create_table(folder / "connections", rows=2 * workers)  # room for workers restarted in place
        config.connections = str(folder / "connections")
    os.environ[CONFIG_ENV] = config.to_env()
    ensure_session_key()  # the web page's sessions: one signing key for every worker, drawn per start
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    lang = pick_lang(None)
    state = text("service.auth_on" if config.auth else "service.auth_off", lang)
    sys.stderr.write(text("service.started", lang, host=host, port=port, workers=workers, auth=state,
                          log=config.log or text("service.log_off", lang)) + "\n")
    sys.stderr.flush()
    try:
        uvicorn.run("liability_engine.service.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    loop="liability_engine.service.connection:WorkerLoop" if workers > 1 else "asyncio",
                    http=NoDelayProtocol,  # uvicorn's httptools (or h11) protocol, with TCP_NODELAY
                    access_log=False, log_level="info", timeout_keep_alive=5, limit_concurrency=1024,
                    timeout_graceful_shutdown=10, server_header=False, proxy_headers=False)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
