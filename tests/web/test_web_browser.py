"""`hairlink serve` as a real process, driven in Debian's Chromium through Selenium and
/usr/bin/chromedriver: a visitor's path (home -> study -> filter -> thread) and an XSS corpus
(titles, bodies, categories, URLs with <script>, onerror=, javascript:) where no script runs.

`.ci/system-packages` installs chromium and chromium-driver; `.ci/run` sets
HAIRLINK_REQUIRE_BROWSER=1 so CI fails instead of skipping when either is missing.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import select

from aggregator.outcome_types import READER_NOTE
from models.db import make_engine, session_factory
from models.entities import Thread, ThreadTreatment
from models.migrate import upgrade
from tests.digest.test_digest_browser import HOSTILE_BODY, HOSTILE_TITLE, hostile_corpus
from tests.web.corpus import seed_web

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("HAIRLINK_REQUIRE_BROWSER"):
            pytest.fail("chromium or chromedriver missing (.ci/system-packages installs them)")
        pytest.skip("chromium or chromedriver is not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--no-first-run", "--window-size=1100,1400"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@contextmanager
def serving(db_url: str, tmp_path: Path, workers: int = 1) -> Iterator[str]:
    """`hairlink serve --port 0 --workers N` on the database; yields its URL; stops it with
    SIGTERM and checks it (and its workers) stopped cleanly."""
    env = {**os.environ, "HAIRLINK_DATABASE_URL": db_url, "COLUMNS": "200"}
    env.pop("HAIRLINK_CONFIG", None)
    proc = subprocess.Popen([sys.executable, "-m", "hairlink", "serve", "--port", "0",
                             "--workers", str(workers)],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, line + (proc.stderr.read() if proc.stderr else "")
        yield found.group(0)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped" in out


def migrated(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()


def test_home_to_study_to_filter_to_thread(browser: webdriver.Chrome, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    migrated(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        seed_web(session)
    engine.dispose()
    with serving(url, tmp_path, workers=2) as base:
        browser.get(base)
        assert browser.title.endswith("hairlink")
        first = browser.find_element(By.CSS_SELECTOR, "#treatments tbody tr")
        assert first.find_element(By.CSS_SELECTOR, "td.outcomes").text == (
            "50% improved of 4 reporting · 2 side-effect reports")
        first.find_element(By.LINK_TEXT, "Minoxidil").click()
        WebDriverWait(browser, 20).until(EC.url_contains("/treatments/minoxidil"))
        assert browser.find_element(By.CSS_SELECTOR, "#outcomes p").text == (
            "Of 4 threads on minoxidil, 4 report an effect on hair.")
        effects = browser.find_elements(By.CSS_SELECTOR, "#outcomes table.effects tbody tr")
        assert [e.text for e in effects] == ["improved 2 50%", "no effect 1 25%",
                                             "mixed 1 25%"]
        sides = browser.find_elements(By.CSS_SELECTOR, "#outcomes table.side-effects tbody tr")
        assert [e.text for e in sides] == ["shedding 1", "skin 1"]
        assert sides[0].is_displayed() and effects[0].size["height"] > 0
        # tables side by side keep their own heights: no row stretched to a neighbour's
        heights = {r.size["height"] for r in browser.find_elements(
            By.CSS_SELECTOR, "#stats table tbody tr, #outcomes table tbody tr")}
        assert max(heights) - min(heights) <= 2, heights
        note = browser.find_element(By.CSS_SELECTOR, "#outcomes p.reader-note")
        assert note.is_displayed() and note.text == READER_NOTE  # how the counts were read
        browser.find_element(By.CSS_SELECTOR, "a.brand").click()
        WebDriverWait(browser, 20).until(EC.url_to_be(base))
        browser.find_element(By.LINK_TEXT,
                             "Oral Minoxidil vs Topical Minoxidil for Male Androgenetic "
                             "Alopecia").click()
        assert "/studies/doi:10.1001/jamadermatol.2024.0284" in browser.current_url
        heading = browser.find_element(By.CSS_SELECTOR, "h2.related").text
        assert heading == "Related Community Posts 5 / 5"
        assert browser.find_element(By.CSS_SELECTOR, "#community li").text.startswith(
            "Of 4 threads on minoxidil: 2 report improvement")
        assert browser.find_element(By.CSS_SELECTOR, "#community p.reader-note").is_displayed()
        Select(browser.find_element(By.NAME, "treatment")).select_by_value("finasteride")
        Select(browser.find_element(By.NAME, "sort")).select_by_value("score")
        browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
        WebDriverWait(browser, 20).until(EC.url_contains("treatment=finasteride"))
        assert browser.find_element(By.CSS_SELECTOR, "h2.related").text == (
            "Related Community Posts 2 / 2")
        titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR,
                                                        "#related .post-title a")]
        assert titles == ["Finasteride 10 year follow-up is out", "Big 3 update: month 14"]
        browser.find_element(By.LINK_TEXT, "Big 3 update: month 14").click()
        WebDriverWait(browser, 20).until(EC.url_matches(r"/threads/\d+$"))
        assert browser.find_element(By.TAG_NAME, "h1").text == "Big 3 update: month 14"
        assert browser.find_element(By.CSS_SELECTOR, "span.category").text == (
            "Progress Pictures")
        studies = browser.find_elements(By.CSS_SELECTOR, "#studies .card")
        assert len(studies) == 2 and all("topic" in s.text for s in studies)
        assert browser.find_element(By.CSS_SELECTOR, "p.original a").get_attribute(
            "href") == "https://forum.example/t/d1"
        # the stylesheet (a static file, allowed by the CSP) did apply
        main = browser.find_element(By.TAG_NAME, "main")
        assert main.value_of_css_property("max-width") == "960px"


def test_hostile_text_never_runs(browser: webdriver.Chrome, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    migrated(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        hostile_corpus(session)
        thread_ids = [row[0] for row in session.execute(
            __import__("sqlalchemy").text("SELECT id FROM thread ORDER BY id"))]
        # outcomes, so the treatment page lists hostile titles and summaries as examples
        for row in session.scalars(select(ThreadTreatment)):
            row.effect, row.side_effects = "improved", ["other"]
        for thread in session.scalars(select(Thread)):
            thread.summary = HOSTILE_BODY
        session.commit()
    engine.dispose()
    with serving(url, tmp_path) as base:
        # control: this browser runs a script when a page lets it (data: URL, no CSP)
        browser.get("data:text/html,<title>t</title><script>document.title='RAN'</script>")
        assert browser.title == "RAN"
        paths = ["", "posts?search=script", "posts?category=" + "%3Cb%3E", "studies/pmid:424242",
                 "treatments/minoxidil", "sources", *(f"threads/{i}" for i in thread_ids)]
        for path in paths:
            browser.get(base + path)
            assert browser.title.endswith("hairlink"), path
            assert browser.title != "PWNED", path  # the title text may quote the script
            assert browser.execute_script(
                "return document.body.getAttribute('data-pwned')") is None, path
            assert browser.find_elements(By.ID, "injected") == [], path
            assert browser.find_elements(By.TAG_NAME, "script") == [], path
            assert browser.find_elements(By.TAG_NAME, "iframe") == [], path
            handlers = browser.execute_script(
                "return Array.from(document.querySelectorAll('*')).flatMap(e => "
                "Array.from(e.attributes).map(a => a.name)).filter(n => n.startsWith('on'))")
            assert handlers == [], path
            hrefs = [a.get_attribute("href") for a in browser.find_elements(By.TAG_NAME, "a")]
            assert all(h.startswith(("http://127.0.0.1", "https://")) for h in hrefs), path
        browser.get(base + f"threads/{thread_ids[0]}")
        text = browser.find_element(By.TAG_NAME, "body").text
        assert HOSTILE_TITLE in text  # shown as text
        assert "<script>var d=document.createElement('div')" in HOSTILE_BODY
        assert "document.createElement('div')" in text
        assert browser.find_elements(By.CSS_SELECTOR, "p.original a") == []  # javascript: URL
        assert "<b onmouseover=\"alert(1)\">Progress</b>" in text
        browser.get(base + f"threads/{thread_ids[3]}")
        assert browser.find_element(By.CSS_SELECTOR, "p.original a").get_attribute(
            "href") == "https://forum.example/t/ok"
        browser.get(base + "treatments/minoxidil")
        examples = browser.find_elements(By.CSS_SELECTOR, "#outcomes ul.examples li")
        assert examples and HOSTILE_TITLE in examples[0].text  # shown as text
        assert "document.createElement('div')" in examples[0].text
        browser.get(base + "studies/pmid:424242")
        assert "<script>alert('tldr')</script>" in browser.find_element(By.TAG_NAME,
                                                                       "body").text
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "web-hostile-study.png"
        shot.unlink(missing_ok=True)
        assert browser.save_screenshot(str(shot)) and shot.read_bytes()[:4] == b"\x89PNG"
