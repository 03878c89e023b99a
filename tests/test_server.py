"""`liability serve` against a real server: the program started as a subprocess on a free loopback port,
spoken to over HTTP. Every endpoint, authentication, every error shape, the decision log written and
replayed after a rule edit, two workers sharing one log, and property-based tests from the OpenAPI
document (schemathesis)."""

from __future__ import annotations

import concurrent.futures
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

httpx = pytest.importorskip("httpx2", reason="the server tests need the test extra (httpx2)")
pytest.importorskip("fastapi", reason="the server tests need the server extra (fastapi, uvicorn)")
pytest.importorskip("uvicorn", reason="the server tests need the server extra (fastapi, uvicorn)")
schemathesis = pytest.importorskip("schemathesis", reason="the API property tests need schemathesis (test extra)")

from hypothesis import HealthCheck, settings  # noqa: E402

from liability_engine import Engine, load_facts  # noqa: E402
from serving import Server, assert_error, free_port  # noqa: E402
from conftest import ART7_ITEM1_KNOWING, ART7_ITEM2_KNOWING, edited_rules  # noqa: E402
from liability_engine.decisionlog import DecisionRecord  # noqa: E402
from liability_engine.decisionlog.replay import ReplayReport  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "forged-interrogation-record.yaml"
TOKEN = "test-token-0123456789abcdef"
OTHER = "other-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
YAML = {"Content-Type": "application/yaml"}
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def tokens_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import hashlib

    path = tmp_path_factory.mktemp("tokens") / "tokens.txt"
    hashed = hashlib.sha256(OTHER.encode()).hexdigest()
    path.write_text(f"# test tokens\nalice:{TOKEN}\nbob:sha256:{hashed}\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, tokens_file: Path) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("serve")
    srv = Server(tmp, "--tokens", str(tokens_file), "--log", str(tmp / "decisions.db"))
    srv.log = tmp / "decisions.db"  # type: ignore[attr-defined]
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[Any]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "liability_engine", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd, env={**os.environ, "LANG": "en_US.UTF-8"})


# --- health, stamp, OpenAPI ------------------------------------------------------------------------


def test_healthz_needs_no_token_and_carries_the_stamp(client: Any) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    engine = Engine.default()
    digest = engine.rulebook.digest
    assert r.headers["x-liability-rulebook"] == digest
    assert r.headers["x-liability-engine"] == "0.1.0"
    assert r.json() == {"status": "ok", "service": {"engine_version": "0.1.0", "rulebook_digest": digest,
                                                    "rulebook_versions": ["2015", "2020", "2024"],
                                                    "backend": engine.backend}}
    assert "server" not in r.headers  # no version banner beyond our own stamp


def test_openapi_document_is_3_1_and_served_at_spec_too(client: Any) -> None:
    doc = client.get("/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert client.get("/spec").json() == doc
    paths = doc["paths"]
    for path in ("/v1/evaluate", "/v1/explain", "/v1/versions", "/v1/versions/diff", "/v1/rules",
                 "/v1/rules/{version}/articles/{article}", "/v1/schemas", "/v1/schemas/{kind}",
                 "/v1/training/exercises", "/v1/training/grade", "/healthz"):
        assert path in paths, path
    body = paths["/v1/evaluate"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "application/yaml"}
    schemas = doc["components"]["schemas"]
    # one contract: the determination's models are the library's, with the facts contract beside them
    assert {"Facts", "Conduct", "ConductDetermination", "Citation", "EvaluateResponse", "ErrorRecord"} <= set(schemas)
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


# --- authentication ------------------------------------------------------------------------------


def test_a_request_without_a_token_is_refused(client: Any) -> None:
    r = client.post("/v1/evaluate", content=SAMPLE.read_bytes(), headers=YAML)
    body = assert_error(r, 401, "auth")
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization" in body["problems"][0]["message"]


@pytest.mark.parametrize("header", ["Bearer not-a-valid-token-at-all", f"Basic {TOKEN}", "Bearer"])
def test_a_wrong_token_is_refused(client: Any, header: str) -> None:
    r = client.get("/v1/versions", headers={"Authorization": header})
    assert_error(r, 401, "auth")


def test_cors_is_off_by_default(client: Any) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    r = client.get("/v1/versions", headers={**AUTH, **origin})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    preflight = client.options("/v1/evaluate", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_a_token_stored_hashed_is_accepted(client: Any) -> None:
    assert client.get("/v1/versions", headers={"Authorization": f"Bearer {OTHER}"}).status_code == 200


# --- evaluation ------------------------------------------------------------------------------------


def test_evaluate_yaml_gives_the_library_determination_and_the_stamp(client: Any) -> None:
    r = client.post("/v1/evaluate", content=SAMPLE.read_bytes(), headers={**AUTH, **YAML})
    assert r.status_code == 200, r.text
    body = r.json()
    service = body.pop("service")
    expected = json.loads(Engine.default().evaluate(load_facts(SAMPLE)).model_dump_json())
    assert body == expected  # the CLI's contract, unchanged
    assert body["conducts"][0]["finding"] == "intent"
    assert service["decision_id"] == r.headers["x-decision-id"]
    assert service["rulebook_digest"].startswith(body["rulebook"]["digest"])


def test_evaluate_json_with_as_of(client: Any) -> None:
    data = load_facts(SAMPLE).model_dump(mode="json", by_alias=True)
    r = client.post("/v1/evaluate", params={"as_of": "2025-06-01"}, content=json.dumps(data),
                    headers={**AUTH, **JSON})
    assert r.status_code == 200, r.text
    assert r.json()["evaluated_on"] == "2025-06-01"


def test_evaluate_markdown_report_in_the_language_asked(client: Any) -> None:
    for lang, word in (("en", "engine"), ("zh", "引擎")):
        r = client.post("/v1/evaluate", params={"lang": lang}, content=SAMPLE.read_bytes(),
                        headers={**AUTH, **YAML, "Accept": "text/markdown"})
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/markdown")
        assert f"{word} 0.1.0" in r.text and Engine.default().rulebook.digest in r.text


def test_explain_gives_why_not_and_what_would_change(client: Any) -> None:
    for path, params in (("/v1/explain", {}), ("/v1/evaluate", {"explain": "true"})):
        r = client.post(path, params=params, content=SAMPLE.read_bytes(), headers={**AUTH, **YAML})
        assert r.status_code == 200, r.text
        conduct = r.json()["conducts"][0]
        assert conduct["why_not"] and conduct["what_would_change"]


# --- errors: one shape ----------------------------------------------------------------------------


def test_invalid_facts_are_422_with_field_allowed_values_and_did_you_mean(client: Any) -> None:
    bad = SAMPLE.read_bytes().replace(b"act: forge_evidence", b"act: forge_evidense")
    body = assert_error(client.post("/v1/evaluate", content=bad, headers={**AUTH, **YAML}), 422, "facts")
    problem = body["problems"][0]
    assert problem["field"] == "conducts[0].act"
    assert problem["value"] == "forge_evidense" and problem["suggestion"] == "forge_evidence"
    assert "forge_evidence" in problem["allowed"]
    assert problem["line"] > 1
    assert "path" not in problem  # file-less


def test_a_facts_error_from_the_engine_is_422_too(client: Any) -> None:
    body = assert_error(client.post("/v1/evaluate", params={"as_of": "2024-01-01"}, content=SAMPLE.read_bytes(),
                                    headers={**AUTH, **YAML}), 422, "facts")
    assert "after the evaluation date" in body["problems"][0]["message"]


def test_an_invalid_query_option_is_422(client: Any) -> None:
    body = assert_error(client.post("/v1/evaluate", params={"as_of": "yesterday"}, content=SAMPLE.read_bytes(),
                                    headers={**AUTH, **YAML}), 422, "request")
    assert body["problems"][0]["field"] == "as_of"
    body = assert_error(client.post("/v1/evaluate", params={"lang": "fr"}, content=SAMPLE.read_bytes(),
                                    headers={**AUTH, **YAML}), 422, "request")
    assert body["problems"][0]["allowed"] == ["zh", "en"]


def test_an_oversized_body_is_413(client: Any) -> None:
    assert_error(client.post("/v1/evaluate", content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                             headers={**AUTH, **JSON}), 413, "too_large")


def test_an_oversized_body_without_content_length_is_413(client: Any) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b" " * 65536

    assert_error(client.post("/v1/evaluate", content=chunks(), headers={**AUTH, **JSON}), 413, "too_large")


def test_too_deep_a_body_is_422(client: Any) -> None:
    body = assert_error(client.post("/v1/evaluate", content=b"[" * 200 + b"]" * 200, headers={**AUTH, **JSON}),
                        422, "facts")
    assert "too deep" in body["problems"][0]["message"]


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_wrong_media_type_is_415(client: Any, ctype: str | None) -> None:
    headers = dict(AUTH)
    if ctype:
        headers["Content-Type"] = ctype
    body = assert_error(client.post("/v1/evaluate", content=SAMPLE.read_bytes(), headers=headers), 415, "media_type")
    assert "application/json" in body["problems"][0]["allowed"]


def test_an_empty_body_is_422(client: Any) -> None:
    assert_error(client.post("/v1/evaluate", content=b"", headers={**AUTH, **JSON}), 422, "facts")


def test_unknown_route_404_and_wrong_method_405(client: Any) -> None:
    assert_error(client.get("/v1/nowhere", headers=AUTH), 404, "not_found")
    assert_error(client.get("/nowhere"), 404, "not_found")
    body = assert_error(client.get("/v1/evaluate", headers=AUTH), 405, "method")
    assert body["problems"][0]["allowed"] == ["POST"]


# --- versions, rules, schemas, training -------------------------------------------------------------


def test_versions_and_versions_diff(client: Any) -> None:
    versions = client.get("/v1/versions", headers=AUTH).json()["versions"]
    assert [v["version"] for v in versions] == ["2015", "2020", "2024"]
    r = client.post("/v1/versions/diff", params={"old": "2020", "new": "2024"},
                    content=(ROOT / "facts" / "law-error-2021.yaml").read_bytes(), headers={**AUTH, **YAML})
    assert r.status_code == 200, r.text
    diff = r.json()
    assert diff["conducts_compared"] == 1 and diff["differences"][0]["changed"]
    body = assert_error(client.post("/v1/versions/diff", params={"old": "2021", "new": "2024"},
                                    content=SAMPLE.read_bytes(), headers={**AUTH, **YAML}), 404, "not_found")
    assert body["problems"][0]["suggestion"] in ("2020", "2024")


def test_rules_and_decision_table(client: Any) -> None:
    rules = client.get("/v1/rules", params={"version": "2024", "article": 7}, headers=AUTH).json()["rules"]
    assert rules and all(r["version"] == "2024" and r["article"] == 7 for r in rules)
    item2 = next(r for r in rules if r["id"] == "2024.art7.item2")
    assert "forge_evidence" in item2["acts"] and item2["finding"] == "intent"
    table = client.get("/v1/rules/2024/articles/8", params={"lang": "en"}, headers=AUTH).json()
    assert table["rows"][0]["cite"].startswith("Art. 8")
    assert_error(client.get("/v1/rules/2024/articles/99", headers=AUTH), 404, "not_found")
    assert_error(client.get("/v1/rules/2023/articles/8", headers=AUTH), 404, "not_found")


def test_schemas_are_the_shipped_ones(client: Any) -> None:
    kinds = client.get("/v1/schemas", headers=AUTH).json()["schemas"]
    assert {"facts", "determination", "rules", "error", "decision", "replay"} <= set(kinds)
    for kind, name in (("facts", "facts"), ("determination", "determination"), ("error", "error"),
                       ("decision", "decision"), ("replay", "replay")):
        served = client.get(f"/v1/schemas/{kind}", headers=AUTH).json()["schema"]
        assert served == json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    body = assert_error(client.get("/v1/schemas/fact", headers=AUTH), 404, "not_found")
    assert body["problems"][0]["suggestion"] == "facts"


def test_training_exercises_and_grading(client: Any) -> None:
    r = client.get("/v1/training/exercises", params={"topic": "art7", "count": 3, "seed": 7}, headers=AUTH)
    assert r.status_code == 200, r.text
    exercises = r.json()["exercises"]
    assert len(exercises) == 3 and all(e["topic"].startswith("art7") for e in exercises)
    assert all("teaching_note" not in e for e in exercises)
    key = json.loads(run_cli("train", "--key", "--format", "json", "--topic", "art7").stdout)
    sheet = {e["id"]: key[e["id"]] for e in exercises}
    report = client.post("/v1/training/grade", content=json.dumps(sheet), headers={**AUTH, **JSON}).json()["report"]
    assert report["score"]["correct"] == 3
    wrong = {exercises[0]["id"]: {**key[exercises[0]["id"]], "liable": not key[exercises[0]["id"]]["liable"]}}
    report = client.post("/v1/training/grade", content=json.dumps(wrong), headers={**AUTH, **JSON}).json()["report"]
    assert report["score"]["correct"] == 0
    body = assert_error(client.post("/v1/training/grade", content=b"no-such-exercise: {finding: intent}",
                                    headers={**AUTH, **YAML}), 422, "training")
    assert body["problems"][0]["field"] == "no-such-exercise"
    assert_error(client.get("/v1/training/exercises", params={"topic": "art77"}, headers=AUTH), 404, "not_found")


# --- the decision log and replay -----------------------------------------------------------------


def test_every_decision_served_is_logged_and_the_access_log_holds_no_facts(client: Any, server: Server) -> None:
    r = client.post("/v1/evaluate", params={"as_of": "2025-12-01"}, content=SAMPLE.read_bytes(),
                    headers={**AUTH, **YAML})
    decision = r.headers["x-decision-id"]
    shown = run_cli("log", "show", str(server.log), decision)  # type: ignore[attr-defined]
    assert shown.returncode == 0, shown.stderr
    record = json.loads(shown.stdout)
    assert record["schema"] == "liability-decision/1"
    DecisionRecord.model_validate(record)  # the contract of schemas/decision.schema.json
    assert record["caller"] == "alice" and record["channel"] == "http" and record["endpoint"] == "/v1/evaluate"
    assert record["as_of"] == "2025-12-01"
    assert record["rulebook"]["digest"] == r.headers["x-liability-rulebook"]
    assert record["engine_version"] == "0.1.0"
    assert record["facts"] == load_facts(SAMPLE).model_dump(mode="json", by_alias=True)
    body = r.json()
    body.pop("service")
    assert record["determination"] == body
    assert stat.S_IMODE(os.stat(server.log).st_mode) == 0o600  # type: ignore[attr-defined]
    with sqlite3.connect(server.log) as db:  # type: ignore[attr-defined]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    access = server.output()
    assert "/v1/evaluate" in access and "caller=alice" in access
    facts = load_facts(SAMPLE)
    for secret in (facts.case.id, facts.case.summary, facts.person.id, "as_of=", "2025-12-01", TOKEN):
        assert secret not in access, secret
    listed = run_cli("log", "list", str(server.log), "--format", "json")  # type: ignore[attr-defined]
    assert decision in listed.stdout
    exported = run_cli("log", "export", str(server.log), "--jsonl")  # type: ignore[attr-defined]
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert decision in {line["decision_id"] for line in lines}
    missing = run_cli("log", "show", str(server.log), "no-such-id")  # type: ignore[attr-defined]
    assert missing.returncode == 2 and "no decision" in missing.stderr


def test_replay_after_a_rule_edit_names_the_changed_decisions(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    facts = sorted((ROOT / "facts").glob("*.yaml"))
    done = run_cli("evaluate", *map(str, facts), "--log", str(db), "--format", "json", "--as-of", "2025-12-01")
    assert done.returncode == 0, done.stderr
    same = json.loads(run_cli("replay", str(db), "--format", "json").stdout)
    assert same["decisions"] == len(facts) and same["changed"] == 0 and same["logged_under_other_rulebooks"] == 0
    rules = edited_rules(tmp_path, {"2024/art07.yaml": ART7_ITEM2_KNOWING})
    out = run_cli("replay", str(db), "--rules", str(rules), "--format", "json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["schema"] == "liability-replay/1"
    ReplayReport.model_validate(report)
    assert report["logged_under_other_rulebooks"] == len(facts)
    forged = load_facts(SAMPLE).case.id
    changed = {d["case_id"]: d for d in report["changes"] if d["status"] == "changed"}
    assert forged in changed and report["changed"] == len(changed)
    change = changed[forged]["changes"][0]
    assert "finding" in change["changed"]
    assert "2024.art7.item2" in change["logged"]["deciding_rules"]
    assert "2024.art7.item2" not in change["replayed"]["deciding_rules"]
    assert changed[forged]["rulebook_changed"] and "replayed under" in changed[forged]["note"]
    table = run_cli("replay", str(db), "--rules", str(rules), "--lang", "en")
    assert forged in table.stdout and "2024.art7.item2" in table.stdout and "another rulebook" in table.stdout


# --- case files (liability-facts/2): evaluated, logged, replayed --------------------------------------------

CASE = ROOT / "facts" / "cases" / "committee-concealed-fact.yaml"


def _case_determination(as_of: str) -> dict[str, Any]:
    import datetime as dt

    from liability_engine.allocation import load_case_file

    det = Engine.default().evaluate_case(load_case_file(CASE), as_of=dt.date.fromisoformat(as_of))
    return json.loads(det.model_dump_json())


def test_a_case_file_is_evaluated_as_a_case_in_yaml_and_json(client: Any) -> None:
    expected = _case_determination("2025-12-01")
    r = client.post("/v1/evaluate", params={"as_of": "2025-12-01"}, content=CASE.read_bytes(),
                    headers={**AUTH, **YAML})
    assert r.status_code == 200, r.text
    body = r.json()
    service = body.pop("service")
    assert body == expected  # the command line's liability-case-determination/1, unchanged
    assert body["schema"] == "liability-case-determination/1"
    assert service["decision_id"] == r.headers["x-decision-id"]
    import yaml

    as_json = json.dumps(yaml.safe_load(CASE.read_text(encoding="utf-8")), default=str)
    r = client.post("/v1/evaluate", params={"as_of": "2025-12-01"}, content=as_json, headers={**AUTH, **JSON})
    assert r.status_code == 200, r.text
    body = r.json()
    body.pop("service")
    assert body == expected


def test_a_case_file_is_explained_for_one_person_and_errors_keep_their_shape(client: Any) -> None:
    r = client.post("/v1/explain", params={"person": "P-01", "as_of": "2025-12-01"}, content=CASE.read_bytes(),
                    headers={**AUTH, **YAML})
    assert r.status_code == 200, r.text
    persons = r.json()["persons"]
    assert [p["person_id"] for p in persons] == ["P-01"]
    assert persons[0]["own"]["conducts"][0]["what_would_change"]
    body = assert_error(client.post("/v1/explain", params={"person": "P-1"}, content=CASE.read_bytes(),
                                    headers={**AUTH, **YAML}), 422, "request")
    assert body["problems"][0]["field"] == "person" and body["problems"][0]["suggestion"] == "P-01"
    body = assert_error(client.post("/v1/explain", params={"person": "P-01"}, content=SAMPLE.read_bytes(),
                                    headers={**AUTH, **YAML}), 422, "request")
    assert body["problems"][0]["field"] == "person"
    bad = CASE.read_bytes().replace(b"role: chief_procurator", b"role: chief_procurater")
    body = assert_error(client.post("/v1/evaluate", content=bad, headers={**AUTH, **YAML}), 422, "facts")
    assert body["problems"][0]["suggestion"] == "chief_procurator" and body["problems"][0]["line"] > 1


def test_the_openapi_document_gives_both_request_shapes(client: Any) -> None:
    doc = client.get("/v1/openapi.json").json()
    for path in ("/v1/evaluate", "/v1/explain"):
        operation = doc["paths"][path]["post"]
        for media in ("application/json", "application/yaml"):
            shape = operation["requestBody"]["content"][media]["schema"]
            assert shape["discriminator"]["propertyName"] == "schema"
            assert {s["$ref"] for s in shape["oneOf"]} == {"#/components/schemas/Facts",
                                                           "#/components/schemas/CaseFile"}
        answer = json.dumps(operation["responses"]["200"])
        assert "EvaluateResponse" in answer and "CaseEvaluateResponse" in answer
    assert "schema" in doc["components"]["schemas"]["CaseFile"]["required"]


def test_a_case_file_served_is_logged_shown_exported_and_replayed_after_a_rule_edit(
        client: Any, server: Server, tmp_path: Path) -> None:
    r = client.post("/v1/evaluate", params={"as_of": "2025-12-01"}, content=CASE.read_bytes(),
                    headers={**AUTH, **YAML})
    assert r.status_code == 200, r.text
    decision = r.headers["x-decision-id"]
    log = str(server.log)  # type: ignore[attr-defined]
    shown = run_cli("log", "show", log, decision)
    assert shown.returncode == 0, shown.stderr
    record = json.loads(shown.stdout)
    DecisionRecord.model_validate(record)
    assert record["facts"]["schema"] == "liability-facts/2" and record["case_id"] == "2025-C-0301"
    assert record["determination"]["schema"] == "liability-case-determination/1"
    assert record["overall"] == {"finding": "intent", "liable": True}
    body = r.json()
    body.pop("service")
    assert record["determination"] == body
    exported = [json.loads(line) for line in run_cli("log", "export", log, "--jsonl").stdout.splitlines()]
    assert decision in {line["decision_id"] for line in exported}

    # the member who voted against now bears it; concealing facts now needs knowing: P-01's finding moves
    member_against = "  - id: 2024.alloc.A3.member_against\n    point: A3\n    parts: [committee_member]\n" \
                     "    answers_for: vote\n    result: "
    rules = edited_rules(tmp_path, {
        "2024/allocation.yaml": (member_against + "does_not_bear\n", member_against + "bears\n"),
        "2024/art07.yaml": ART7_ITEM1_KNOWING})
    out = run_cli("replay", log, "--rules", str(rules), "--format", "json")
    assert out.returncode == 0, out.stderr
    report = ReplayReport.model_validate(json.loads(out.stdout))
    replayed = next(d for d in report.changes if d.decision_id == decision)
    assert replayed.status == "changed" and replayed.rulebook_changed
    persons = {p.person_id: p for p in replayed.persons}
    assert set(persons) == {"P-01", "P-04"}  # no one else
    concealer = persons["P-01"]
    assert "finding" in concealer.changed and "citation" in concealer.changed
    assert "2024.art7.item1" in concealer.logged.deciding_rules  # type: ignore[union-attr]
    assert "2024.art7.item1" not in concealer.replayed.deciding_rules  # type: ignore[union-attr]
    assert concealer.conducts and concealer.conducts[0].conduct_id == "C1"
    member = persons["P-04"]
    assert member.changed == ["share"]
    assert member.logged.share == "does_not_bear" and member.replayed.share == "bears"  # type: ignore[union-attr]
    assert "2024.alloc.A3.member_against" in member.replayed.deciding_rules  # type: ignore[union-attr]
    table = run_cli("replay", log, "--rules", str(rules), "--lang", "en")
    assert decision in table.stdout and "person P-04: changed share" in table.stdout


# --- security options -----------------------------------------------------------------------------------


def test_insecure_no_auth_is_refused_off_loopback() -> None:
    out = run_cli("serve", "--host", "0.0.0.0", "--insecure-no-auth", "--port", str(free_port()))
    assert out.returncode == 2 and "loopback" in out.stderr


def test_a_bad_token_file_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "tokens.txt"
    bad.write_text("# comment\nalice:short\nbob\n", encoding="utf-8")
    out = run_cli("serve", "--tokens", str(bad), "--port", str(free_port()))
    assert out.returncode == 2
    assert f"{bad}:2" in out.stderr and "at least 16" in out.stderr and f"{bad}:3" in out.stderr


def test_evaluate_log_is_refused_with_jsonl(tmp_path: Path) -> None:
    out = run_cli("evaluate", "--jsonl", "-", "--log", str(tmp_path / "x.db"))
    assert out.returncode == 2 and "--log" in out.stderr
    assert not (tmp_path / "x.db").exists()


def test_serving_without_tokens_is_refused() -> None:
    env_free = {k: v for k, v in os.environ.items() if k != "LIABILITY_TOKENS"}
    out = subprocess.run([sys.executable, "-m", "liability_engine", "serve", "--port", str(free_port())],
                         capture_output=True, text=True, timeout=120, env=env_free)
    assert out.returncode == 2 and "no tokens" in out.stderr


def test_tokens_from_the_environment_and_no_auth_on_loopback(tmp_path: Path) -> None:
    srv = Server(tmp_path, "--no-access-log", env={"LIABILITY_TOKENS": f"ci:{TOKEN}"})
    try:
        assert httpx.get(srv.url + "/v1/versions", headers=AUTH).status_code == 200
        assert httpx.get(srv.url + "/v1/versions").status_code == 401
    finally:
        srv.stop()
    srv = Server(tmp_path, "--insecure-no-auth")
    try:
        assert httpx.get(srv.url + "/v1/versions").status_code == 200
    finally:
        srv.stop()


def test_every_decision_served_is_logged_by_default_and_no_log_says_so(tmp_path: Path) -> None:
    """Without --log the server records every decision in the default log ($XDG_DATA_HOME/liability-engine/
    decisions.db: tests/serving.py puts XDG_DATA_HOME in tmp), private (0600 in a 0700 folder) and readable by
    `liability log`; --no-log serves unlogged and says so at start; both together are refused."""
    srv = Server(tmp_path, "--insecure-no-auth", "--no-access-log")
    try:
        answer = httpx.post(srv.url + "/v1/evaluate", content=SAMPLE.read_bytes(), headers=YAML)
        assert answer.status_code == 200, answer.text
        decision = answer.headers["x-decision-id"]
    finally:
        srv.stop()
    db = tmp_path / "data" / "liability-engine" / "decisions.db"
    assert str(db) in srv.output()  # the start line says where the decisions go
    assert stat.S_IMODE(db.stat().st_mode) == 0o600 and stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    shown = run_cli("log", "show", str(db), decision)
    assert shown.returncode == 0 and json.loads(shown.stdout)["decision_id"] == decision
    srv = Server(tmp_path, "--insecure-no-auth", "--no-access-log", "--no-log")
    try:
        answer = httpx.post(srv.url + "/v1/evaluate", content=SAMPLE.read_bytes(), headers=YAML)
        assert answer.status_code == 200 and "x-decision-id" not in answer.headers
    finally:
        srv.stop()
    assert "decision log off (--no-log" in srv.output() or "决定日志 关闭（--no-log" in srv.output()
    both = run_cli("serve", "--insecure-no-auth", "--log", str(db), "--no-log", "--port", str(free_port()))
    assert both.returncode == 2 and "--log and --no-log cannot be given together" in both.stderr
    assert "Traceback" not in both.stderr


# --- two workers, one log -----------------------------------------------------------------------------


def test_two_workers_share_one_log_without_loss(tmp_path: Path, tokens_file: Path) -> None:
    db = tmp_path / "shared.db"
    srv = Server(tmp_path, "--workers", "2", "--tokens", str(tokens_file), "--log", str(db), "--no-access-log")
    n = 120
    try:
        raw = SAMPLE.read_bytes()

        def one(_: int) -> str:
            with httpx.Client(base_url=srv.url, timeout=60) as c:  # a connection each: both workers take some
                r = c.post("/v1/evaluate", content=raw, headers={**AUTH, **YAML})
                assert r.status_code == 200, r.text
                return str(r.headers["x-decision-id"])

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            ids = list(pool.map(one, range(n)))
    finally:
        srv.stop()
    assert len(set(ids)) == n
    with sqlite3.connect(db) as con:
        logged = {row[0] for row in con.execute("SELECT decision_id FROM decisions")}
    assert logged == set(ids)


# --- property-based: the OpenAPI document against the running server ------------------------------------


@pytest.fixture(scope="module")
def api_schema(server: Server) -> Any:
    return schemathesis.openapi.from_url(server.url + "/v1/openapi.json")


OPERATIONS = [("GET", "/healthz"), ("POST", "/v1/evaluate"), ("POST", "/v1/explain"), ("GET", "/v1/versions"),
              ("POST", "/v1/versions/diff"), ("GET", "/v1/rules"), ("GET", "/v1/rules/{version}/articles/{article}"),
              ("GET", "/v1/schemas"), ("GET", "/v1/schemas/{kind}"), ("GET", "/v1/training/exercises"),
              ("POST", "/v1/training/grade")]


def test_the_property_tests_cover_every_operation(api_schema: Any) -> None:
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_properties(api_schema: Any, server: Server, method: str, path: str) -> None:
    """Generated from the OpenAPI document (schemathesis): no 5xx, and every response (errors included) has a
    documented status and content type and matches its schema."""
    from hypothesis import given
    from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                     status_code_conformance)

    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def check(case: Any) -> None:
        case.call_and_validate(base_url=server.url, headers=AUTH, timeout=60,
                               checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                       response_schema_conformance])

    check()


# --- in-process: what a real server cannot be made to do on demand -------------------------------------


class _Misbehaving:
    """The real engine, but explain sleeps (a slow evaluation) and evaluate fails (a bug)."""

    def __init__(self) -> None:
        self._engine = Engine.default()
        self.rulebook, self.backend = self._engine.rulebook, self._engine.backend

    def explain(self, facts: Any, as_of: Any = None) -> Any:
        time.sleep(1.0)
        return self._engine.explain(facts, as_of=as_of)

    def evaluate(self, facts: Any, as_of: Any = None) -> Any:
        raise RuntimeError("a bug, with confidential facts in its message: " + facts.case.summary)


def test_a_bug_is_500_in_the_error_shape_and_a_slow_evaluation_504() -> None:
    import asyncio

    from liability_engine.service import ServiceConfig, create_app

    app = create_app(ServiceConfig(auth=False, request_timeout=0.2, access_log=False), engine=_Misbehaving())

    async def calls() -> tuple[Any, Any]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
            return (await c.post("/v1/evaluate", content=SAMPLE.read_bytes(), headers=YAML),
                    await c.post("/v1/explain", content=SAMPLE.read_bytes(), headers=YAML))

    try:
        bug, slow = asyncio.run(calls())
    finally:
        app.state.service.close()  # no lifespan here: its evaluation pool's threads end with the test
    body = assert_error(bug, 500, "internal")
    assert load_facts(SAMPLE).case.summary not in bug.text and "RuntimeError" not in bug.text
    assert "bug" in body["problems"][0]["message"]
    assert_error(slow, 504, "timeout")
