"""The web page in a real headless Chromium against a real `liability serve`: a full evaluation from an
empty form, an undetermined case completed through the questions in place, a three-exercise training
session with one wrong answer, the rules page of Art. 8, and the hostile-text corpus through the upload.
Expected answers come from the engine in this process, never from the test's own words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


from .conftest import WHY_NOT, shot, submit, timing

pytestmark = pytest.mark.skipif(WHY_NOT is not None, reason=f"browser tests skipped: {WHY_NOT}")

HOSTILE = Path(__file__).resolve().parent.parent / "hostile"


def by_id(driver: Any, element_id: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id)


def choose(driver: Any, element_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(by_id(driver, element_id)).select_by_value(value)


def no_alert(driver: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return
    pytest.fail(f"a script from the facts ran (alert: {text!r})")


def layout_holds(driver: Any) -> None:
    """The form and the result stay side by side, inside the window, whatever the text."""
    box = driver.execute_script(
        "const f = document.querySelector('.form-col').getBoundingClientRect();"
        "const r = document.querySelector('.result-col').getBoundingClientRect();"
        "return {fl: f.left, fr: f.right, rl: r.left, rr: r.right, w: window.innerWidth,"
        " sw: document.documentElement.scrollWidth};")
    assert box["fr"] <= box["rl"] + 1, box
    assert box["rr"] <= box["w"] + 1 and box["sw"] <= box["w"] + 1, box


def fresh_form(driver: Any, url: str) -> None:
    driver.get(url + "/")
    by_id(driver, "case-id")


def fill_case(driver: Any, *, case_id: str, date: str, act: str, fault: str) -> None:
    by_id(driver, "case-id").send_keys(case_id)
    choose(driver, "case-kind", "criminal")
    by_id(driver, "case-summary").send_keys("伪造讯问笔录，用作认定案件事实的依据")
    by_id(driver, "person-id").send_keys("P-001")
    choose(driver, "person-role", "procurator")
    choose(driver, "person-status", "serving")
    conduct_id = by_id(driver, "c0-id")
    conduct_id.clear()
    conduct_id.send_keys("C1")
    # a date input takes the digits as the browser's locale orders them; set the ISO value directly
    driver.execute_script("arguments[0].value = arguments[1]", by_id(driver, "c0-date"), date)
    choose(driver, "c0-act", act)
    choose(driver, "c0-fault", fault)
    by_id(driver, "c0-knowing-false").click()


def test_full_evaluation_from_an_empty_form(signed_in: Any, server: Any, engine: Any) -> None:
    from liability_engine import parse_facts

    driver = signed_in
    fresh_form(driver, server.url)
    timing(driver, "GET / (first response of the page)")
    assert by_id(driver, "case-id").get_attribute("value") == "", "the form starts empty"
    fill_case(driver, case_id="2025-X-0107", date="2025-03-10", act="forge_evidence", fault="intentional")
    for effect in ("wrongful_handling", "serious_consequence", "bad_influence", "major_loss"):
        by_id(driver, f"c0-effects-{effect}-false").click()
    by_id(driver, "c0-effects-conclusion_affected-true").click()
    submit(driver, by_id(driver, "evaluate"))
    timing(driver, "POST / evaluate (round trip, new page)")
    expected = engine.explain(parse_facts(
        "schema: liability-facts/1\ncase: {id: K}\nperson: {id: P}\nconducts:\n"
        "  - {id: C1, date: 2025-03-10, act: forge_evidence, fault: intentional}\n")).conducts[0]
    rb = engine.rulebook
    assert by_id(driver, "overall-finding").text == rb.finding_label(expected.finding, "zh")
    result = by_id(driver, "result-0")
    assert expected.citation.label_zh in result.text and expected.citation.text[:20] in result.text
    assert expected.liable and by_id(driver, "overall-liable").text == "应当承担"
    layout_holds(driver)
    shot(driver, "evaluate-liable-zh")
    submit(driver, by_id(driver, "switch-keep"))  # English, keeping what was entered
    assert by_id(driver, "overall-finding").text == rb.finding_label(expected.finding, "en")
    assert expected.citation.label in by_id(driver, "result-0").text
    assert by_id(driver, "case-id").get_attribute("value") == "2025-X-0107"
    shot(driver, "evaluate-liable-en")
    driver.get(server.url + "/?lang=zh")


def test_an_undetermined_case_is_completed_through_the_questions_in_place(signed_in: Any, server: Any,
                                                                           engine: Any) -> None:
    rb = engine.rulebook
    driver = signed_in
    fresh_form(driver, server.url)
    fill_case(driver, case_id="2025-X-0200", date="2025-05-06", act="forge_evidence", fault="unknown")
    submit(driver, by_id(driver, "evaluate"))
    assert by_id(driver, "overall-finding").text == rb.finding_label(rb.undetermined, "zh")
    question = driver.find_element("css selector", "fieldset.question[data-field='fault']")
    assert rb.vocabulary.questions["fault"].zh in question.text
    shot(driver, "interview-question-zh")
    submit(driver, question.find_element("css selector", "button[value='answer:0:fault:intentional']"))
    timing(driver, "POST / answer a question (round trip)")
    assert by_id(driver, "overall-finding").text == rb.finding_label("intent", "zh")
    assert driver.find_elements("css selector", "fieldset.question") == []
    from selenium.webdriver.support.ui import Select

    assert Select(by_id(driver, "c0-fault")).first_selected_option.get_attribute("value") == "intentional"
    shot(driver, "interview-answered-zh")


def test_a_three_exercise_training_session_with_one_wrong_answer(signed_in: Any, server: Any, engine: Any) -> None:
    from liability_engine.training import Trainer

    trainer = Trainer(engine)
    rb = engine.rulebook
    driver = signed_in
    driver.get(server.url + "/train")
    by_id(driver, "trainee").send_keys("张三")
    by_id(driver, "klass").send_keys("2026春季班")
    count = by_id(driver, "count")
    count.clear()
    count.send_keys("3")
    submit(driver, by_id(driver, "start"))
    wrong_at = 2
    for n in range(1, 4):
        # the exercise is known by its story: the page shows a neutral number, and no exercise id anywhere
        # in its source (the id names the article and item, it would give the answer away)
        story = " ".join(by_id(driver, "narrative").text.split())
        ex = next(e for e in trainer.exercises if " ".join(e.narrative.zh.split()) == story)
        assert by_id(driver, "exercise-heading").text.startswith(f"练习 {n} / 3 ")
        assert driver.find_elements("id", "exercise-id") == []
        assert [e.id for e in trainer.exercises if e.id in driver.page_source] == [], driver.title
        if n == 1:
            shot(driver, "train-exercise-zh")
            submit(driver, by_id(driver, "narrative-lang"))
            assert ex.narrative.en[:15] in by_id(driver, "narrative").text
            shot(driver, "train-exercise-en-narrative")
            submit(driver, by_id(driver, "narrative-lang"))  # and back: the choice stays for the session
        key = trainer.expected(ex)
        finding = key.finding if n != wrong_at else next(f.id for f in rb.findings if f.id != key.finding)
        driver.find_element("css selector", f"label[for='finding-{finding}']").click()
        choose(driver, "article", str(key.article) if key.article is not None else "")
        item = key.item if key.item is not None else key.paragraph
        choose(driver, "item", str(item) if item is not None else "")
        driver.find_element("css selector", f"label[for='liable-{'true' if key.liable else 'false'}']").click()
        submit(driver, by_id(driver, "submit-answer"))
        feedback = by_id(driver, "feedback")
        assert feedback.get_attribute("data-correct") == ("false" if n == wrong_at else "true")
        assert by_id(driver, "exercise-id").text == ex.id, "the id comes with the feedback, after the answer"
        # only this one's, and those its teaching note names for comparison (shown with the feedback, by design)
        note = f"{ex.teaching_note.zh} {ex.teaching_note.en}" if ex.teaching_note else ""
        compared = {e.id for e in trainer.exercises if e.id != ex.id and e.id in note}
        assert {e.id for e in trainer.exercises if e.id in driver.page_source} == {ex.id} | compared, "only this one's"
        if n == wrong_at:
            assert rb.finding_label(key.finding, "zh") in feedback.text, "the correct finding is shown"
            assert trainer.determination(ex).explanation_zh[:10] in driver.page_source
            shot(driver, "train-feedback-wrong-zh")
        submit(driver, by_id(driver, "finish" if n == 3 else "next"))
    assert by_id(driver, "score").text.startswith("2/3")
    rows = driver.find_elements("css selector", "#score-table tbody tr")
    assert [r.get_attribute("class") for r in rows] == ["ok", "bad", "ok"]
    shot(driver, "train-score-zh")
    submit(driver, by_id(driver, "progress-link"))
    assert by_id(driver, "progress-chart").is_displayed()
    shot(driver, "train-progress-zh")
    driver.get(server.url + "/train/class?class=2026春季班")
    assert "张三" in driver.page_source and "2/3" in driver.page_source
    shot(driver, "train-class-zh")
    driver.get(server.url + "/train/progress?trainee=张三&class=2026春季班&lang=en")
    assert "Accuracy per article" in driver.page_source
    shot(driver, "train-progress-en")
    driver.get(server.url + "/?lang=zh")


def test_the_rules_page_of_article_8(signed_in: Any, server: Any, engine: Any) -> None:
    art8 = next(a for a in engine.rulebook.version("2024").articles.values() if a.number == 8)
    driver = signed_in
    driver.get(server.url + "/rules?version=2024&article=8")
    timing(driver, "GET /rules (Art. 8)")
    page = by_id(driver, "main").text
    assert art8.text.zh in page and "第八条" in page
    assert all(item.zh in page for item in art8.items.values())
    table = driver.find_element("css selector", "table.decision")
    assert "2024.art8.item1" in table.text
    shot(driver, "rules-art8-zh")
    driver.get(server.url + "/rules?version=2024&article=8&lang=en")
    assert art8.text.en in by_id(driver, "main").text and "Decision table" in driver.page_source
    shot(driver, "rules-art8-en")
    driver.get(server.url + "/rules/diff?old=2020&new=2024&lang=zh")
    assert by_id(driver, "diff-table").is_displayed()
    shot(driver, "rules-diff-zh")


@pytest.mark.parametrize("name", sorted(p.name for p in (HOSTILE / "text").glob("*.yaml")))
def test_hostile_text_through_the_page_runs_nothing_and_keeps_the_layout(signed_in: Any, server: Any,
                                                                        name: str) -> None:
    driver = signed_in
    fresh_form(driver, server.url)
    scripts_before = len(driver.find_elements("css selector", "script"))
    by_id(driver, "facts-file").send_keys(str(HOSTILE / "text" / name))
    submit(driver, by_id(driver, "upload-button"))
    no_alert(driver)
    assert driver.execute_script("return window.__pwned === undefined")
    assert driver.find_elements("css selector", "[id^='pwned'], iframe, style") == []
    assert len(driver.find_elements("css selector", "script")) == scripts_before
    assert by_id(driver, "overall-finding").is_displayed()
    layout_holds(driver)
    shot(driver, f"hostile-{Path(name).stem}")


def test_refused_files_are_reported_in_the_page(signed_in: Any, server: Any) -> None:
    driver = signed_in
    for path in sorted((HOSTILE / "facts").iterdir()):
        fresh_form(driver, server.url)
        by_id(driver, "facts-file").send_keys(str(path))
        submit(driver, by_id(driver, "upload-button"))
        no_alert(driver)
        if not driver.find_elements("css selector", "#problems"):
            assert by_id(driver, "overall-finding").is_displayed(), path.name
        layout_holds(driver)


def test_every_control_is_labelled_and_enter_evaluates(signed_in: Any, server: Any) -> None:
    """Keyboard and screen-reader use: each form control has a label (or a legend for a radio group), none is
    taken out of the tab order, and Enter in a field presses Evaluate (not Remove or Add)."""
    from selenium.webdriver.common.keys import Keys

    driver = signed_in
    for path in ("/", "/train", "/rules", "/train/progress"):
        driver.get(server.url + path)
        unlabelled = driver.execute_script(
            "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
            ".filter(e => !(e.labels && e.labels.length) && !e.closest('fieldset > legend')).map(e => e.name || e.id);")
        assert unlabelled == [], (path, unlabelled)
        negative = driver.execute_script(
            "return [...document.querySelectorAll('input, select, textarea, a, button')]"
            ".filter(e => e.tabIndex < 0 && !e.classList.contains('default-submit')).map(e => e.id || e.name);")
        assert negative == [], (path, negative)
    fresh_form(driver, server.url)
    fill_case(driver, case_id="ENTER-1", date="2025-03-10", act="forge_evidence", fault="intentional")
    by_id(driver, "person-id").send_keys(Keys.ENTER)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 60).until(lambda d: d.find_elements("id", "overall-finding"))
    assert by_id(driver, "case-id").get_attribute("value") == "ENTER-1"
