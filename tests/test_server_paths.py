"""POST /v1/evaluate and /v1/explain are answered by a bare ASGI endpoint in front of FastAPI (the hot path), and by
the FastAPI routes when the bare endpoint is off (a server with CORS): both must answer byte for byte alike —
status, headers, body — for answers and for every error. In-process (the same app built twice), since a real
server cannot be asked to take one path or the other."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

httpx = pytest.importorskip("httpx2", reason="the server tests need the test extra (httpx2)")
pytest.importorskip("fastapi", reason="the server tests need the server extra (fastapi, uvicorn)")

from liability_engine.service import ServiceConfig, create_app  # noqa: E402
from liability_engine.service.auth import hash_token  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "facts" / "forged-interrogation-record.yaml").read_bytes()
CASE = (ROOT / "facts" / "cases" / "committee-concealed-fact.yaml").read_bytes()
TOKEN = "paths-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
YAML = {**AUTH, "Content-Type": "application/yaml"}

REQUESTS: list[tuple[str, str, dict[str, str], dict[str, str], bytes]] = [
    ("a person's facts", "/v1/evaluate", {"as_of": "2025-12-01"}, YAML, SAMPLE),
    ("as JSON", "/v1/evaluate", {"as_of": "2025-12-01"}, {**AUTH, "Content-Type": "application/json"},
     b'{"schema": "liability-facts/1", "case": {"id": "X", "kind": "criminal"}, "person": {"id": "P"}, '
     b'"conducts": [{"id": "C1", "date": "2025-01-02", "act": "forge_evidence", "fault": "intentional"}]}'),
    ("markdown in English", "/v1/evaluate", {"as_of": "2025-12-01", "lang": "en"}, {**YAML, "Accept": "text/markdown"},
     SAMPLE),
    ("explain", "/v1/explain", {"as_of": "2025-12-01"}, YAML, SAMPLE),
    ("a case file", "/v1/evaluate", {"as_of": "2025-12-01"}, YAML, CASE),
    ("a case file, one person", "/v1/explain", {"as_of": "2025-12-01", "person": "P-01"}, YAML, CASE),
    ("no such person", "/v1/explain", {"person": "P-1"}, YAML, CASE),
    ("invalid facts", "/v1/evaluate", {}, YAML, SAMPLE.replace(b"act: forge_evidence", b"act: forge_evidense")),
    ("facts after as_of", "/v1/evaluate", {"as_of": "2024-01-01"}, YAML, SAMPLE),
    ("bad options", "/v1/evaluate", {"as_of": "yesterday", "lang": "fr", "explain": "maybe"}, YAML, SAMPLE),
    ("an unknown option", "/v1/explain", {"asof": "2025-12-01"}, YAML, SAMPLE),
    ("wrong media type", "/v1/evaluate", {}, {**AUTH, "Content-Type": "text/plain"}, SAMPLE),
    ("empty body", "/v1/evaluate", {}, YAML, b"  \n"),
    ("too deep", "/v1/evaluate", {}, {**AUTH, "Content-Type": "application/json"}, b"[" * 200 + b"]" * 200),
    ("no token", "/v1/evaluate", {}, {"Content-Type": "application/yaml"}, SAMPLE),
    ("a wrong token", "/v1/explain", {}, {"Authorization": "Bearer nope-nope-nope-nope", "Content-Type": "text/yaml"},
     SAMPLE),
]


def _answers(fast: bool) -> list[tuple[int, list[tuple[str, str]], bytes]]:
    app = create_app(ServiceConfig(tokens={hash_token(TOKEN): "alice"}, access_log=False, max_body=64 * 1024))
    assert app.fast is not None  # built with the bare endpoint (no CORS)
    if not fast:
        app.fast = None  # everything through FastAPI, as with --cors-origin

    async def calls() -> list[Any]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
            out = [await c.post(path, params=params, headers=headers, content=body)
                   for _, path, params, headers, body in REQUESTS]
            out.append(await c.post("/v1/evaluate", headers=YAML, content=b"x" * (65 * 1024)))
            return out

    try:
        return [(r.status_code, list(r.headers.multi_items()), r.content) for r in asyncio.run(calls())]
    finally:
        app.state.service.close()  # no lifespan here: its evaluation pool's threads end with the test


def test_the_bare_endpoint_answers_exactly_as_the_fastapi_routes() -> None:
    bare, routed = _answers(True), _answers(False)
    names = [name for name, *_ in REQUESTS] + ["too large"]
    statuses = {name: b[0] for name, b in zip(names, bare)}
    assert statuses == {"a person's facts": 200, "as JSON": 200, "markdown in English": 200, "explain": 200,
                        "a case file": 200, "a case file, one person": 200, "no such person": 422,
                        "invalid facts": 422, "facts after as_of": 422, "bad options": 422, "an unknown option": 422, "wrong media type": 415,
                        "empty body": 422, "too deep": 422, "no token": 401, "a wrong token": 401, "too large": 413}
    for name, b, r in zip(names, bare, routed):
        assert b == r, name  # status, every header (in order) and the body, byte for byte


def test_cors_sends_evaluate_through_fastapi_and_answers_alike() -> None:
    app = create_app(ServiceConfig(auth=False, access_log=False, cors_origins=["https://cases.example"]))
    assert app.fast is None

    async def call() -> Any:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
            return await c.post("/v1/evaluate", params={"as_of": "2025-12-01"}, content=SAMPLE,
                                headers={"Content-Type": "application/yaml", "Origin": "https://cases.example"})

    try:
        r = asyncio.run(call())
    finally:
        app.state.service.close()
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://cases.example"
    assert r.json()["conducts"][0]["finding"] == "intent" and "x-liability-rulebook" in r.headers
