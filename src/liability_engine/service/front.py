"""The service's front: what every HTTP request crosses, before FastAPI and before the bare evaluate endpoint.

Plain ASGI (no per-request task or copy of the body): it stamps every response with the engine version and the
rulebook's content hash, refuses a body over the limit (from Content-Length before reading it, and while
reading it), checks the bearer token of every /v1 route but the OpenAPI document, answers a bug as a 500 in the
error shape (the traceback to the server's log), closes a connection of a worker holding more than its share of
them (balance.py), and writes the access log: client, method, path without its query string, status, time,
caller — never a body, never a query string (case facts are confidential).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Awaitable, Callable

from .auth import authorise
from .balance import installed
from .errors import ApiError, error_bytes, internal_error, log as service_log
from .messages import say

__all__ = ["ServiceFront", "access_log"]

access_log = logging.getLogger("liability.access")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class BodyTooLarge(ApiError):
    pass


def _bodiless(send: Send) -> Send:
    """`send` for a HEAD request: the status and headers (Content-Length included) of the GET, no body."""

    async def bodiless(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return bodiless


class ServiceFront:
    """Stamp, body limit, token and access log, for every HTTP request (errors included), around `app`."""

    def __init__(self, app: Any, state: Any):
        self.app, self.state = app, state
        self.limit = state.config.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        asked = scope
        if scope["method"] == "HEAD":  # what GET would answer, without the body (RFC 9110 §9.3.2): FastAPI's
            scope = {**scope, "method": "GET", "state": scope.setdefault("state", {})}  # routes take GET only:
            send = _bodiless(send)  # HEAD was a 405 ("allow: GET")
        started = time.perf_counter()
        status = [0]
        stamp = self.state.headers
        table = installed()

        async def stamped(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", ()), *stamp]
                if table is not None and table.should_close(scope.get("client")) \
                        and (b"connection", b"close") not in message["headers"]:
                    message["headers"].append((b"connection", b"close"))  # this worker holds over its share
            await send(message)

        try:
            if await self._admitted(scope, stamped):
                await self._run(scope, self._counted(receive), stamped, status)
        finally:
            if self.state.config.access_log:
                self._access(asked, status[0], started)

    async def _admitted(self, scope: Scope, send: Send) -> bool:
        """Whether the request may go on: a body within the limit by its Content-Length, and a valid token
        where one is needed (the caller's name goes to scope['state']['caller'])."""
        header = length = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = -1
            elif name == b"authorization":
                header = value.decode("latin-1")
        if length is not None and (length > self.limit or length < 0):
            await self._refuse(send, 413 if length > self.limit else 400)
            return False
        path = scope["path"]
        if path.startswith("/v1/") and path != "/v1/openapi.json":
            try:
                caller = authorise(self.state.config, header)
            except ApiError as refused:
                await self._send_error(send, refused)
                return False
            scope.setdefault("state", {})["caller"] = caller
        return True

    def _counted(self, receive: Receive) -> Receive:
        """`receive`, refusing a body that grows over the limit as it arrives (413)."""
        limit, seen = self.limit, [0]

        async def counted() -> dict[str, Any]:
            message = await receive()
            if message["type"] == "http.request":
                seen[0] += len(message.get("body", b""))
                if seen[0] > limit:
                    raise BodyTooLarge.message(413, "too_large", "too_large", limit=limit)
            return message

        return counted

    async def _run(self, scope: Scope, receive: Receive, send: Send, status: list[int]) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as exc:  # a bug: logged here with its traceback, answered in the error shape
            service_log.error("internal error on %s %s: %s", scope["method"], scope["path"], type(exc).__name__,
                              exc_info=exc)
            if status[0]:
                raise  # the response had started: nothing better to send than a cut connection
            await self._send_error(send, internal_error())

    def _access(self, scope: Scope, status: int, started: float) -> None:
        caller = (scope.get("state") or {}).get("caller", "-")
        # the path only: no query string, no body (case facts are confidential)
        access_log.info('%s "%s %s" %d %.1fms caller=%s', (scope.get("client") or ("-",))[0], scope["method"],
                        scope["path"], status, (time.perf_counter() - started) * 1000, caller)

    async def _send_error(self, send: Send, err: ApiError, close: bool = False) -> None:
        body = error_bytes(err.status, err.kind, err.problems, self.state.info_json, err.source)
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        headers += [(k.lower().encode(), v.encode()) for k, v in err.headers.items()]
        if close:
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": err.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _refuse(self, send: Send, status: int) -> None:
        if status == 413:
            err = ApiError.message(413, "too_large", "too_large", limit=self.limit)
        else:
            message = say("bad_content_length")
            err = ApiError(400, "request", [{"message": str(message), "message_zh": message.zh}])
        await self._send_error(send, err, close=True)
