"""Requests the earlier rounds (test_server.py, the schemathesis properties) did not send, against a real server:
HEAD, query parameters the endpoint does not take or given twice, pydantic's English in a Chinese message, an
empty answer sheet called empty facts, a form over Starlette's limits, and a request the HTTP parser itself cannot
read. Each answer is a 2xx, or a 4xx in the error shape (liability-error/1) in both languages; never a 5xx."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any, Iterator

import pytest

httpx = pytest.importorskip("httpx2", reason="the server tests need the test extra (httpx2)")
pytest.importorskip("fastapi", reason="the server tests need the server extra (fastapi, uvicorn)")
pytest.importorskip("uvicorn", reason="the server tests need the server extra (fastapi, uvicorn)")

from serving import Server, assert_error  # noqa: E402
from liability_engine.error_record import ErrorRecord  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "facts" / "forged-interrogation-record.yaml").read_bytes()
YAML = {"Content-Type": "application/yaml"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("serve-hunt"), "--insecure-no-auth", "--no-log")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[Any]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def error(response: Any, status: int, kind: str) -> dict[str, Any]:
    """assert_error's, and every problem said in Chinese too (and none in Chinese where English is asked)."""
    body = assert_error(response, status, kind)
    for problem in body["problems"]:
        assert problem["message"] and CJK.search(problem["message_zh"]), problem  # said in Chinese too
        assert not CJK.search(problem["message"]), problem
    return body


# --- HEAD -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/healthz", "/v1/versions", "/v1/schemas/facts", "/"])
def test_head_answers_as_get_without_the_body(client: Any, path: str) -> None:
    """HEAD /healthz was 405 with "allow: GET" (FastAPI's routes take GET only): a monitor's `curl -I` failed."""
    get, head = client.get(path), client.head(path)
    assert get.status_code == head.status_code == 200, head.headers
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["x-liability-rulebook"] == get.headers["x-liability-rulebook"]


def test_head_of_a_post_only_endpoint_is_still_405(client: Any) -> None:
    response = client.head("/v1/evaluate")
    assert response.status_code == 405 and response.headers["allow"] == "POST"


# --- query parameters -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method, path, name, suggestion", [
    ("POST", "/v1/evaluate?asof=2020-01-01", "asof", "as_of"),
    ("POST", "/v1/explain?as-of=2020-01-01", "as-of", "as_of"),
    ("POST", "/v1/explain?explain=true", "explain", None),
    ("GET", "/v1/rules?verison=2024", "verison", "version"),
    ("GET", "/v1/versions?foo=1", "foo", None),
    ("GET", "/v1/training/exercises?topics=art8", "topics", "topic"),
])
def test_a_parameter_the_endpoint_does_not_take_is_refused(client: Any, method: str, path: str, name: str,
                                                           suggestion: str | None) -> None:
    """`?asof=2020-01-01` (a typo of as_of) was ignored: the case was judged as of today, 200, without a word."""
    body = error(client.request(method, path, content=SAMPLE, headers=YAML), 422, "request")
    problem = body["problems"][0]
    assert problem["field"] == name and problem.get("suggestion") == suggestion
    assert f"parameter {name}: this endpoint takes no such parameter" in problem["message"]
    assert problem["allowed"] and all(a in problem["message"] for a in problem["allowed"])


@pytest.mark.parametrize("method, path, name", [("POST", "/v1/evaluate?lang=zh&lang=en", "lang"),
                                                ("GET", "/v1/rules?article=7&article=8", "article")])
def test_a_parameter_given_twice_is_refused(client: Any, method: str, path: str, name: str) -> None:
    """The last one won, unsaid: `?article=7&article=8` listed Art. 8 only."""
    body = error(client.request(method, path, content=SAMPLE, headers=YAML), 422, "request")
    assert body["problems"][0]["field"] == name
    assert "given 2 times; give it once" in body["problems"][0]["message"]


def test_the_documented_parameters_are_still_taken(client: Any) -> None:
    done = client.post("/v1/evaluate?as_of=2026-01-01&lang=en&explain=false", content=SAMPLE, headers=YAML)
    assert done.status_code == 200 and done.json()["evaluated_on"] == "2026-01-01"
    listed = client.get("/v1/rules?version=2024&article=8&lang=zh")
    assert listed.status_code == 200 and {r["article"] for r in listed.json()["rules"]} == {8}


@pytest.mark.parametrize("path, english, chinese", [
    ("/v1/versions?lang=fr", "not an allowed value (allowed: zh, en)", "不是允许的值（允许：zh, en）"),
    ("/v1/rules?article=abc", "expected a whole number", "应为整数"),
    ("/v1/rules?article=0", "must be at least 1", "应不小于 1"),
    ("/v1/rules/2024/articles/1000", "must be at most 999", "应不大于 999"),
    ("/v1/training/exercises?topic=" + "x" * 65, "is too long (at most 64 characters)", "过长（最多 64 个字符）"),
])
def test_an_invalid_parameter_is_said_in_both_languages(client: Any, path: str, english: str, chinese: str) -> None:
    """message_zh was pydantic's English: "参数 lang：Input should be 'zh' or 'en'"."""
    body = error(client.get(path), 422, "request")
    assert english in body["problems"][0]["message"] and chinese in body["problems"][0]["message_zh"]
    assert "Input should" not in json.dumps(body)


# --- bodies ---------------------------------------------------------------------------------------------------


def test_an_empty_answer_sheet_is_an_answer_sheet_error(client: Any) -> None:
    """It was `"error": "facts"`, "invalid facts": "send the facts (liability-facts/1) or a case file"."""
    body = error(client.post("/v1/training/grade", content=b"", headers=YAML), 422, "training")
    assert "send an answer sheet" in body["problems"][0]["message"] and "facts" not in body["problems"][0]["message"]


def test_a_form_over_the_pages_limits_is_said_in_both_languages(client: Any) -> None:
    """Starlette's "Too many fields. Maximum number of fields is 2000." was both the message and the message_zh."""
    page = client.get("/")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    fields = {"csrf": csrf, **{f"f{i}": "1" for i in range(2100)}}
    body = error(client.post("/", data=fields), 400, "request")
    assert body["problems"][0]["message"] == "the form has too many fields (at most 2000)"
    assert body["problems"][0]["message_zh"] == "表单字段过多（最多 2000 个）"


# --- what the HTTP parser cannot read ----------------------------------------------------------------------------


def _raw(server: Server, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("request_bytes", [
    b"FOO /v1/versions HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\nContent-Length: abc\r\n\r\n",
    b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
], ids=["unknown-method", "length-not-a-number", "negative-length"])
def test_a_request_the_parser_cannot_read_is_a_400_in_the_error_shape(server: Server, request_bytes: bytes) -> None:
    """uvicorn answered these itself: text/plain "Invalid HTTP request received.", in no language of ours."""
    answer = _raw(server, request_bytes)
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), answer[:300]
    assert b"content-type: application/json" in head.lower() and b"x-liability-rulebook" in head.lower()
    body = json.loads(payload)
    ErrorRecord.model_validate(body)
    assert body["status"] == 400 and body["error"] == "request"
    assert "cannot be read" in body["problems"][0]["message"] and CJK.search(body["problems"][0]["message_zh"])
    assert body["service"]["rulebook_digest"]
    assert "Traceback" not in server.output()


def test_person_without_explaining_is_refused_not_ignored(client: Any) -> None:
    """`POST /v1/evaluate?person=nobody` answered the whole case, 200: the person asked for was neither checked
    nor chosen (it applies when explaining)."""
    case = (ROOT / "facts" / "cases" / "committee-concealed-fact.yaml").read_bytes()
    body = error(client.post("/v1/evaluate?person=nobody", content=case, headers=YAML), 422, "request")
    assert body["problems"][0]["field"] == "person" and "applies when explaining" in body["problems"][0]["message"]
    one = client.post("/v1/evaluate?explain=true&person=P-01", content=case, headers=YAML)
    assert one.status_code == 200, one.text
    assert client.post("/v1/explain?person=P-01", content=case, headers=YAML).status_code == 200


def test_serve_takes_lang_like_every_other_command(tmp_path: Path) -> None:
    """`liability serve --lang en` was "no such option: --lang; Possible options: --log": serve alone had none, so its
    errors and its answers' default language followed the locale only."""
    from conftest import run_cli

    missing = tmp_path / "no-tokens.txt"
    for lang, words in (("en", "cannot read the token file"), ("zh", "无法读取令牌文件")):
        proc = run_cli("serve", "--tokens", str(missing), "--lang", lang)
        assert proc.returncode == 2 and words in proc.stderr, proc.stderr
    with Server(tmp_path, "--insecure-no-auth", "--no-log", "--lang", "en", env={"LIABILITY_LANG": "zh"}) as english:
        report = httpx.post(english.url + "/v1/evaluate?as_of=2026-01-01", content=SAMPLE,
                            headers={**YAML, "Accept": "text/markdown"}, timeout=60)
    assert report.status_code == 200 and not CJK.search(report.text.split("\n", 1)[0]), report.text[:200]


@pytest.mark.parametrize("path", ["/static/nosuch.css", "/static/%00", "/static/.hidden", "/static/routes.py"])
def test_a_static_file_that_is_not_there_is_a_404_in_the_error_shape(client: Any, path: str) -> None:
    """It was "not found", text/plain, in English only."""
    error(client.get(path), 404, "not_found")


# --- what serve refuses before it starts -------------------------------------------------------------------------


def _serve_refused(*args: str) -> str:
    from conftest import run_cli

    proc = run_cli("serve", *args, timeout=60)
    err = " ".join(proc.stderr.split())
    assert proc.returncode == 2, (proc.returncode, err)
    assert "Traceback" not in proc.stderr and "internal error" not in err and "Errno" not in err, err
    assert "liability serve: http" not in err, err  # refused before the "serving on" line
    return err


def test_serve_on_a_port_in_use_is_refused_in_words(tmp_path: Path) -> None:
    """uvicorn said "ERROR: [Errno 98] error while attempting to bind on address ...: address already in use", in
    English, after the line announcing the server, and exited 3."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        en = _serve_refused("--port", port, "--insecure-no-auth", "--no-log", "--lang", "en")
        zh = _serve_refused("--port", port, "--insecure-no-auth", "--no-log", "--lang", "zh")
    assert f"cannot listen on 127.0.0.1:{port}: another program listens on this port" in en
    assert "该端口已被其他程序占用" in zh


@pytest.mark.parametrize("host", ["no-such-host.invalid", "999.1.1.1", "[::1]"])
def test_serve_on_an_address_that_does_not_exist_is_refused_in_words(host: str, tmp_path: Path) -> None:
    """"[Errno -2] Name or service not known", exit 3 (`--host [::1]`, as a URL writes it, among them)."""
    tokens = tmp_path / "tokens.txt"
    tokens.write_text("alice:hunt-token-0123456789abcdef\n", encoding="utf-8")
    tokens.chmod(0o600)
    err = _serve_refused("--host", host, "--tokens", str(tokens), "--no-log", "--lang", "en")
    assert f"cannot listen on '{host}': no such address or host name" in err


def test_serve_with_a_binary_token_file_is_refused_not_a_bug(tmp_path: Path) -> None:
    """`serve --tokens photo.png` was an internal error (UnicodeDecodeError), exit 1."""
    tokens = tmp_path / "tokens.txt"
    tokens.write_bytes(b"\xe5\x00\xff binary")
    tokens.chmod(0o600)
    err = _serve_refused("--tokens", str(tokens), "--no-log", "--lang", "en")
    assert "tokens.txt: is not UTF-8 text (byte 0xe5 at offset 0)" in err


def test_serve_with_a_folder_for_its_log_calls_it_a_folder(tmp_path: Path) -> None:
    """It was "cannot open the decision log: the file cannot be opened (its folder does not exist, ...)"."""
    err = _serve_refused("--insecure-no-auth", "--log", str(tmp_path), "--lang", "en")
    assert "this is a folder, and a decision log is one file" in err


def test_a_summary_over_the_limit_typed_in_the_page_is_refused_not_cut(client: Any) -> None:
    """The page cut a text field to 100,000 characters without a word: the evaluation, the page and the facts file
    downloaded held a summary that had lost its end. It is refused as a file's would be."""
    page = client.get("/")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    fields = {"csrf": csrf, "case.id": "K-1", "case.kind": "criminal", "person.id": "P-1", "person.role": "procurator",
              "person.status": "serving", "c0.id": "C1", "c0.date": "2025-03-10", "c0.act": "forge_evidence",
              "c0.fault": "intentional", "c0.summary": "长" * 100_001}
    refused = client.post("/?lang=en", data=fields)
    assert refused.status_code == 422 and "conducts[0].summary" in refused.text
    assert "is too long (more than 100000 characters)" in refused.text
    download = client.post("/download/facts.yaml?lang=en", data=fields)
    assert download.status_code == 422
    fields["c0.summary"] = "长" * 100_000
    assert client.post("/?lang=en", data=fields).status_code == 200
