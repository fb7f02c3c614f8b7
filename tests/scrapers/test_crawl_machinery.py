"""Unit tests of the crawl machinery: Retry-After, incremental plan, run status, pipelines,
the loopback server, `python -m scrapers.run` and `hairlink crawl`."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from sqlalchemy import Engine
from typer.testing import CliRunner

import hairlink.cli  # noqa: F401 - registers the commands
from hairlink.app import app
from scrapers.base import KnownThread, plan_list_page, user_agent
from scrapers.items import ReplyItem, StudyItem, ThreadItem
from scrapers.loopback import LoopbackServer
from scrapers.parsers.common import ListEntry
from scrapers.pipelines.authors import author_salt, hash_author, load_salt
from scrapers.pipelines.clean import CleanPipeline
from scrapers.pipelines.validate import ValidatePipeline
from scrapers.retry_after import parse_retry_after
from scrapers.run import final_status
from scrapers.run import main as run_main
from tests.scrapers.crawlkit import ROOT, describe, stored, write_config
from tests.scrapers.fake_threads import make_threads
from tests.scrapers.inprocess import run_crawl
from tests.scrapers.site_discourse import serve_discourse

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


# -- Retry-After ----------------------------------------------------------------------------
def test_parse_retry_after() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(b"120") == 120.0
    later = NOW + timedelta(seconds=30)
    assert parse_retry_after(format_datetime(later, usegmt=True), now=NOW) == 30.0
    assert parse_retry_after(format_datetime(NOW - timedelta(hours=1), usegmt=True),
                             now=NOW) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.slow
def test_retry_after_is_waited_for(tmp_path: Path) -> None:
    threads = make_threads(3, posts_per_thread=2)
    with LoopbackServer() as server:
        serve_discourse(server, threads)
        server.fault("429", times=1, pattern=r"^/t/100\.json", retry_after=2)
        server.fault("503", times=1, pattern=r"^/t/101\.json", retry_after=1)
        config = write_config(tmp_path / "h.toml", f"sqlite:///{tmp_path / 'h.db'}",
                              server.base_url, "discourse")
        result = run_crawl(config, "forum", args=("-s", "HAIRLINK_RETRY_AFTER_MAX=10"))
        assert result.returncode == 0, describe(result)
        for target, told in (("/t/100.json", 2), ("/t/101.json", 1)):
            times = [t for t, tgt in server.request_times if tgt == target]
            assert len(times) == 2
            assert times[1] - times[0] >= told - 0.1
        assert len(stored(f"sqlite:///{tmp_path / 'h.db'}").threads) == 3


# -- incremental plan -----------------------------------------------------------------------
def _entry(ext: str, days_old: float, replies: int | None = 3,
           score: int | None = None) -> ListEntry:
    when = NOW - timedelta(days=days_old)
    return ListEntry(ext, f"https://f/{ext}", "t", when, when, replies, score)


def _known(days_old: float, replies: int = 3, score: int | None = None) -> KnownThread:
    when = NOW - timedelta(days=days_old)
    return KnownThread(when, when, replies, score)


def test_plan_fetches_new_young_and_changed_threads() -> None:
    cutoff = NOW - timedelta(days=7)
    entries = [_entry("new", 30), _entry("young", 2), _entry("old", 30),
               _entry("grew", 30, replies=9), _entry("liked", 30, score=5)]
    known = {"young": _known(2), "old": _known(30), "grew": _known(30),
             "liked": _known(30, score=1)}
    fetch, more = plan_list_page(entries, known, cutoff, full=False)
    assert [e.external_id for e in fetch] == ["new", "young", "grew", "liked"]
    assert more  # "new" is not stored yet and "young" is recent


def test_plan_stops_paging_on_a_page_wholly_old_and_known() -> None:
    cutoff = NOW - timedelta(days=7)
    entries = [_entry("a", 20), _entry("b", 30)]
    known = {"a": _known(20), "b": _known(30)}
    assert plan_list_page(entries, known, cutoff, full=False) == ([], False)
    assert plan_list_page(entries, {"a": _known(20)}, cutoff, full=False)[1]
    fetch, more = plan_list_page(entries, known, cutoff, full=True)
    assert len(fetch) == 2 and more


# -- run status -----------------------------------------------------------------------------
def test_final_status() -> None:
    assert final_status("finished", {}, None) == ("finished", None)
    assert final_status("shutdown", {}, None)[0] == "cancelled"
    assert final_status("finished", {"hairlink/store_errors": 3}, None)[0] == "failed"
    assert final_status("closespider_errorcount", {}, None)[0] == "failed"
    assert final_status(None, {}, "ValueError: no source")[0] == "failed"
    assert final_status("finished", {"log_count/ERROR": 2}, None)[0] == "failed"
    assert final_status("finished", {"log_count/ERROR": 2, "response_received_count": 9},
                        None)[0] == "finished"


def test_user_agent_names_tool_and_contact() -> None:
    assert user_agent("me@example.org").startswith("hairlink/")
    assert user_agent("me@example.org").endswith("(+me@example.org)")


# -- pipelines ------------------------------------------------------------------------------
def _thread(**changes: object) -> ThreadItem:
    item = ThreadItem(source="s", external_id="1", url="https://f.example/t/1", title="T",
                      created_at=NOW, body_html="<p>hi <a href='/x'>x</a></p>",
                      replies=[ReplyItem("r1", body_html="<blockquote>q</blockquote>ok")])
    for key, value in changes.items():
        setattr(item, key, value)
    return item


@pytest.mark.parametrize(("changes", "reason"), [
    ({"title": "  "}, "missing_title"), ({"created_at": None}, "missing_created_at"),
    ({"created_at": datetime(2024, 1, 1)}, "naive_datetime"), ({"url": "ftp://x"}, "bad_url"),
    ({"external_id": ""}, "bad_external_id"), ({"num_comments": -1}, "bad_num_comments"),
])
def test_validate_drops_with_a_counted_reason(changes: dict[str, object], reason: str) -> None:
    stats = MemoryStatsCollector.__new__(MemoryStatsCollector)
    stats._stats = {}
    stats._dump = False
    pipeline = ValidatePipeline(stats)
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(_thread(**changes))
    assert stats.get_value(f"hairlink/dropped/{reason}") == 1


def test_validate_drops_bad_replies_and_studies_without_ids() -> None:
    stats = MemoryStatsCollector.__new__(MemoryStatsCollector)
    stats._stats = {}
    stats._dump = False
    pipeline = ValidatePipeline(stats)
    item = _thread(replies=[ReplyItem("a"), ReplyItem("a"), ReplyItem("")])
    assert [r.external_id for r in pipeline.process_item(item).replies] == ["a"]
    assert stats.get_value("hairlink/dropped/reply_duplicate_reply") == 1
    with pytest.raises(DropItem):
        pipeline.process_item(StudyItem(source="pubmed", title="x", doi="not a doi"))
    assert pipeline.process_item(StudyItem(source="pubmed", pmid="123")).pmid == "123"


def test_clean_turns_html_into_text() -> None:
    item = CleanPipeline().process_item(_thread())
    assert item.body == "hi x (https://f.example/x)" and item.body_html is None
    assert item.replies[0].body == "> q\nok"


def test_author_salt_is_created_once_per_database(engine: Engine) -> None:
    first = load_salt(engine)
    assert len(first) == 64 and load_salt(engine) == first
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        assert author_salt(session) == first
    hashed = hash_author(first, "alice")
    assert hashed != hash_author(first, "bob") and hashed == hash_author(first, " alice ")
    assert hash_author(first, "[deleted]") is None and hash_author(first, None) is None


# -- loopback server ------------------------------------------------------------------------
def test_loopback_routes_and_faults() -> None:
    with LoopbackServer() as server:
        server.add("/a?x=1", "exact")
        server.add("/a", "by path")
        server.route("/p/", lambda r: (200, {"Content-Type": "text/plain"},
                                       f"prefix {r.arg('n')}".encode()))
        server.fault("503", times=2, pattern=r"^/a\?x=1", retry_after=3)
        for _ in range(2):
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(server.url("/a?x=1"))
            assert err.value.code == 503 and err.value.headers["Retry-After"] == "3"
        assert urllib.request.urlopen(server.url("/a?x=1")).read() == b"exact"
        assert urllib.request.urlopen(server.url("/a?y=2")).read() == b"by path"
        assert urllib.request.urlopen(server.url("/p/q?n=4")).read() == b"prefix 4"
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(server.url("/missing"))
        assert server.count("/a?x=1") == 3
        server.add("/big", "x" * 1000)
        server.fault("truncate", times=1, pattern="^/big")
        with pytest.raises(Exception):  # noqa: B017 - IncompleteRead or similar
            urllib.request.urlopen(server.url("/big")).read()
        assert len(urllib.request.urlopen(server.url("/big")).read()) == 1000


# -- the run command and the CLI ------------------------------------------------------------
def test_run_refuses_unknown_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    config = write_config(tmp_path / "h.toml", f"sqlite:///{tmp_path / 'h.db'}",
                          "http://127.0.0.1:9", "discourse")
    # `scrapers.run.main` refuses these before any reactor starts: called in process.
    assert run_main(["nope", "--config", str(config)]) == 2
    assert "no source named 'nope'" in capsys.readouterr().err
    assert run_main(["forum", "--config", str(config), "--run-id", "99"]) == 2
    assert "no crawl run with id 99" in capsys.readouterr().err


@pytest.mark.slow
def test_hairlink_crawl_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    threads = make_threads(8, posts_per_thread=3)
    db = f"sqlite:///{tmp_path / 'h.db'}"
    with LoopbackServer() as server:
        serve_discourse(server, threads)
        config = write_config(tmp_path / "h.toml", db, server.base_url, "discourse",
                              extra="delay = 0", initialise=False)
        monkeypatch.chdir(ROOT)
        monkeypatch.delenv("HAIRLINK_DATABASE_URL", raising=False)
        runner = CliRunner()
        fast = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "HAIRLINK_PROGRESS_SECONDS=0.2"]
        result = runner.invoke(app, ["--config", str(config), "crawl", "forum", *fast])
        assert result.exit_code == 1 and "run `hairlink init`" in result.output
        assert runner.invoke(app, ["--config", str(config), "init"]).exit_code == 0
        result = runner.invoke(app, ["--config", str(config), "crawl", "forum", *fast])
        assert result.exit_code == 0, result.output
        assert "forum (discourse) run 1: finished" in result.output
        assert "8 items" in result.output
        assert len(stored(db).threads) == 8
        result = runner.invoke(app, ["--config", str(config), "crawl", "--all", *fast])
        assert result.exit_code == 0, result.output
        assert [r.status for r in stored(db).runs] == ["finished", "finished"]
        result = runner.invoke(app, ["--config", str(config), "crawl"])
        assert result.exit_code == 2
        result = runner.invoke(app, ["--config", str(config), "crawl", "ghost"])
        assert result.exit_code == 2
    # The server is gone: nothing can be fetched, so the run must not claim success.
    result = CliRunner().invoke(app, ["--config", str(config), "crawl", "forum", *fast,
                                      "-s", "RETRY_TIMES=0"])
    last = stored(db).runs[-1]
    assert result.exit_code == 1, result.output
    assert (last.status, last.pages) == ("failed", 0) and last.errors >= 1
    assert "no page could be fetched" in (last.message or "")
