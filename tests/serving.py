"""`liability serve` in a subprocess on a free loopback port, for the tests that talk HTTP to a real server
(tests/test_server*.py, tests/browser/) and for benchmarks/bench_server.py: one way to start it, wait for it and
stop it, with its workers (its own process group)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Sequence

__all__ = ["Server", "free_port", "assert_error", "START_TIMEOUT"]

START_TIMEOUT = 90.0  # seconds: the machine is shared, and a cold start compiles the rulebook


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def assert_error(response: Any, status: int, kind: str) -> dict[str, Any]:
    """An answer of the server in the error shape (liability-error/1, stamped, no traceback): its body."""
    from liability_engine.error_record import ErrorRecord

    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["schema"] == "liability-error/1"
    assert body["status"] == status and body["error"] == kind
    assert body["title"] and body["title_zh"]
    assert body["problems"] and all(p["message"] for p in body["problems"])
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert body["service"]["rulebook_digest"] == response.headers["x-liability-rulebook"]
    ErrorRecord.model_validate(body)  # the one liability-error/1 model the command line writes too
    return body


class Server:
    """`liability serve --port P ARGS…` in `tmp` (its working folder, and where its output goes), ready when
    /healthz answers 200. LIABILITY_TOKENS and LIABILITY_DECISION_LOG are left out of its environment unless `env`
    gives them, and XDG_DATA_HOME is `tmp/data` (where the default decision log goes) unless `env` gives it. `prefix`: a
    command that runs it (valgrind, for benchmarks/bench_server_instructions.py)."""

    def __init__(self, tmp: Path, *args: str, env: dict[str, str] | None = None,
                 start_timeout: float = START_TIMEOUT, prefix: Sequence[str] = ()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.output_path = tmp / f"server-{self.port}.log"
        self._out = open(self.output_path, "wb")
        environ = {**os.environ, **(env or {})}
        for name in ("LIABILITY_TOKENS", "LIABILITY_DECISION_LOG"):  # the caller's shell does not reach the server
            if name not in (env or {}):
                environ.pop(name, None)
        if "XDG_DATA_HOME" not in (env or {}):  # the default decision log (no --log) and the web page's data: in tmp
            environ["XDG_DATA_HOME"] = str(tmp / "data")
        self.proc = subprocess.Popen([*prefix, sys.executable, "-m", "liability_engine", "serve", "--port",
                                      str(self.port), *args], stdout=self._out, stderr=subprocess.STDOUT, env=environ,
                                     start_new_session=True, cwd=tmp)
        self._wait(start_timeout)

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"liability serve exited ({self.proc.returncode}): {self.output(4000)}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"liability serve did not start within {timeout:.0f} s: {self.output(4000)}")
            time.sleep(0.2)

    def output(self, tail: int | None = None) -> str:
        """What the server wrote (its access log included), or the last `tail` characters of it."""
        if not self._out.closed:  # after stop(), too
            self._out.flush()
        text = self.output_path.read_text(encoding="utf-8", errors="replace")
        return text[-tail:] if tail else text

    def stop(self, timeout: float = 15) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=timeout)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        self._out.close()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
