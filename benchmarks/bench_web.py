"""The web page as a browser sees it: `liability serve` on loopback, a headless Chromium (Selenium), and
the browser's own Navigation Timing for (a) the first response of `/` and (b) the evaluate round trip
(submit the form → the result page), each beside (c) the same determination in-process
(`Engine.explain` on the same facts), measured in the same run, interleaved. Prints medians and p90.
No assertion: figures only. Needs chromium + chromium-driver (apt) and the test extra (selenium).

    .venv/bin/python benchmarks/bench_web.py --rounds 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

FACTS = ("schema: liability-facts/1\ncase: {id: B-1, kind: criminal}\nperson: {id: P-1, role: procurator}\n"
         "conducts:\n  - {id: C1, date: 2025-03-10, act: forge_evidence, fault: intentional}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    rounds = max(3, min(args.rounds, 200))

    import conftest as harness  # tests/browser/conftest.py: the server and browser the tests use
    if harness.WHY_NOT:
        print(f"skipped: {harness.WHY_NOT}")
        return
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from liability_engine import Engine, parse_facts

    engine = Engine.default()
    facts = parse_facts(FACTS)
    with tempfile.TemporaryDirectory() as tmp:
        server = harness.Server(Path(tmp))
        options = webdriver.ChromeOptions()
        options.binary_location = harness.CHROME  # type: ignore[assignment]
        for flag in harness.CHROME_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={tmp}/profile")
        driver = webdriver.Chrome(options=options, service=Service(executable_path=harness.CHROMEDRIVER))
        try:
            driver.get(server.url + "/login")
            driver.find_element(By.ID, "token").send_keys(harness.TOKEN)
            harness.submit(driver, driver.find_element(By.ID, "login-button"))
            first, trip, inproc = [], [], []
            for _ in range(rounds):
                driver.get(server.url + "/")
                first.append(harness.timing(driver, "GET /")["response_ms"])
                driver.find_element(By.ID, "case-id").send_keys("B-1")
                driver.find_element(By.ID, "person-id").send_keys("P-1")
                driver.execute_script("arguments[0].value = '2025-03-10'", driver.find_element(By.ID, "c0-date"))
                Select(driver.find_element(By.ID, "c0-act")).select_by_value("forge_evidence")
                Select(driver.find_element(By.ID, "c0-fault")).select_by_value("intentional")
                harness.submit(driver, driver.find_element(By.ID, "evaluate"))
                trip.append(harness.timing(driver, "POST / evaluate")["response_ms"])
                started = time.perf_counter()
                engine.explain(facts)
                inproc.append((time.perf_counter() - started) * 1000)
        finally:
            driver.quit()
            server.stop()

    def row(name: str, values: list[float]) -> str:
        ordered = sorted(values)
        p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
        return f"| {name} | {statistics.median(values):.1f} | {p90:.1f} |"

    print(f"rounds: {rounds} (medians and p90 in ms; navigation start → response end, as the browser measured)")
    print("| what | median ms | p90 ms |\n|---|---|---|")
    print(row("GET / first response (browser)", first))
    print(row("POST / evaluate round trip (browser)", trip))
    print(row("Engine.explain in-process, same facts (baseline)", inproc))
    print(f"evaluate round trip / in-process explain: {statistics.median(trip) / statistics.median(inproc):.1f} ×")


if __name__ == "__main__":
    main()
