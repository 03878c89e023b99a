"""A real `liability serve` (a subprocess on a free loopback port, with a token file) and a real headless
Chromium driven by Selenium. Without chromium/chromedriver (Debian: apt-get install chromium
chromium-driver) or selenium these tests skip with one line saying so.

Screenshots go to tests/browser/screenshots/ (git-ignored); the timings measured in the browser
(Navigation Timing) are printed at the end of the run and saved beside them as timings.json."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

import serving  # tests/serving.py: the one way the tests start `liability serve`

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
TOKEN = "browser-test-token-0123456789"
TIMINGS: list[dict[str, Any]] = []

CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=zh-CN"]


def _browser() -> tuple[str | None, str | None, str | None]:
    """(chromium, chromedriver, why not) found on this machine."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return None, None, "selenium is not installed (pip install '.[test]')"
    chrome = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    driver = shutil.which("chromedriver") or next((p for p in ("/usr/bin/chromedriver",
                                                              "/usr/lib/chromium/chromedriver") if Path(p).exists()), None)
    if chrome is None or driver is None:
        return None, None, "no chromium/chromedriver on this machine (apt-get install chromium chromium-driver)"
    return chrome, driver, None


CHROME, CHROMEDRIVER, WHY_NOT = _browser()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TIMINGS:
        return
    terminalreporter.section("web page timings (measured in the browser, Navigation Timing)")
    for t in TIMINGS:
        terminalreporter.write_line(
            f"{t['what']:<44} response {t['response_ms']:7.1f} ms · first byte {t['ttfb_ms']:7.1f} ms · "
            f"page loaded {t['load_ms']:7.1f} ms")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "timings.json").write_text(json.dumps(TIMINGS, indent=2), encoding="utf-8")


class Server(serving.Server):
    """`liability serve` with a token file, a decision log and the web page's data folder, in its own process
    group (its workers go with it), stopped in teardown."""

    def __init__(self, tmp: Path):
        tokens = tmp / "tokens"
        tokens.write_text(f"browser:{TOKEN}\n", encoding="utf-8")
        tokens.chmod(0o600)
        self.data = tmp / "web-data"
        super().__init__(tmp, "--tokens", str(tokens), "--log", str(tmp / "decisions.db"),
                         env={"LIABILITY_WEB_DATA": str(self.data), "LANG": "C.UTF-8"})

    def output(self, tail: int | None = 4000) -> str:
        return super().output(tail)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("serve"))
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager reach the network
    options = webdriver.ChromeOptions()
    options.binary_location = CHROME  # type: ignore[assignment]
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chrome-profile')}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def signed_in(server: Server, browser: Any) -> Any:
    """The browser, signed in through the login page with the token."""
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/")
    assert "/login" in browser.current_url, "an anonymous visit is sent to sign in"
    browser.find_element(By.ID, "token").send_keys(TOKEN)
    submit(browser, browser.find_element(By.ID, "login-button"))
    assert browser.current_url.rstrip("/") == server.url, browser.page_source[-3000:]
    names = {c["name"]: c for c in browser.get_cookies()}
    session = names["liability_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict" and TOKEN not in session["value"]
    return browser


def submit(driver: Any, element: Any, timeout: float = 60) -> None:
    """Click a button that loads a new page, and wait until the new page has replaced the old one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from selenium.common.exceptions import WebDriverException

    def replaced(_: Any) -> bool:
        try:
            old.is_enabled()  # raises once the old page's node is gone (stale, or "does not belong")
        except WebDriverException:
            return True
        return False

    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, timeout).until(replaced)
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return document.readyState") == "complete")


def shot(driver: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 3000)")
    driver.set_window_size(1400, max(1000, int(height)))
    driver.save_screenshot(str(path))
    driver.set_window_size(1400, 1000)
    return path


def timing(driver: Any, what: str) -> dict[str, Any]:
    """The current page's navigation, from the browser's Navigation Timing entry."""
    nav = driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return n ? {start: n.startTime, req: n.requestStart, first: n.responseStart, end: n.responseEnd,"
        " load: n.loadEventEnd || n.domContentLoadedEventEnd, type: n.type} : null;")
    assert nav is not None
    record = {"what": what, "response_ms": nav["end"] - nav["start"], "ttfb_ms": nav["first"] - nav["start"],
              "load_ms": nav["load"] - nav["start"]}
    TIMINGS.append(record)
    return record
