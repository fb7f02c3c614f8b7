"""Hostile threads exported to HTML and opened in headless Chromium: nothing runs, text shows.

Skips only when /usr/bin/chromium is missing (`.ci/system-packages` installs it for CI).
The screenshot is kept under test-artifacts/ at the repository root.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy.orm import Session

from aggregator.digest import export_digests
from models.db import make_engine, session_factory
from models.entities import Base, Source, Study, Thread, ThreadStudyLink, ThreadTreatment, Treatment
from tests.query.seed_posts import NOW

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PWN_TITLE = "<script>document.title='PWNED'</script>"
HOSTILE_TITLE = (PWN_TITLE + "<img src=x onerror=\"document.body.setAttribute('data-pwned',"
                 "'img')\"> Minoxidil results")
HOSTILE_BODY = ("<svg onload=\"document.body.setAttribute('data-pwned','svg')\"></svg>"
                "<script>var d=document.createElement('div');d.id='injected';"
                "document.body.appendChild(d)</script> <a href=\"javascript:alert(1)\">x</a>")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-file-access-from-files"]


def chromium(args: list[str], profile: Path) -> str:
    result = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def hostile_corpus(session: Session) -> int:
    source = Source(name="evil<b>forum</b>", kind="reddit", base_url="https://e.example",
                    created_at=NOW)
    session.add(source)
    session.add(Treatment(id="minoxidil", name="Minoxidil", category="drug"))
    study = Study(pmid="424242", title="<script>document.title='PWNED'</script>Study",
                  journal="<i onmouseover=\"alert(1)\">J</i>", authors=["<b>A</b>"],
                  tldr="<script>alert('tldr')</script>", abstract="<iframe src=x></iframe>",
                  url="javascript:alert('paper')", citation_count=3,
                  created_at=NOW, updated_at=NOW)
    session.add(study)
    threads = [
        Thread(source=source, external_id=f"x{i}", url=url, title=HOSTILE_TITLE, body=HOSTILE_BODY,
               category="<b onmouseover=\"alert(1)\">Progress</b>", score=10 - i,
               num_comments=1, created_at=NOW - timedelta(days=i + 1),
               first_seen_at=NOW, last_seen_at=NOW, content_hash="0" * 40)
        for i, url in enumerate(["javascript:document.title='PWNED'",
                                 "https://forum.example/t/1\" onmouseover=\"alert(1)",
                                 "JaVaScRiPt:alert(1)", "https://forum.example/t/ok"])
    ]
    session.add_all(threads)
    session.flush()
    for i, thread in enumerate(threads):
        session.add(ThreadTreatment(thread_id=thread.id, treatment_id="minoxidil", mentions=1,
                                    forms=[], locations=[]))
        session.add(ThreadStudyLink(thread_id=thread.id, study_id=study.id,
                                    kind="citation" if i == 0 else "topic", score=1 - i / 10,
                                    evidence={}))
    session.commit()
    return study.id


@pytest.mark.slow
def test_hostile_threads_do_not_run_in_a_browser(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (.ci/system-packages installs it)")
    engine = make_engine(f"sqlite:///{tmp_path / 'hostile.db'}")
    Base.metadata.create_all(engine)
    out = tmp_path / "site"
    with session_factory(engine)() as session:
        study_id = hostile_corpus(session)
        export_digests(session, [study_id], "html", out, now=NOW, charts="svg")
    engine.dispose()
    page = out / "pmid-424242.html"
    source = page.read_text()
    assert "<script" not in source.lower() and "<iframe" not in source.lower()
    assert not re.search(r"(?i)href=[\"']?\s*javascript", source)
    assert not re.search(r"(?i)<[^>]+\son\w+=", source)  # no event-handler attribute

    profile = tmp_path / "profile"
    # control: this browser does run an inline script, so the checks below can fail
    control = tmp_path / "control.html"
    control.write_text("<html><head><title>t</title></head><body>" + PWN_TITLE + "</body></html>")
    assert lxml.html.fromstring(chromium(["--dump-dom", control.as_uri()], profile)).findtext(
        ".//title") == "PWNED"
    for target in (page, out / "index.html"):
        dom = chromium(["--dump-dom", target.as_uri()], profile)
        tree = lxml.html.fromstring(dom)
        title = tree.findtext(".//title") or ""
        assert title != "PWNED" and title.endswith("hairlink")  # the injected script never ran
        assert tree.xpath("//script") == [] and tree.xpath("//iframe") == []
        assert tree.xpath("//*[@id='injected']") == []
        assert tree.xpath("//body/@data-pwned") == []
        assert all(not name.lower().startswith("on")
                   for el in tree.iter() if isinstance(el.tag, str) for name in el.attrib)
        assert all(h.startswith(("https://", "http://", "index.html", "pmid-"))
                   for h in tree.xpath("//a/@href"))
        text = tree.text_content()
        assert "<script>document.title='PWNED'</script>" in text  # shown, escaped, as text
    study_dom = lxml.html.fromstring(chromium(["--dump-dom", page.as_uri()], profile))
    text = study_dom.text_content()
    assert HOSTILE_TITLE in text and "<b onmouseover=\"alert(1)\">Progress</b>" in text
    assert "<script>alert('tldr')</script>" in text and "<iframe src=x></iframe>" in text
    hrefs = study_dom.xpath("//a/@href")
    # the paper link falls back to PubMed; only the one http(s) thread URL is a link
    assert hrefs == ["index.html", "https://pubmed.ncbi.nlm.nih.gov/424242/",
                     "https://forum.example/t/ok"]

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "digest-hostile-threads.png"
    shot.unlink(missing_ok=True)
    chromium([f"--screenshot={shot}", "--window-size=1000,1600", page.as_uri()], profile)
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shutil.rmtree(profile, ignore_errors=True)
