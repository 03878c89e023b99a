"""The web page in-process (the service app, a test client): sign-in, sessions, CSRF, escaping of hostile
text, the evaluate form and its interview, downloads, the act list from the rulebook, the decision log.
The same flows in a real browser against `liability serve` are in tests/browser/."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web page needs the server extra (fastapi, jinja2)")
pytest.importorskip("jinja2", reason="the web page needs the server extra (jinja2)")
pytest.importorskip("httpx2", reason="the in-process web tests need httpx2 (test extra)")

from fastapi.testclient import TestClient  # noqa: E402
from markupsafe import escape  # noqa: E402

from liability_engine import Engine, load_facts  # noqa: E402
from liability_engine.service.app import create_app  # noqa: E402
from liability_engine.service.auth import hash_token  # noqa: E402
from liability_engine.service.config import ServiceConfig  # noqa: E402
from liability_engine.web.session import SESSION_COOKIE  # noqa: E402

HERE = Path(__file__).resolve().parent
HOSTILE_TEXT = HERE / "hostile" / "text"
HOSTILE_FACTS = HERE / "hostile" / "facts"
TOKEN = "web-test-token-0123456789"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("web-data")
    log = tmp_path_factory.mktemp("web-log") / "decisions.db"
    import os

    os.environ["LIABILITY_WEB_DATA"] = str(data)
    config = ServiceConfig(auth=True, tokens={hash_token(TOKEN): "alice"}, log=str(log), access_log=False)
    app = create_app(config)
    yield app
    app.state.service.close()  # the TestClients here run no lifespan: the pool's threads and the log end here
    os.environ.pop("LIABILITY_WEB_DATA", None)


def csrf_of(text: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', text)
    assert found, "every page with a form carries a CSRF token"
    return found.group(1)


@pytest.fixture
def client(app) -> TestClient:
    """Signed in as alice."""
    c = TestClient(app)
    page = c.get("/login")
    r = c.post("/login", data={"csrf": csrf_of(page.text), "token": TOKEN, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303
    return c


def form_for(text: str, **fields: str) -> dict[str, str]:
    return {"csrf": csrf_of(text), **fields}


def one_conduct(case_id: str, act: str, fault: str, date: str = "2025-03-10", **facts: str) -> dict[str, str]:
    """The form's fields for a case of person P-1 with one conduct C1 (`facts`: other conduct fields, dotted
    names as keyword arguments: `**{"effects.wrongful_handling": "true"}`)."""
    return {"case.id": case_id, "person.id": "P-1", "c0.id": "C1", "c0.date": date, "c0.act": act, "c0.fault": fault,
            **{f"c0.{name}": value for name, value in facts.items()}}


def evaluated(client: TestClient, fields: dict[str, str]):
    """The page after filling in a fresh form with `fields` and pressing Evaluate."""
    return client.post("/", data=form_for(client.get("/").text, action="evaluate", **fields))


# --- sign-in and sessions -------------------------------------------------------------------------


def test_pages_send_the_browser_to_sign_in(app) -> None:
    c = TestClient(app)
    for path in ("/", "/train", "/train/progress", "/rules", "/rules/diff"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_every_page_but_sign_in_is_behind_the_sign_in_dependency(app, engine: Engine) -> None:
    """Every route of the page, present and future: without a session, a GET or a POST is sent to sign in."""
    from liability_engine import web

    c = TestClient(app)
    open_paths = {"/login", "/logout", "/static/{name}"}
    routes = [r for r in web.router(web.WebConfig(engine, check_token=lambda token: None)).routes
              if r.path not in open_paths]
    assert {"/", "/upload", "/train/answer", "/rules/diff", "/train/class"} <= {r.path for r in routes}
    for route in routes:
        path = route.path.replace("{what}", "facts.yaml")
        for method in route.methods:
            r = c.request(method, path, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), (method, path)


def test_a_wrong_token_is_refused_and_a_right_one_gives_a_signed_httponly_strict_cookie(app) -> None:
    c = TestClient(app)
    page = c.get("/login")
    r = c.post("/login", data={"csrf": csrf_of(page.text), "token": "not-the-token-000000", "next": "/"},
               follow_redirects=False)
    assert r.status_code == 401 and "令牌无效" in r.text
    r = c.post("/login", data={"csrf": csrf_of(page.text), "token": TOKEN, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert TOKEN not in cookie and hash_token(TOKEN) not in cookie, "the cookie never carries the token"
    assert c.get("/", follow_redirects=False).status_code == 200


def test_a_forged_or_altered_session_cookie_is_not_accepted(client) -> None:
    value = client.cookies.get(SESSION_COOKIE)
    body, _, mac = value.partition(".")
    client.cookies.clear()  # the altered cookie alone (the client would otherwise keep the server's beside it)
    client.cookies.set(SESSION_COOKIE, body + "." + mac[:-2] + ("AA" if not mac.endswith("AA") else "BB"))
    assert client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_never_redirects_off_site(app) -> None:
    c = TestClient(app)
    page = c.get("/login?next=//evil.example/x")
    r = c.post("/login", data={"csrf": csrf_of(page.text), "token": TOKEN, "next": "//evil.example/x"},
               follow_redirects=False)
    assert r.headers["location"] == "/"


def test_every_post_needs_the_sessions_csrf_token(client, app) -> None:
    page = client.get("/")
    data = form_for(page.text, **one_conduct("K", "forge_evidence", "intentional"))
    assert client.post("/", data=data).status_code == 200
    for bad in ({**data, "csrf": "forged"}, {k: v for k, v in data.items() if k != "csrf"}):
        r = client.post("/", data=bad)
        assert r.status_code == 403 and "安全校验未通过" in r.text
    other = TestClient(app)  # another signed-in session's token is not this session's
    other_page = other.get("/login")
    other.post("/login", data={"csrf": csrf_of(other_page.text), "token": TOKEN, "next": "/"})
    assert client.post("/", data={**data, "csrf": csrf_of(other.get("/").text)}).status_code == 403
    for path in ("/upload", "/download/facts.yaml", "/train/start", "/train/answer", "/logout"):
        assert client.post(path, data={"csrf": "forged"}).status_code == 403, path


def test_pages_forbid_inline_script_and_framing(client) -> None:
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in r.text and " onclick=" not in r.text


def test_static_files_are_served_from_the_package_and_nothing_else(client) -> None:
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    for bad in ("/static/..%2froutes.py", "/static/.hidden", "/static/routes.py"):
        assert client.get(bad).status_code == 404


# --- the evaluate form ------------------------------------------------------------------------------


def test_the_act_list_is_the_rulebooks_every_act_once_grouped_by_provision(client, engine: Engine) -> None:
    text = client.get("/").text
    select = text[text.index('id="c0-act"'):text.index("</select>", text.index('id="c0-act"'))]
    values = re.findall(r'<option value="([a-z_]+)"', select)
    assert sorted(values) == sorted(engine.rulebook.schema["act"].values)
    assert "<optgroup label=\"第七条第（二）项\">" in select
    words = engine.rulebook.vocabulary.values["act"]["forge_evidence"]
    assert words.zh in select


def test_a_filled_form_evaluates_to_the_engines_determination(client, engine: Engine) -> None:
    r = evaluated(client, one_conduct("K-1", "forge_evidence", "intentional", knowing="false"))
    assert r.status_code == 200
    det = engine.evaluate(load_facts(HERE.parent / "facts" / "forged-interrogation-record.yaml")).conducts[0]
    assert f'id="overall-finding">{engine.rulebook.finding_label(det.finding, "zh")}<' in r.text
    assert det.citation.label_zh in r.text and html.escape(det.citation.text) in r.text


def test_an_undetermined_case_asks_in_place_and_an_answer_decides_it(client, engine: Engine) -> None:
    page = client.get("/")
    data = form_for(page.text, action="evaluate", **one_conduct("K-2", "forge_evidence", "unknown"))
    r = client.post("/", data=data)
    undetermined = engine.rulebook.finding_label(engine.rulebook.undetermined, "zh")
    assert f'id="overall-finding">{undetermined}<' in r.text
    question = engine.rulebook.vocabulary.questions["fault"].zh
    assert question in r.text and 'value="answer:0:fault:intentional"' in r.text
    from liability_engine import parse_facts

    decided = engine.evaluate(parse_facts("schema: liability-facts/1\ncase: {id: K}\nperson: {id: P}\nconducts:\n"
                                          "  - {id: C1, date: 2025-03-10, act: forge_evidence, fault: intentional}\n"))
    questions = r.text[r.text.index('class="questions"'):r.text.index("</section>", r.text.index('class="questions"'))]
    assert decided.conducts[0].citation.label_zh in questions, "each answer says where it leads, in Chinese"
    r = client.post("/", data={**data, "csrf": csrf_of(r.text), "action": "answer:0:fault:intentional"})
    assert f'id="overall-finding">{engine.rulebook.finding_label("intent", "zh")}<' in r.text
    assert '<option value="intentional" selected>' in r.text, "the answer is now in the form"


def test_unknown_effects_are_never_a_silent_false(client, engine: Engine) -> None:
    """Until the facts format takes `unknown` for an effect, the page leaves it out and says what it was read as."""
    from liability_engine.web.forms import accepts_unknown

    r = evaluated(client, one_conduct("K-3", "misapply_law", "gross", **{"effects.serious_consequence": "unknown"}))
    assert r.status_code == 200
    if accepts_unknown("effects.serious_consequence"):
        assert 'id="left-out"' not in r.text
    else:
        field = engine.rulebook.vocabulary.fields["effects.serious_consequence"].zh
        assert 'id="left-out"' in r.text and field in r.text


def test_invalid_facts_are_listed_with_field_and_allowed_values(client) -> None:
    page = client.get("/")
    r = client.post("/", data=form_for(page.text, **{"c0.id": "C1", "c0.date": "2025-13-40", "action": "evaluate"}))
    assert r.status_code == 422
    assert "case.id" in r.text and "conducts[0].date" in r.text and 'id="problems"' in r.text


def test_add_and_remove_conducts_keep_what_was_entered(client) -> None:
    page = client.get("/")
    data = form_for(page.text, **{"case.id": "KEEP-ME", "c0.id": "C1", "action": "add"})
    r = client.post("/", data=data)
    assert 'name="c1.id" value="C2"' in r.text and 'value="KEEP-ME"' in r.text
    r = client.post("/", data={**data, "csrf": csrf_of(r.text), "c1.id": "C2", "action": "remove:0"})
    assert 'name="c0.id" value="C2"' in r.text and 'name="c1.id"' not in r.text


def test_downloads_are_the_facts_as_given_and_the_markdown_report(client) -> None:
    import yaml

    page = client.get("/")
    data = form_for(page.text, **one_conduct("K/../4", "forge_evidence", "intentional"))
    r = client.post("/download/facts.yaml", data=data)
    assert r.status_code == 200 and 'filename="K_.._4.facts.yaml"' in r.headers["content-disposition"]
    doc = yaml.safe_load(r.text)
    assert doc["conducts"][0] == {"id": "C1", "date": __import__("datetime").date(2025, 3, 10),
                                  "act": "forge_evidence", "fault": "intentional"}, "nothing the user did not state"
    r = client.post("/download/report.md", data=data)
    assert r.status_code == 200 and r.text.startswith("# 司法责任认定报告") and "第七条第（二）项" in r.text


def test_an_uploaded_file_fills_the_form_and_is_evaluated(client) -> None:
    page = client.get("/")
    sample = HERE.parent / "facts" / "fault-unknown.yaml"
    r = client.post("/upload", data={"csrf": csrf_of(page.text)},
                    files={"facts_file": (sample.name, sample.read_bytes(), "application/yaml")})
    assert r.status_code == 200 and 'class="questions"' in r.text
    facts = load_facts(sample)
    assert f'value="{html.escape(facts.case.id)}"' in r.text


# --- hostile input --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(HOSTILE_TEXT.glob("*.yaml")), ids=lambda p: p.name)
def test_hostile_text_is_shown_escaped_never_as_markup(client, path: Path) -> None:
    page = client.get("/")
    r = client.post("/upload", data={"csrf": csrf_of(page.text)},
                    files={"facts_file": (path.name, path.read_bytes(), "application/yaml")})
    assert r.status_code == 200
    facts = load_facts(path)
    texts = [facts.case.id, facts.case.summary or "", facts.person.id, *(c.id for c in facts.conducts)]
    for text in texts:
        if any(ch in text for ch in "<>\"&"):
            assert text not in r.text, "raw markup from the facts reached the page"
    body = r.text.split("<main", 1)[1]
    assert "<script" not in body and "<iframe" not in body and "<style" not in body
    assert re.search(r"<[a-z]+[^>]*\bid=\"pwned", r.text) is None, "an element from the facts was injected"
    assert str(escape(facts.case.id)) in r.text, "the text is shown, escaped"
    if "\u202e" in facts.case.id:  # a bidi override in an id is shown, not obeyed, where the id is reported
        overall = r.text[r.text.index('id="overall"'):]
        assert "\\u202e" in overall and "\u202e" not in overall.split('id="overall-finding"')[0]
    if "{{7*7}}" in facts.case.id:
        assert "{{7*7}}" in r.text, "template syntax in the facts is not evaluated"


@pytest.mark.parametrize("path", sorted(HOSTILE_FACTS.iterdir()), ids=lambda p: p.name)
def test_refused_files_are_reported_on_the_page_not_as_a_crash(client, path: Path) -> None:
    page = client.get("/")
    r = client.post("/upload", data={"csrf": csrf_of(page.text)},
                    files={"facts_file": (path.name, path.read_bytes(), "application/octet-stream")})
    assert r.status_code in (200, 422), r.text[:500]
    assert "Traceback" not in r.text
    if r.status_code == 422:
        assert 'id="problems"' in r.text


# --- the decision log -------------------------------------------------------------------------------


def test_what_the_page_determines_is_in_the_decision_log(client, app) -> None:
    evaluated(client, one_conduct("LOGGED-BY-WEB", "forge_evidence", "intentional"))
    log = app.state.service.log
    rows = [d for d in log.list() if d.case_id == "LOGGED-BY-WEB"] if hasattr(log, "list") else None
    if rows is None:
        pytest.skip("the decision log has no list() to read back")
    assert rows and rows[0].caller == "alice" and rows[0].channel == "web"


# --- training, progress, rules ------------------------------------------------------------------------


def test_rules_page_shows_an_articles_text_and_its_decision_table(client, engine: Engine) -> None:
    r = client.get("/rules?version=2024&article=8")
    assert r.status_code == 200
    art = engine.rulebook.version("2024").articles
    eight = next(a for a in art.values() if a.number == 8)
    assert html.escape(eight.text.zh) in r.text
    assert all(html.escape(i.zh) in r.text for i in eight.items.values())
    assert "2024.art8.item1" in r.text and "决策表" in r.text
    assert client.get("/rules?version=1999").status_code == 404


def test_the_page_inside_the_service_trains_with_the_services_one_trainer(engine: Engine) -> None:
    """`liability serve` reads the exercise bank once: the page's Trainer is the API's (ServiceState.trainer),
    whichever asks first."""
    from liability_engine.service.state import ServiceState
    from liability_engine.web import WebConfig

    for page_first in (True, False):
        state = ServiceState(ServiceConfig(auth=False, access_log=False), engine)
        try:
            page = WebConfig.for_service(state)
            first, second = (page.trainer(), state.trainer()) if page_first else (state.trainer(), page.trainer())
            assert first is second
            assert page.trainer() is state.trainer() and page.trainer().engine is engine
        finally:
            state.close()


def test_versions_diff_page_lists_where_two_versions_differ(client) -> None:
    r = client.get("/rules/diff?old=2020&new=2024")
    assert r.status_code == 200 and 'id="diff-table"' in r.text


def test_english_is_one_switch_away(client) -> None:
    r = client.get("/rules?version=2024&article=8&lang=en")
    assert "Decision table" in r.text and "liability_lang=en" in r.headers.get("set-cookie", "")
    assert "Decision table" in client.get("/rules?version=2024&article=8").text, "the cookie keeps the choice"
    client.get("/?lang=zh")


def hidden_fields(text: str) -> dict[str, str]:
    return {html.unescape(k): html.unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text)}


def shown_exercise(trainer, text: str):
    """The bank exercise whose narrative the page shows (the page itself never names it before the answer)."""
    narrative = html.unescape(re.search(r'id="narrative">([^<]*)</p>', text).group(1))
    found = [e for e in trainer.exercises if narrative in (e.narrative.zh, e.narrative.en)]
    assert len(found) == 1, narrative
    return found[0]


def ids_in(trainer, text: str) -> set[str]:
    """The bank's exercise ids found anywhere in a page's source (text, title, hidden fields, attributes)."""
    return {e.id for e in trainer.exercises if e.id in text or html.escape(e.id) in text}


def named_by_its_note(trainer, ex) -> set[str]:
    """The exercises an exercise's teaching note names for comparison (shown with the feedback, by design)."""
    note = f"{ex.teaching_note.zh} {ex.teaching_note.en}" if ex.teaching_note else ""
    return {e.id for e in trainer.exercises if e.id != ex.id and e.id in note}


def test_a_training_session_is_graded_by_the_trainer_and_recorded(client, engine: Engine) -> None:
    from liability_engine.training import Trainer

    trainer = Trainer(engine)
    page = client.get("/train")
    r = client.post("/train/start", data=form_for(page.text, trainee="李四", klass="班-1", count="2", topic="art8"))
    assert r.status_code == 200
    for n in range(2):
        ex = shown_exercise(trainer, r.text)
        assert ex.topic.startswith("art8")
        # the id names the article and item: before the answer, a neutral number and no id anywhere in
        # the source (not this one, not the session's others)
        assert re.search(rf'<h1 id="exercise-heading">练习 {n + 1} / 2 ', r.text)
        assert ids_in(trainer, r.text) == set(), "an exercise id before the answer gives the answer away"
        key = trainer.expected(ex)
        answer = {"finding": key.finding if n == 0 else "no_liability" if key.finding != "no_liability" else "intent",
                  "article": str(key.article or ""), "item": str(key.item or key.paragraph or ""),
                  "liable": "true" if key.liable else "false"}
        r = client.post("/train/answer", data={**hidden_fields(r.text), **answer, "action": "answer"})
        assert f'data-correct="{"true" if n == 0 else "false"}"' in r.text
        assert f'<code id="exercise-id">{ex.id}</code>' in r.text, "the id comes with the feedback"
        assert ids_in(trainer, r.text) == {ex.id} | named_by_its_note(trainer, ex), "...and the next one's does not"
        assert key.finding and engine.rulebook.finding_label(key.finding, "zh") in r.text
        last = hidden_fields(r.text)
        r = client.post("/train/finish" if n == 1 else "/train/next", data=last)
    assert 'id="score">1/2' in r.text and "已记入练习记录" in r.text
    assert 'id="score">1/2' in client.post("/train/finish", data=last).text, "a resubmitted form..."
    progress = client.get("/train/progress", params={"trainee": "李四", "class": "班-1"})
    assert 'id="progress-chart"' in progress.text and "第八条" in progress.text
    assert "1/2 (50%)" in progress.text, "...is recorded once"
    sheets = client.get("/train/class", params={"class": "班-1"})
    assert "李四" in sheets.text and "1/2 (50.0%)" in sheets.text


def test_a_training_form_names_its_exercises_by_tags_only_this_server_and_session_read(client, engine: Engine) -> None:
    from liability_engine.training import Trainer

    trainer = Trainer(engine)
    r = client.post("/train/start", data=form_for(client.get("/train").text, trainee="赵六", count="3"))
    state = hidden_fields(r.text)
    assert ids_in(trainer, r.text) == set() and len(state["exercises"].split(",")) == 3
    answer = {"finding": "no_liability", "liable": "false", "action": "answer"}
    assert client.post("/train/answer", data={**state, **answer}).status_code == 200
    # an id written into the form, a tag altered, or the tags of another session: no exercise, a 422
    ex = shown_exercise(trainer, r.text)
    for altered in ({"exercises": ex.id}, {"exercises": state["exercises"][1:]}, {"sid": "0" * 16}):
        refused = client.post("/train/answer", data={**state, **answer, **altered})
        assert refused.status_code == 422 and "没有符合条件的练习" in refused.text, altered
        assert client.post("/train/finish", data={**state, **altered}).status_code == 422
    again = hidden_fields(client.post("/train/start", data=form_for(client.get("/train").text, trainee="赵六",
                                                                      count="3")).text)
    assert again["sid"] != state["sid"] and not set(again["exercises"].split(",")) & set(state["exercises"].split(","))


def test_a_training_answer_must_answer_every_question(client) -> None:
    page = client.get("/train")
    r = client.post("/train/start", data=form_for(page.text, trainee="王五", count="1"))
    r = client.post("/train/answer", data={**hidden_fields(r.text), "action": "answer"})
    assert r.status_code == 422 and "请回答每一个问题" in r.text
    page = client.get("/train")
    r = client.post("/train/start", data=form_for(page.text, trainee="", count="1"))
    assert r.status_code == 422 and "请填写姓名" in r.text


def test_an_older_conduct_shows_the_article_28_comparison(client, engine: Engine) -> None:
    r = evaluated(client, one_conduct("K-28", "misapply_law", "gross", date="2023-03-10",
                                      **{"effects.wrongful_handling": "true"}))
    from liability_engine import parse_facts

    det = engine.evaluate(parse_facts("schema: liability-facts/1\ncase: {id: K}\nperson: {id: P}\nconducts:\n"
                                      "  - {id: C1, date: 2023-03-10, act: misapply_law, fault: gross,"
                                      " effects: {wrongful_handling: true}}\n")).conducts[0]
    assert len(det.temporal.evaluations) == 2
    section = r.text[r.text.index('class="temporal"'):]
    assert all(f"{e.version}年版本" in section for e in det.temporal.evaluations)
    assert html.escape(det.temporal.reason_zh)[:20] in section


# --- the page's words ----------------------------------------------------------------------------------


def test_every_word_of_the_page_is_in_the_catalogue_and_every_catalogue_word_is_used() -> None:
    """The page's words are the `web` section of rules/messages.yaml: `t('key')` in the templates,
    `say("key")` / `visit.say("key")` / `pages.error(..., "key")` / `problem="key"` in web/*.py."""
    from liability_engine.i18n import catalogue

    web = HERE.parent / "src" / "liability_engine" / "web"
    templates = "\n".join(p.read_text(encoding="utf-8") for p in (web / "templates").glob("*.html"))
    python = "\n".join(p.read_text(encoding="utf-8") for p in web.glob("*.py"))
    used = set(re.findall(r"\bt\('([a-z_]+)'", templates))
    used |= set(re.findall(r"""\bsay\(\s*["']([a-z_]+)["']""", python))
    used |= set(re.findall(r"""\berror\([^)]*["']([a-z_]+)["']\)""", python))
    used |= set(re.findall(r"""problem=["']([a-z_]+)["']""", python))
    used |= set(re.findall(r"""msg\(["']web\.([a-z_]+)["']""", python))
    used |= set(re.findall(r"""\('[a-z_-]+', '[a-z_]+', '([a-z_]+)',""", templates))  # a lookup page's labels
    used |= set(re.findall(r"""title_key = '([a-z_]+)'""", templates))
    used |= {"yes", "no", "unknown", "not_attach"}  # the yes/no/unknown radios; liable_text's "does not attach"
    families = ("conf_", "changed_")  # say(f"conf_{confidence}"), t('conf_' ~ ...), say(f"changed_{part}")
    keys = {k[4:] for k in catalogue() if k.startswith("web.")}
    assert sorted(used - keys - {f[:-1] for f in families} - set(families)) == [], "used but not in the catalogue"
    unused = sorted(k for k in keys - used if not k.startswith(families))
    assert unused == [], "in the catalogue's web section but used nowhere in web/"


def test_a_facts_problem_is_shown_in_the_pages_language(client) -> None:
    page = client.get("/")
    fields = {"c0.id": "C1", "c0.date": "2025-13-40", "action": "evaluate"}
    zh = client.post("/", data=form_for(page.text, **fields)).text
    assert "缺少必填字段" in zh and "required field is missing" not in zh
    en = client.post("/?lang=en", data=form_for(page.text, **fields)).text
    client.get("/?lang=zh")
    assert "required field is missing" in en and "缺少必填字段" not in en
