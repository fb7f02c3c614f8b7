"""Cases found in review of the vBulletin and XenForo 1 parsers: a date never depends on
dates parsed before it, one odd listing date loses nothing else, text in a post never sets
the board's zone, links stay on the board's host, string forum ids, numeric slugs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from models.config import parse_config
from scrapers.parsers import (
    vbulletin_dates,
    vbulletin_listing,
    vbulletin_urls,
    xenforo,
)
from scrapers.parsers.common import ParseError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "vbulletin"
NOW = datetime(2024, 3, 6, 12, 0, tzinfo=UTC)


def test_an_ambiguous_date_reads_the_same_whatever_was_parsed_before() -> None:
    first = vbulletin_dates.local_time("05-06-2016, 14:30", UTC)
    vbulletin_dates.local_time("15-06-2016, 14:30", UTC)  # a day-first date in between
    assert vbulletin_dates.local_time("05-06-2016, 14:30", UTC) == first == \
        datetime(2016, 5, 6, 14, 30, tzinfo=UTC)


def test_a_page_with_day_first_dates_reads_its_ambiguous_ones_day_first() -> None:
    assert vbulletin_dates.day_first("posted 15-06-2016, 14:30 ... 05-06-2016, 09:00")
    assert not vbulletin_dates.day_first("posted 06-15-2016 ... 05-06-2016")
    assert not vbulletin_dates.day_first("no numeric dates here")
    assert vbulletin_dates.local_time("05-06-2016, 14:30", UTC, day_first=True) == \
        datetime(2016, 6, 5, 14, 30, tzinfo=UTC)


def test_relative_ago_dates() -> None:
    assert vbulletin_dates.local_time("2 Hours Ago", UTC, NOW) == datetime(2024, 3, 6, 10, 0,
                                                                     tzinfo=UTC)
    assert vbulletin_dates.local_time("5 minutes ago", UTC, NOW) == datetime(2024, 3, 6, 11, 55,
                                                                       tzinfo=UTC)


def test_one_unreadable_listing_date_keeps_the_rest_of_the_listing() -> None:
    text = (FIXTURES / "forumdisplay_f7_vb4_seo.html").read_text(encoding="utf-8")
    broken = text.replace("06-15-2016&nbsp;<span class=\"time\">03:03 PM</span>",
                          "sometime last summer", 1)
    assert broken != text
    listing = vbulletin_listing.parse_forum_page(broken, "https://hairboard.example/forumdisplay.php?f=7",
                                         "https://hairboard.example", now=NOW)
    first, second = listing.entries
    assert first.external_id == "9687" and first.created_at is None
    assert second.created_at is not None


def test_a_post_quoting_a_footer_does_not_set_the_page_zone() -> None:
    page = ("<html><body><div class='post'>On my old board All times are GMT +8 so I got "
            "confused.</div><div id='footer_time'>All times are GMT -5. The time now is "
            "09:30 AM.</div></body></html>")
    from parsel import Selector
    zone = vbulletin_dates.board_zone(Selector(text=page))
    assert zone.utcoffset(None).total_seconds() == -5 * 3600  # type: ignore[union-attr]


def test_thread_ids_come_from_the_last_numbered_segment() -> None:
    assert vbulletin_urls.thread_id_of("https://b.example/2019-forum/12345-my-thread") == "12345"
    assert vbulletin_urls.thread_id_of(
        "https://b.example/forum/hair/2020-season/727744-title/page2") == "727744"


def test_a_forum_id_written_as_a_string_is_a_forumdisplay_id(tmp_path: Path) -> None:
    from scrapers.spiders.vbulletin import VbulletinSpider

    config = tmp_path / "hairlink.toml"
    config.write_text('[database]\nurl = "sqlite:///%s"\n[[sources]]\nname = "vb"\n'
                      'kind = "vbulletin"\nbase_url = "https://b.example"\nforums = ["12", 7, '
                      '"forum/hair"]\n' % (tmp_path / "x.db"), encoding="utf-8")
    parse_config({"sources": [{"name": "vb", "kind": "vbulletin",
                               "base_url": "https://b.example", "forums": ["12"]}]})
    spider = VbulletinSpider(source="vb", config=str(config))
    assert spider.list_urls() == ["https://b.example/forumdisplay.php?f=12",
                                  "https://b.example/forumdisplay.php?f=7",
                                  "https://b.example/forum/hair"]
    assert spider.allowed_domains == ["b.example"]


def test_a_xenforo_forum_with_login_in_its_slug_is_not_a_login_page() -> None:
    from parsel import Selector

    empty = Selector(text="<html data-template='forum_view'><body></body></html>")
    xenforo.refuse_login(empty, "https://xf.example/forums/login-help.5/")  # no error
    try:
        xenforo.refuse_login(empty, "https://xf.example/login/")
    except ParseError as exc:
        assert exc.reason == "login_required"
    else:
        raise AssertionError("a /login/ URL must be a login_required drop")


def test_a_phpbb_post_quoting_a_footer_does_not_set_the_page_zone() -> None:
    from parsel import Selector

    from scrapers.parsers import phpbb

    page = ("<html><body><div class='content'>All times are UTC + 8 hours there</div>"
            "<div class='footer'>All times are UTC - 5 hours</div></body></html>")
    zone = phpbb.board_zone(Selector(text=page), UTC)
    assert zone.utcoffset(None).total_seconds() == -5 * 3600  # type: ignore[union-attr]


def test_links_off_the_board_are_counted_not_lost(tmp_path: Path) -> None:
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from scrapers.spiders.xenforo import XenforoSpider

    config = tmp_path / "hairlink.toml"
    config.write_text('[database]\nurl = "sqlite:///%s"\n[[sources]]\nname = "xf"\n'
                      'kind = "xenforo"\nbase_url = "https://b.example"\nforums = ["hair.1"]\n'
                      % (tmp_path / "x.db"), encoding="utf-8")
    crawler = get_crawler(XenforoSpider)
    spider = XenforoSpider.from_crawler(crawler, source="xf", config=str(config), full=1)
    crawler.spider = spider
    rows = "".join(
        f'<div class="structItem structItem--thread"><div class="structItem-title"><a '
        f'data-tp-primary="on" href="https://{host}/threads/t.{n}/">T{n}</a></div></div>'
        for n, host in ((1, "b.example"), (2, "elsewhere.example"), (3, "www.b.example")))
    page = (f'<html><body><div class="structItemContainer">{rows}</div><a class="pageNav-jump '
            f'pageNav-jump--next" href="https://elsewhere.example/forums/hair.1/page-2">Next'
            f'</a></body></html>')
    response = HtmlResponse("https://b.example/forums/hair.1/", body=page.encode(),
                            encoding="utf-8")
    urls = [r.url for r in spider.parse_list(response)]
    assert urls == ["https://b.example/threads/t.1/", "https://www.b.example/threads/t.3/"]
    assert crawler.stats.get_value("hairlink/dropped/offsite") == 1
    assert crawler.stats.get_value("hairlink/dropped/list_page_offsite") == 1
