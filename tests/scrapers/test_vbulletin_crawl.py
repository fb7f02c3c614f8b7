"""vBulletin boards that refuse us or serve odd pages: each loss is a counted, named drop,
the rest of the crawl goes on, and a board that only shows a login page fails the run."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from scrapers.loopback import LoopbackServer
from tests.scrapers.crawlkit import describe, stored, write_config
from tests.scrapers.fake_threads import make_threads
from tests.scrapers.inprocess import run_crawl
from tests.scrapers.site_vbulletin import serve_vbulletin

pytestmark = pytest.mark.slow
LOGIN_PAGE = (Path(__file__).resolve().parents[1] / "fixtures" / "vbulletin" /
              "nopermission_vb4.html").read_bytes()


def test_login_walls_empty_threads_and_odd_dates_are_named_drops(db_url: str,
                                                                  tmp_path: Path) -> None:
    threads = make_threads(12, posts_per_thread=3, age_step=timedelta(hours=6))
    walled, empty, odd = threads[2], threads[4], threads[7]
    with LoopbackServer() as server:
        serve_vbulletin(server, threads, forum_id=2)
        # forum 3 needs registration; one thread redirects to the login form
        server.add("/forumdisplay.php?f=3", LOGIN_PAGE)
        server.add(f"/showthread.php?t={walled.thread_id}", b"", status=302,
                   headers={"Location": "/login.php?do=login"})
        server.add("/login.php?do=login", LOGIN_PAGE)
        target = f"/showthread.php?t={empty.thread_id}"
        _, headers, body = server.exact[target]  # type: ignore[misc]
        start = body.index(b'<ol id="posts"')
        end = body.index(b"</ol>", start)
        server.add(target, body[:start] + b'<ol id="posts" class="posts"></ol>' + body[end + 5:],
                   headers=headers)
        target = f"/showthread.php?t={odd.thread_id}"
        _, headers, body = server.exact[target]  # type: ignore[misc]
        server.add(target, body.replace(b'<span class="date">', b'<span class="date">Sol 45, '
                                        b'year 3 &mdash; ', 1), headers=headers)
        config = write_config(tmp_path / "hairlink.toml", db_url, server.base_url, "vbulletin",
                              extra="")
        text = config.read_text().replace("forums = [2]", "forums = [3, 2]")
        config.write_text(text)
        result = run_crawl(config, "forum")
        assert result.returncode == 0, describe(result)
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        assert summary["status"] == "finished" and summary["items"] == 9
        db = stored(db_url)
        lost = {str(t.thread_id) for t in (walled, empty, odd)}
        assert set(db.threads) == {str(t.thread_id) for t in threads} - lost
        run = db.runs[-1]
        assert run.dropped == {"login_required": 2, "no_posts": 1, "unknown_date_format": 1}
        assert run.status == "finished"


def test_a_board_that_only_shows_its_login_page_fails_the_source(db_url: str,
                                                                 tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.add("/forumdisplay.php?f=2", LOGIN_PAGE)
        server.add("/forumdisplay.php?f=5", b"", status=302,
                   headers={"Location": "/login.php?do=login"})
        server.add("/login.php?do=login", LOGIN_PAGE)
        config = write_config(tmp_path / "hairlink.toml", db_url, server.base_url, "vbulletin")
        config.write_text(config.read_text().replace("forums = [2]", "forums = [2, 5]"))
        result = run_crawl(config, "forum")
        assert result.returncode == 1, describe(result)
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        assert summary["status"] == "failed" and "login_required" in summary["message"]
        run = stored(db_url).runs[-1]
        assert run.status == "failed" and run.dropped == {"login_required": 2}
