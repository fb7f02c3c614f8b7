"""vBulletin 3.8 / 4.2 / 5 parsers on our own fixtures and on the recorded real pages; XenForo
1 forum pages and the phpBB 3.0 footer, quote and [img] fixes on our fixtures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from scrapers.parsers import (
    phpbb,
    vbulletin,
    vbulletin_bodies,
    vbulletin_dates,
    vbulletin_listing,
    vbulletin_urls,
    xenforo,
)
from scrapers.parsers.common import ParseError
from scrapers.pipelines.authors import hash_author
from scrapers.text import html_to_text
from tests.conftest import realdata

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2024, 3, 6, 12, 0, tzinfo=UTC)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def fixture_bytes(*parts: str) -> bytes:
    return FIXTURES.joinpath(*parts).read_bytes()


def real(name: str) -> bytes:
    return realdata("vbulletin", name).read_bytes()


# -- dates, zones, bytes --------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("06-15-2016, 03:03 PM", at(2016, 6, 15, 20, 3)),
    ("06-15-2016&nbsp;03:03 PM".replace("&nbsp;", "\u00a0"), at(2016, 6, 15, 20, 3)),
    ("2016-02-01, 02:21", at(2016, 2, 1, 7, 21)),
    ("15th June 2016, 15:03", at(2016, 6, 15, 20, 3)),
    ("June 15, 2016 at 03:03 PM", at(2016, 6, 15, 20, 3)),
    ("Today, 09:15 AM", at(2024, 3, 6, 14, 15)),
    ("Yesterday 11:40 PM", at(2024, 3, 6, 4, 40)),
    ("", None),
])
def test_local_times_in_the_board_zone(text: str, expected: datetime | None) -> None:
    gmt_minus_5 = timezone(timedelta(hours=-5))
    assert vbulletin_dates.local_time(text, gmt_minus_5, NOW) == expected


def test_unknown_date_format_is_a_named_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        vbulletin_dates.local_time("the 5th of Brumaire, year CCXXXII", UTC, NOW)
    assert caught.value.reason == "unknown_date_format"


@pytest.mark.parametrize(("footer", "hours"), [
    ("All times are GMT -5. The time now is", -5), ("All times are GMT. The time", 0),
    ("All times are GMT+2. This page was generated", 2),
    ("All times are GMT +5.5. The time now is", 5.5),
])
def test_board_zone_from_the_footer(footer: str, hours: float) -> None:
    zone = vbulletin_dates.board_zone(Selector(text=f"<div class='smallfont'>{footer}</div>"),
                                ZoneInfo("Asia/Tokyo"))
    assert zone.utcoffset(None) == timedelta(hours=hours)
    assert vbulletin_dates.board_zone(Selector(text="<p>no footer</p>"), UTC) is UTC


def test_iso_8859_1_pages_holding_cp1252_bytes_decode_right() -> None:
    raw = fixture_bytes("vbulletin", "showthread_t345_vb3_page1.html")
    assert b"\x93clearly\x94" in raw  # Windows-1252 curly quotes in a page declared Latin-1
    text = vbulletin.decode_page(raw)
    assert "\u201cclearly\u201d" in text
    response = HtmlResponse("https://sb.example/showthread.php?t=345", body=raw,
                            headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    assert "\u201cclearly\u201d" in response.text  # what the spider parses
    recorded = real("vb3.8.11_showthread_animesuki_page152.html")
    assert b"argue for.\x94" in recorded
    assert "argue for.\u201d" in vbulletin.decode_page(recorded)


@pytest.mark.parametrize(("url", "thread"), [
    ("https://b.example/showthread.php?t=345&page=2", "345"),
    ("https://b.example/showthread.php?9687-Legendary-columnist", "9687"),
    ("https://b.example/showthread.php/9687-Legendary-columnist/page2", "9687"),
    ("https://b.example/threads/9687-legendary-columnist", "9687"),
    ("https://b.example/forum/anime/general/727744-isekai-quartet/page2", "727744"),
    ("https://b.example/forumdisplay.php?f=3", None),
])
def test_thread_ids_from_every_url_style(url: str, thread: str | None) -> None:
    assert vbulletin_urls.thread_id_of(url) == thread


# -- our fixtures -------------------------------------------------------------------------
def test_vb3_forum_listing() -> None:
    text = vbulletin.decode_page(fixture_bytes("vbulletin", "forumdisplay_f12_vb3.html"))
    listing = vbulletin_listing.parse_forum_page(text, "https://sb.example/forumdisplay.php?f=12",
                                         "https://sb.example", now=NOW)
    assert listing.next_url == "https://sb.example/forumdisplay.php?f=12&page=2"
    assert [e.external_id for e in listing.entries] == ["345", "344", "301"]
    first, second, third = listing.entries
    assert first.url == "https://sb.example/showthread.php?t=345"
    assert (first.title, first.num_comments, first.score, first.category) == \
        ("Fin + min at 14 months: crown update", 23, None, "Treatments")
    # "All times are GMT +1": Today 09:15 AM, Yesterday 11:40 PM, 03-02-2024 08:05 PM
    assert first.last_activity_at == at(2024, 3, 6, 8, 15)
    assert second.last_activity_at == at(2024, 3, 5, 22, 40) and second.num_comments == 1002
    assert third.last_activity_at == at(2024, 3, 2, 19, 5)


def test_vb3_thread_page_quotes_thanks_and_zone() -> None:
    text = vbulletin.decode_page(fixture_bytes("vbulletin", "showthread_t345_vb3_page1.html"))
    page = vbulletin.parse_thread_page(text, "https://sb.example/showthread.php?t=345",
                                       "https://sb.example", now=NOW)
    assert (page.external_id, page.title, page.category) == \
        ("345", "Fin + min at 14 months: crown update", "Treatments")
    assert (page.num_comments, page.page, page.last_page) == (23, 1, 2)  # "... of 24"
    assert page.next_url == "https://sb.example/showthread.php?t=345&page=2"
    assert page.score == 3  # "The Following 3 Users Say Thank You"
    assert [p.score for p in page.posts] == [3, 0, 1]
    assert [p.author for p in page.posts] == ["crownwatch", "nw2hopeful", "dut_curious"]
    assert [p.position for p in page.posts] == [0, 1, 2]
    # "All times are GMT +2": 03-01-2024 02:30 PM, Yesterday 11:05 PM, Today 08:00 AM
    assert [p.created_at for p in page.posts] == [
        at(2024, 3, 1, 12, 30), at(2024, 3, 5, 21, 5), at(2024, 3, 6, 6, 0)]
    opening = html_to_text(page.posts[0].body_html, page.url)
    assert opening == ("Started finasteride 1mg in January 2023, added 5% foam in February. "
                       "Crown is \u201cclearly\u201d thicker. The study I based this on: "
                       "Kaufman 1998 (https://pubmed.ncbi.nlm.nih.gov/10495374/)")
    quoted = html_to_text(page.posts[1].body_html, page.url)
    assert quoted == "> Crown is clearly thicker.\nSame here after a year on both."
    assert html_to_text(page.posts[2].body_html) == \
        "> Anonymous quote without a poster.\nAgreed."


def test_vb4_forum_listing_with_seo_urls() -> None:
    text = fixture_bytes("vbulletin", "forumdisplay_f7_vb4_seo.html").decode("utf-8")
    listing = vbulletin_listing.parse_forum_page(text, "https://hairboard.example/forumdisplay.php?f=7",
                                         "https://hairboard.example", now=NOW)
    assert listing.next_url == "https://hairboard.example/forumdisplay.php/7-Minoxidil/page2"
    first, second = listing.entries
    assert (first.external_id, first.title, first.num_comments, first.category) == \
        ("9687", "Oral minoxidil 2.5mg, six months", 1014, "Minoxidil")
    assert first.url == "https://hairboard.example/showthread.php?t=9687"
    assert first.created_at == at(2016, 6, 15, 20, 3)  # 03:03 PM at GMT -5
    assert first.last_activity_at == at(2016, 9, 19, 19, 38)
    assert (second.num_comments, second.created_at, second.last_activity_at) == \
        (0, at(2024, 3, 6, 12, 10), at(2024, 3, 6, 12, 10))  # "Today 07:10 AM"


def test_vb5_forum_listing() -> None:
    text = fixture_bytes("vbulletin", "forum_node_vb5_research.html").decode("utf-8")
    listing = vbulletin_listing.parse_forum_page(text, "https://vb5.example/forum/hair-loss/research-news",
                                         "https://vb5.example", now=NOW)
    assert listing.next_url == "https://vb5.example/forum/hair-loss/research-news/page2"
    first, second = listing.entries
    assert (first.external_id, first.title, first.category) == \
        ("5510", "Pyrilutamide phase 3 results", "Research & News")
    assert first.url == ("https://vb5.example/forum/hair-loss/research-news/"
                         "5510-pyrilutamide-phase-3-results")
    assert (first.num_comments, first.created_at, first.last_activity_at) == \
        (12, at(2024, 3, 5, 14, 50), at(2024, 3, 6, 23, 30))
    assert second.num_comments == 4  # "5 posts" counts the opening post
    assert second.created_at == at(2024, 3, 2, 3, 0)


def test_login_page_and_login_redirect_are_named_drops() -> None:
    text = fixture_bytes("vbulletin", "nopermission_vb4.html").decode("utf-8")
    for parse in (vbulletin_listing.parse_forum_page, vbulletin.parse_thread_page):
        with pytest.raises(ParseError) as caught:
            parse(text, "https://sb.example/forumdisplay.php?f=9", "https://sb.example")
        assert caught.value.reason == "login_required"
    with pytest.raises(ParseError) as caught:
        vbulletin.parse_thread_page("<html><body>Log in</body></html>",
                                    "https://sb.example/login.php?do=login",
                                    "https://sb.example")
    assert caught.value.reason == "login_required"


def test_thread_page_without_posts_and_unknown_dates_are_named_drops() -> None:
    empty = ('<html><body><div id="pagetitle"><h1>Thread: <span class="threadtitle">x</span>'
             '</h1></div><ol id="posts"></ol></body></html>')
    with pytest.raises(ParseError) as caught:
        vbulletin.parse_thread_page(empty, "https://sb.example/showthread.php?t=1",
                                    "https://sb.example")
    assert caught.value.reason == "no_posts"
    text = vbulletin.decode_page(fixture_bytes("vbulletin", "showthread_t345_vb3_page1.html"))
    odd = text.replace("03-01-2024, 02:30 PM", "Primidi 11 Ventose CCXXXII")
    with pytest.raises(ParseError) as caught:
        vbulletin.parse_thread_page(odd, "https://sb.example/showthread.php?t=345",
                                    "https://sb.example", now=NOW)
    assert caught.value.reason == "unknown_date_format"


# -- recorded real pages ------------------------------------------------------------------
def test_real_vb3_showthread_page_152() -> None:
    raw = real("vb3.8.11_showthread_animesuki_page152.html")
    response = HtmlResponse("https://forums.animesuki.com/showthread.php?t=128882&page=152",
                            body=raw)
    page = vbulletin.parse_thread_page(response.text, response.url,
                                       "https://forums.animesuki.com")
    assert (page.external_id, page.category) == ("128882", "Older Series")
    assert page.title == "(L+CR) Hibike! Euphonium [anime]"
    assert page.url == "https://forums.animesuki.com/showthread.php?t=128882"
    assert (page.page, page.last_page) == (152, 155)
    assert page.next_url == "https://forums.animesuki.com/showthread.php?t=128882&page=153"
    assert page.num_comments == 3085  # "of 3,086" posts
    assert page.score is None  # not page 1, and stock vBulletin shows no score
    assert len(page.posts) == 20
    first, last = page.posts[0], page.posts[-1]
    assert (first.external_id, first.author, first.position) == ("5768670", "Shirohige", 3020)
    assert first.created_at == at(2016, 2, 1, 7, 21)  # "2016-02-01, 02:21" at GMT -5
    assert (last.external_id, last.author, last.created_at) == \
        ("5778211", "Kamieichi", at(2016, 2, 13, 15, 38))
    assert all(p.score is None for p in page.posts)
    hashed = hash_author("salt", first.author)
    assert hashed and len(hashed) == 64 and "Shirohige" not in hashed
    quoted = html_to_text(first.body_html, page.url)
    assert quoted.startswith('> Well, what\'s offensive to me is that "lesbians" insist')
    assert "Originally Posted by" not in quoted and "TinyRedLeaf" not in quoted
    assert "Quote:" not in quoted
    assert "\n> Sexual orientation is a broad spectrum." in quoted
    texts = [html_to_text(p.body_html) for p in page.posts]
    assert sum(t.startswith(">") for t in texts) >= 8
    assert not any("Originally Posted by" in t for t in texts)
    assert not any("__________________" in t for t in texts)  # signatures are not posts


def test_real_vb4_showthread() -> None:
    raw = real("vb4.2.3_showthread_militarytimes_9687.html")
    url = ("http://forums.militarytimes.com/showthread.php/"
           "9687-Legendary-military-columnist-author-Bob-Dorr-dies-at-76")
    page = vbulletin.parse_thread_page(raw.decode("utf-8"), url,
                                       "http://forums.militarytimes.com")
    assert (page.external_id, page.category) == ("9687", "Air Force")
    assert page.title == "Legendary military columnist, author Bob Dorr dies at 76"
    assert page.url == "http://forums.militarytimes.com/showthread.php?t=9687"
    assert (page.page, page.last_page, page.num_comments) == (1, 2, 14)  # "of 15"
    assert page.next_url == ("http://forums.militarytimes.com/showthread.php/"
                             "9687-Legendary-military-columnist-author-Bob-Dorr-dies-at-76/page2")
    assert page.score is None and len(page.posts) == 10
    assert [p.position for p in page.posts] == list(range(10))
    first = page.posts[0]
    assert (first.external_id, first.author) == ("365266", "Rainmaker")
    assert first.created_at == at(2016, 6, 15, 15, 3)  # "06-15-2016, 03:03 PM", GMT
    assert page.posts[1].author == "Mj\u00f6lnir"
    assert page.posts[-1].created_at == at(2016, 9, 19, 14, 38)
    body = html_to_text(first.body_html, page.url)
    assert body.endswith("RIP Mr. Dorr.") and not body.startswith(">")  # postcontent unwrapped
    quoting = next(p for p in page.posts if p.external_id == "365272")
    quoted = html_to_text(quoting.body_html, page.url)
    assert quoted.startswith("> ") and "Originally Posted by" not in quoted
    assert "sandsjames" not in quoted
    assert "and who could forget" in quoted


def test_real_vb5_thread_page() -> None:
    raw = real("vb5.5.2_thread_fandompost_727744.html")
    url = ("https://fandompost.vbulletin.net/forum/anime-manga-discussions/"
           "general-anime-discussions/727744-isekai-quartet-discussion-thread")
    page = vbulletin.parse_thread_page(raw.decode("utf-8"), url,
                                       "https://fandompost.vbulletin.net")
    assert (page.external_id, page.title, page.category) == \
        ("727744", "Isekai Quartet Discussion Thread", "General Anime Discussions")
    assert page.url == url
    assert (page.page, page.last_page, page.next_url) == (1, 2, url + "/page2")
    assert page.score is None and len(page.posts) == 15
    first = page.posts[0]
    assert (first.external_id, first.author, first.position) == ("727744", "Buckeye", 0)
    # data-node-publishdate 1554824243; the page shows "10:37 AM" under "GMT-5"
    assert first.created_at == at(2019, 4, 9, 15, 37, 23)
    assert [p.created_at for p in page.posts] == sorted(p.created_at for p in page.posts)
    assert page.posts[2].author == "General Hentai"
    assert html_to_text(first.body_html).startswith("\u7570\u4e16\u754c")
    quoted = [html_to_text(p.body_html) for p in page.posts if "bbcode" in p.body_html
              or "<blockquote" in p.body_html]
    assert len(quoted) == 5
    assert all(q.startswith("> ") and "Originally posted by" not in q for q in quoted)
    assert all("MyAnimeList" not in html_to_text(p.body_html) for p in page.posts)  # signature


# -- XenForo 1 and phpBB 3.0 fixtures ------------------------------------------------------
def test_xenforo_1_forum_page() -> None:
    text = fixture_bytes("xenforo", "xf1_forum_view_finasteride_page1.html").decode("utf-8")
    listing = xenforo.parse_forum_page(text, "https://oldboard.example/forums/finasteride.4/",
                                       ZoneInfo("America/New_York"))
    assert listing.next_url == "https://oldboard.example/forums/finasteride.4/page-2"
    first, second = listing.entries
    assert (first.external_id, first.title, first.author) == \
        ("412", "Fin + min for 16 months, no regrowth", "crownwatcher")
    assert first.url == "https://oldboard.example/threads/fin-min-for-16-months-no-regrowth.412/"
    assert (first.num_comments, first.score, first.category) == (1023, 14, "Finasteride")
    assert first.created_at == at(2024, 3, 5, 14, 30)  # "Mar 5, 2024 at 9:30 AM" EST
    assert first.last_activity_at == at(2024, 3, 6, 15, 10)  # data-time 1709737800
    assert (second.score, second.num_comments) == (0, 7)
    assert second.last_activity_at == at(2024, 2, 1, 23, 45)


def test_phpbb_30_footer_dst_cite_and_img() -> None:
    text = fixture_bytes("phpbb", "viewtopic_t88_quote_img_dst.html").decode("utf-8")
    page = phpbb.parse_viewtopic(text, "https://b.example/viewtopic.php?f=5&t=88",
                                 "https://b.example", ZoneInfo("UTC"))
    assert (page.title, page.category, page.num_comments) == \
        ("Microneedling depth?", "Treatments", 1)
    # "All times are UTC - 5 hours [ DST ]" = UTC-4: 9:30 am -> 13:30 UTC
    assert [p.created_at for p in page.posts] == [at(2024, 3, 5, 13, 30), at(2024, 3, 5, 15, 45)]
    assert html_to_text(page.posts[0].body_html, page.url) == \
        "Is 1.5mm weekly too much? My roller:\n\nhttps://img.example.org/roller.jpg"
    reply = html_to_text(page.posts[1].body_html, page.url)
    assert reply == ("> Is 1.5mm weekly too much?\nWeekly at 1.5mm is what the study used: "
                     "https://doi.org/10.4103/0974-7753.114700\n\n:)")
    assert "needle_ned" not in reply and "wrote:" not in reply
    assert html_to_text('<img src="/i/x.png" class="postimage" alt="Image">',
                        "https://b.example/viewtopic.php?t=1") == "https://b.example/i/x.png"


@pytest.mark.parametrize(("html", "name"), [
    ('<aside class="quote" data-username="gary"><div class="title"><img alt="" src="/a.png">'
     ' gary:</div><blockquote><p>fin works</p></blockquote></aside>', "gary"),
    ('<blockquote class="bbCodeBlock bbCodeBlock--quote" data-quote="gary"><div '
     'class="bbCodeBlock-title">gary said:</div><div class="bbCodeBlock-content">fin works'
     '</div></blockquote>', "gary"),
    ('<div class="bbCodeBlock bbCodeQuote" data-author="gary"><aside><div class="attribution '
     'type">gary said: <a href="goto/post?id=1">&uarr;</a></div><blockquote '
     'class="quoteContainer"><div class="quote">fin works</div><div class="quoteExpand">Click '
     'to expand...</div></blockquote></aside></div>', "gary"),
    ("<blockquote><div><cite>gary wrote:</cite>fin works</div></blockquote>", "gary"),
    ('<blockquote cite="./viewtopic.php?p=2#p2"><div><cite><a href="./memberlist.php?u=4">gary'
     '</a> wrote: <a href="./viewtopic.php?p=2#p2">\u2191</a><span class="responsive-hide">'
     'Tue Mar 05</span></cite>fin works</div></blockquote>', "gary"),
])
def test_quote_headers_never_keep_a_name(html: str, name: str) -> None:
    text = html_to_text(html + "<p>me too</p>", "https://f.example/t/1")
    assert text.startswith("> fin works"), text
    assert name not in text and "said:" not in text and "wrote:" not in text
    vb4 = vbulletin_bodies.clean_body(
        '<div class="bbcode_container"><div class="bbcode_quote"><div class="quote_container">'
        '<div class="bbcode_quote_container"></div><div class="bbcode_postedby"><img alt="Quote"'
        ' src="q.png"> Originally Posted by <strong>gary</strong></div><div class="message">'
        'fin works</div></div></div></div>me too')
    assert html_to_text(vb4) == "> fin works\nme too"


@pytest.mark.parametrize("page", [
    '<html id="XF" data-template="login"><body><div class="p-body-pageContent"><form '
    'action="/login/login"><div class="block-container"><div class="block-body">Log in'
    '</div></div></form></div></body></html>',
    '<html id="XenForo" class="Public"><body><div id="content"><div class="errorOverlay">'
    '<label>Error</label><div class="baseHtml">You must be logged-in to do that.</div></div>'
    '</div></body></html>',
])
def test_xenforo_login_pages_are_named_drops(page: str) -> None:
    for parse in (xenforo.parse_thread_page, xenforo.parse_forum_page):
        with pytest.raises(ParseError) as caught:
            parse(page, "https://xf.example/threads/x.1/")
        assert caught.value.reason == "login_required"
    with pytest.raises(ParseError) as caught:
        xenforo.parse_thread_page("<html><body><p>maintenance</p></body></html>",
                                  "https://xf.example/threads/x.1/")
    assert caught.value.reason is None
