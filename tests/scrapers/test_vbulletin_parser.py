"""vBulletin 3.8 / 4.2 / 5 parsers on our own fixtures and on the recorded real pages; XenForo
1 forum pages and the phpBB 3.0 footer, quote and [img] fixes on our fixtures."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
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


def test_numeric_date_scan_finds_what_finditer_finds() -> None:
    """The lazy scan behind `day_first` (bytes marks, regex tried only where a date can
    start) gives the matches `finditer` gives, on strings dense in digits, separators and
    the navigation-URL shapes ("55-0/") it skips."""
    import random

    rng = random.Random(7)
    alphabet = "0123456789-/. aé_x?\n٢٥٠۶😀"  # digits beyond Latin-1 (Arabic, Persian) too
    texts = ["whats-new/55-0/ 12-02-2026 1-2-33 05.06.16 7/8/2019 3-4-5 a12-1-2000",
             "x ٢٥-06-2016 y", "25-٠٦-2016", "۱۲/۰۳/۲۰۱۶",
             *("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
               for _ in range(20_000))]
    for text in texts:
        expected = [m.span() for m in vbulletin_dates._NUMERIC_DATE.finditer(text)]
        assert [m.span() for m in vbulletin_dates._numeric_dates(text)] == expected, text


def test_post_fields_walk_finds_what_the_queries_find() -> None:
    """`PostFields` (walks over a post's links, spans and divs) gives the date element,
    author text, post counter text, thanks boxes (when the page has some) and message div
    the XPath queries give, on random posts
    dense in the classes and ids those queries test (nested links, text-less links,
    comments, two counters)."""
    import random

    from lxml import etree

    from scrapers.parsers.tree import css, html_root, xpath
    from scrapers.parsers.vbulletin_post_fields import (
        AUTHOR_TEXTS,
        COUNT_TEXTS,
        PostFields,
        first_of,
    )
    from scrapers.parsers.vbulletin_scores import _THANKS_BOXES

    rng = random.Random(11)
    opens = ['<a class="username">', '<a class="bigusername x">', '<a class="postcounter">',
             '<a id="postcount7">', '<a id="postcount8" class="username">', '<a>',
             '<div class="username_container">', '<div id="post_thanks_box_3">', "<div>",
             '<span class="date">', '<span class="date x">', "<strong>", "<b>", "<span>",
             '<div id="post_message_1">', '<span id="post_message_1">', '<div id="post_1">']
    bits = ["t", " ", "#5", "<!-- c -->", "<br>", "Bob"]

    def html(depth: int) -> str:
        return _random_html(rng, opens, bits, depth, max_depth=4, nest=0.5)

    date_query, texts = xpath(".//span[@class='date']"), xpath(".//text()")
    message_query = xpath(".//div[@id='post_message_1']")
    for _ in range(4000):
        block = html_root(f'<html><body><li id="post_1">{html(0)}</li></body></html>'
                          ).find(".//li")
        thanks = rng.random() < 0.7
        fields = PostFields(block, thanks, "post_message_1")
        messages = message_query(block)
        assert fields.message is (messages[0] if messages else None), etree.tostring(block)
        dates = date_query(block)
        assert fields.date is (dates[0] if dates else None), etree.tostring(block)
        if dates:
            assert " ".join(fields.date.itertext()) == " ".join(texts(dates[0]))
        assert fields.author() == " ".join(AUTHOR_TEXTS(block)[:1]), etree.tostring(block)
        assert fields.count() == first_of(COUNT_TEXTS(block)), etree.tostring(block)
        assert fields.thanks == (_THANKS_BOXES(block) if thanks else [])
        for box in fields.thanks:  # (`post_score` reads a box's texts with `itertext`)
            assert list(box.itertext()) == css("::text")(box)


def test_default_date_fast_path_reads_what_the_slow_path_reads(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`local_time`'s direct read of "12-02-2026,&nbsp;09:00 AM" gives what cleaning the
    text and trying the formats gives (or the same error), on strings dense in its shape."""
    import random

    rng = random.Random(5)
    parts = ["12", "02", "2", "31", "13", "0", "-", "-", "2026", ",", " ", "\u00a0", "\t", ":",
             "09", "59", "7", "AM", "pm", "Pm", "st", "at", "Today", "ago", "٢"]
    texts = ["12-02-2026,\u00a0 09:00 AM", "2-31-2026, 9:05 pm", "12-02-2026 09:00 AM ",
             *("".join(rng.choice(parts) for _ in range(rng.randint(1, 12)))
               for _ in range(3_000))]
    texts += [f"{m}-{d}-2026{sep}{h}:{mi} {half}" for m in ("1", "02", "12", "13")
              for d in ("1", "09", "29", "31", "32") for sep in (", ", ",\u00a0 ", " ", ",")
              for h in ("1", "09", "12", "13") for mi in ("5", "05", "60") for half in ("AM", "pm")]
    zone = timezone(timedelta(hours=-5))

    def read(text: str) -> object:
        try:
            return vbulletin_dates.local_time(text, zone)
        except ParseError as exc:
            return str(exc)

    fast = [read(text) for text in texts]
    monkeypatch.setattr(vbulletin_dates, "_DEFAULT_TEXT", re.compile(r"(?!)"))
    assert fast == [read(text) for text in texts]


def test_rewrite_steps_skipped_only_where_they_find_nothing() -> None:
    """`finish_body` runs only the quote-rewrite steps `rewrite_stages` flags: on random
    bodies dense in quote boxes, labels, headers and signatures (nested, retagged by an
    earlier step) the rewritten tree is the one all four steps give, and the "label child"
    test gives what it gives without the flag."""
    import copy
    import random

    from lxml import etree

    from scrapers.parsers.tree import html_root
    from scrapers.parsers.vbulletin_bodies import (
        _rewrite_quotes,
        _rewrites_itself,
        rewrite_stages,
    )

    rng = random.Random(3)
    opens = ['<blockquote class="postcontent">',
             '<blockquote class="postcontent x bbcode_container">',
             '<div class="bbcode_container">', '<div class="bbcode_quote">',
             '<div class="message">', '<div class="bbcode_postedby">',
             '<span class="post-signature">', "<div>", "<table>", "<tr>", "<td>", "<b>"]
    bits = ["Quote:", " Quote: ", "Originally Posted by", "x", "<!-- c -->", "<br>"]

    def html(depth: int) -> str:
        return _random_html(rng, opens, bits, depth, max_depth=5, nest=0.55)

    skipped = 0
    for _ in range(4000):
        body = html_root(f"<html><body><div id='b'>{html(0)}</div></body></html>").find(
            ".//div")
        stages = rewrite_stages(body)
        skipped += not all(stages)
        for unwrapped in (True, False):
            assert _rewrites_itself(body, unwrapped, stages[2]) == \
                _rewrites_itself(body, unwrapped)
        some, every = copy.deepcopy(body), copy.deepcopy(body)
        _rewrite_quotes(some, stages)
        _rewrite_quotes(every)
        assert etree.tostring(some) == etree.tostring(every), etree.tostring(body)
    assert skipped > 1000


def test_rewrite_steps_use_what_the_stage_walk_met() -> None:
    """`_rewrite_quotes` given what `rewrite_stages` met (`Found`: step 2's containers,
    step 4's headers and signatures) rewrites a body as the plain steps with their own
    lookups do, on random bodies dense in quote boxes (nested, inside headers, in
    `postcontent` blockquotes step 1 retags), vB3 label tables, headers and signatures
    (inside boxes a step takes out, nested in each other), classes with odd spacing and
    near-miss names."""
    import copy
    import random

    from lxml import etree

    from scrapers.parsers.tree import html_root
    from scrapers.parsers.vbulletin_bodies import Found, _rewrite_quotes, rewrite_stages

    rng = random.Random(23)
    opens = ['<blockquote class="postcontent">',
             '<blockquote class="postcontent\tbbcode_container">',
             '<blockquote class="bbcode_container">', '<div class="bbcode_container">',
             '<div class=" bbcode_container\n x">', '<div class="bbcode_containers">',
             '<div class="bbcode_quote">', '<div class="message">', '<div class="messages">',
             '<div class="bbcode_postedby">', '<span class="bbcode_postedby">',
             '<div class="xbbcode_postedby">', '<span class="post-signature">',
             '<div class="a post-signaturex">', "<div>", "<table>", "<tr>", "<td>", "<b>"]
    bits = ["Quote:", " Quote: ", "Originally Posted by", "x", "<!-- c -->", "<br>"]
    rewritten = 0
    for _ in range(5000):
        html = _random_html(rng, opens, bits, 0, max_depth=6, nest=0.6)
        body = html_root(f"<html><body><div id='b'>{html}</div></body></html>").find(".//div")
        fast, plain = copy.deepcopy(body), copy.deepcopy(body)
        found = Found()
        stages = rewrite_stages(fast, found)
        _rewrite_quotes(fast, stages, found)
        _rewrite_quotes(plain, stages)
        assert etree.tostring(fast) == etree.tostring(plain), html
        rewritten += etree.tostring(plain) != etree.tostring(body)
    assert rewritten > 2000


def _random_html(rng: random.Random, opens: list[str], bits: list[str], depth: int,
                 max_depth: int, nest: float) -> str:
    """Up to four random pieces: an element from `opens` (nested until `max_depth`, with
    chance `nest`) or a text bit, for fuzzing a fast reader against its queries."""
    out = []
    for _ in range(rng.randint(0, 4)):
        if depth < max_depth and rng.random() < nest:
            tag = rng.choice(opens)
            name = tag[1:].split(None, 1)[0].rstrip(">")
            out.append(f"{tag}{_random_html(rng, opens, bits, depth + 1, max_depth, nest)}"
                       f"</{name}>")
        else:
            out.append(rng.choice(bits))
    return "".join(out)


def _plain_rewrite_stages(element: Any) -> tuple[bool, bool, bool, bool]:
    """`rewrite_stages` as it was first written (a child loop per element): the reference."""
    from lxml import etree

    boxes = containers = labels = headers = False
    for el in element.iterdescendants(etree.Element):
        classes = el.get("class")
        if classes:
            if "postcontent" in classes and el.tag == "blockquote":
                boxes = True
            if "bbcode_container" in classes:
                containers = True
            if "bbcode_postedby" in classes or "post-signature" in classes:
                headers = True
        if not labels and ("Quote:" in (el.text or "") or any(
                "Quote:" in (child.tail or "") for child in el)):
            labels = True
    return boxes, containers, labels, headers


def test_quote_rewrite_walks_find_what_the_queries_find() -> None:
    """The rewrite's class lookups (`with_class`, `first_with_class`,
    `headers_and_signatures`: one pass over a node's elements) give the elements the XPath
    class queries give, `rewrite_stages` the flags of its plain form and `_inner_body` the
    first `_INNER_BODY`, on random bodies dense in those classes (tabs and line breaks
    inside class attributes, near-miss names, comments, "Quote:" in texts and tails)."""
    import random

    from lxml import etree

    from scrapers.parsers.tree import html_root, xpath
    from scrapers.parsers.vbulletin_bodies import (
        first_with_class,
        headers_and_signatures,
        rewrite_stages,
        with_class,
    )

    rng = random.Random(19)
    names = ["postcontent", "bbcode_container", "bbcode_quote", "message", "bbcode_postedby",
             "post-signature", "xpost-signaturex", "messages", "bbcode_quotes", "x"]
    spaces = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\x0b"]
    opens = []
    for tag in ("div", "blockquote", "span"):
        opens.append(f"<{tag}>")
        for _ in range(12):
            picked = [rng.choice(names) for _ in range(rng.randint(1, 3))]
            cls = rng.choice(spaces).join(picked)
            if rng.random() < 0.3:
                cls = rng.choice(spaces) + cls + rng.choice(spaces)
            opens.append(f'<{tag} class="{cls}">')
    bits = ["Quote:", " Quote: x", "x", "<!-- Quote: -->", "<br>", "Quo"]
    # the plain forms: the class queries the walks replace
    has = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
    queries = [(xpath(f".//{tag}[{has.format(name)}]"), (tag, name))
               for tag, name in [("blockquote", "postcontent"), ("div", "bbcode_container"),
                                 ("div", "bbcode_quote"), ("div", "message")]]
    headers_query = xpath(".//*[" + has.format("bbcode_postedby")
                          + " or contains(@class, 'post-signature')]")
    found = 0
    for _ in range(3000):
        html = _random_html(rng, opens, bits, 0, max_depth=5, nest=0.55)
        body = html_root(f"<html><body><div id='b'>{html}</div></body></html>").find(".//div")
        assert rewrite_stages(body) == _plain_rewrite_stages(body), etree.tostring(body)
        for node in body.iter(etree.Element):
            for query, (tag, name) in queries:
                matches = query(node)
                assert with_class(node, tag, name) == matches, etree.tostring(node)
                assert first_with_class(node, tag, name) is (matches[0] if matches else None)
            expected = headers_query(node)
            assert headers_and_signatures(node) == expected, etree.tostring(node)
            found += len(expected)
            wrappers = vbulletin._INNER_BODY(node)  # (vB4's post wrapper, substring class)
            assert vbulletin._inner_body([node]) is (wrappers[0] if wrappers else None)
    assert found > 1000


def test_day_order_read_after_the_last_pages_shared_opening(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`day_first` skips what a page shares with the last page it read (up to the last ">"
    of the shared part): on random sequences of pages sharing openings of every length,
    dates (deciding or not) before, across and after the point where they part, every
    answer is the one reading the whole page with `finditer` gives."""
    monkeypatch.setattr(vbulletin_dates, "_LAST_SCAN", [])
    rng = random.Random(23)
    bits = ["<a>", "</a>", ">", "x", " ", "12-03-2026", "13-03-2026", "03-13-2026", "5/6/07",
            "1", "2", "-", "/", ".", "26", "٢٥", "é", "20-20-20"]

    def plain(text: str) -> bool:
        for found in vbulletin_dates._NUMERIC_DATE.finditer(text):
            first, second = (int(g) for g in found.groups())
            if first > 12 or second > 12:
                return first > 12
        return False

    page = ""
    skipped = 0
    for _ in range(6000):
        cut = rng.randint(0, len(page))  # (keep this much of the last page, then new text)
        page = page[:cut] + "".join(rng.choice(bits) for _ in range(rng.randint(0, 30)))
        if rng.random() < 0.1:
            page = ""
        last = list(vbulletin_dates._LAST_SCAN)
        assert vbulletin_dates.day_first(page) == plain(page), (last, page)
        skipped += bool(last) and page.rfind(">", 0, vbulletin_dates._common_length(
            last[0][0], page)) > 0
    assert skipped > 2000
    for a, b, common in (("abc", "abd", 2), ("", "x", 0), ("same", "same", 4), ("ab", "abc", 2),
                         ("x" * 999 + "a", "x" * 999 + "b", 999)):
        assert vbulletin_dates._common_length(a, b) == common


def test_shared_length_from_the_last_opening_is_the_common_length(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`_shared_length` (the opening the last two pages shared, tried first) gives
    `_common_length` on random page pairs: pages of one board (the same opening, then
    their own text), openings that grow, shrink or part one character later, pairs unlike
    the last, and a last page that does not hold the opening; the opening answers alone
    for most of the board's pages."""
    monkeypatch.setattr(vbulletin_dates, "_LAST_OPENING", [])
    rng = random.Random(31)
    opening = "<html><head>menu</head><body>"
    last = opening + "x"
    hits = 0
    for _ in range(6000):
        roll = rng.random()
        if roll < 0.5:  # (the board's next page)
            text = opening + rng.choice("abc") + "".join(rng.choice("ab<>") for _ in range(5))
        elif roll < 0.8:  # (a page sharing more or less of the last page)
            cut = rng.randint(0, len(last))
            text = last[:cut] + "".join(rng.choice("ab<>x") for _ in range(rng.randint(0, 8)))
        else:
            text = "".join(rng.choice("ab<") for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.1:  # (a last page read apart: another board, a cleared scan)
            last = opening.upper() + "".join(rng.choice("ab<") for _ in range(5))
        kept = list(vbulletin_dates._LAST_OPENING)
        assert vbulletin_dates._shared_length(last, text) == \
            vbulletin_dates._common_length(last, text), (kept, last, text)
        hits += kept == vbulletin_dates._LAST_OPENING and bool(kept)
        last = text
    assert hits > 1000


def test_list_row_walks_find_what_the_queries_find() -> None:
    """A vB4 list row's title link, `.threadmeta .author span.label` elements and
    `.threadmeta .author a.username` texts read by walks give what the CSS queries give, on
    random rows dense in those classes (nested, repeated, on the row itself, with tabs in
    class attributes, username links inside username links)."""
    from lxml import etree

    from scrapers.parsers import vbulletin_listing as listing
    from scrapers.parsers.tree import html_root

    rng = random.Random(29)
    classes = ["threadmeta", "author", "label", "username", "title", "topic-title",
               "author\tx", "x threadmeta", "authors", "user", "username understate",
               "threadmeta author"]
    opens = ["<div>", "<span>", "<a>", '<a id="thread_title_5">', '<a id="xthread_title_">']
    for tag in ("div", "span", "a", "dl", "li"):
        opens += [f'<{tag} class="{name}">' for name in classes]
    bits = ["t", " ", "<br>", "<!-- c -->", "Bob", "\n"]
    found = [0, 0, 0]
    for _ in range(6000):
        inner = _random_html(rng, opens, bits, 0, max_depth=6, nest=0.7)
        cls = rng.choice(["threadbit", "threadbit threadmeta", "threadbit author"])
        row = html_root(f'<html><body><ol><li class="{cls}" id="thread_1">{inner}</li></ol>'
                        "</body></html>").find(".//li")
        links = listing._TITLE_LINKS(row)
        assert listing._title_link_of(row) is (links[0] if links else None), \
            etree.tostring(row)
        labels = listing._META_AUTHOR_LABELS(row)
        assert listing._meta_author_labels(row) == labels, etree.tostring(row)
        names = listing._META_AUTHOR_NAMES(row)
        assert listing._meta_author_names(row) == names, etree.tostring(row)
        for i, hit in enumerate((links, labels, names)):
            found[i] += bool(hit)
    assert min(found) > 150


def test_checked_body_text_is_the_text_where_the_rewrite_finds_nothing() -> None:
    """`checked_block_text` (the walk `finish_body` reads a body's text with before the
    rewrite) gives `block_text`'s text whenever it gives one, and then the rewrite's stage
    walk (its plain form) finds nothing; `reads_as_block` only where `element_text` is
    `block_text`. Random bodies dense in the rewrite's classes, chrome and skipped
    elements, "Quote:" in texts, tails and comments, links and images; and an image
    holding content (a tree built, not parsed: HTML's `<img>` is empty)."""
    import random

    from lxml import etree

    from scrapers.parsers.tree import html_root
    from scrapers.text import block_text, checked_block_text, element_text, reads_as_block

    rng = random.Random(23)
    opens = ["<div>", "<span>", "<b>", "<p>", "<blockquote>", "<ul>", "<li>", "<script>",
             "<cite>", "<a href='/x'>", "<a href='https://e.org/y'>", "<img src='/i.png'>",
             "<i class='bbcode_postedby'>", "<div class='bbcode_container'>",
             "<div class='xbbcode_containerx'>", "<blockquote class='postcontent'>",
             "<span class='post-signature'>", "<div class='posts'>", "<div class='pos t'>",
             "<div class='title'>", "<div class='bbCodeBlock bbCodeBlock--quote'>",
             "<span class='meta x'>", "<em class='quote-controls'>", "<div class='message'>",
             "<font class='p\tost'>", "<div class='bbcode_quote'>"]
    bits = ["Quote:", " Quote: x", "Quote", "x", "a  b", "<!-- Quote: -->", "<br>", "\n",
            "https://e.org/y", "\u00a0", "&amp;", "<img alt=':)' src='s.gif'>",
            "<a href='two words'>two  words</a>", "<a href='https://e.org/y'>https://e.org/y"
            "</a>", "<a href='/z'>Quote: z</a>"]
    read = skipped = 0
    for _ in range(5000):
        html = _random_html(rng, opens, bits, 0, max_depth=4, nest=0.5)
        outer = rng.choice(["<div>", "<blockquote class='postcontent restore'>",
                            "<div class='x'>", "<td>", "<div class='meta'>"])
        name = outer[1:].split(None, 1)[0].rstrip(">")
        root = html_root(f"<html><body><table><tr>{outer}{html}</{name}></tr></table>"
                         "</body></html>")
        body = next(el for el in root.iter(name) if el.getparent().tag in ("body", "tr"))
        for base in (None, "https://forum.example/t/1"):
            text = checked_block_text(body, base, ("post", "bbcode_container"), "Quote:")
            if text is None:
                skipped += 1
                continue
            read += 1
            assert text == block_text(body, base), etree.tostring(body)
            assert _plain_rewrite_stages(body) == (False,) * 4, etree.tostring(body)
        if reads_as_block(body):
            assert element_text(body) == block_text(body), etree.tostring(body)
    assert read > 1500 and skipped > 1500, (read, skipped)
    built = etree.fromstring("<div>a<img src='i'><div class='bbcode_container'>q</div></img>"
                             "</div>")
    assert _plain_rewrite_stages(built)[1]
    assert checked_block_text(built, None, ("post", "bbcode_container"), "Quote:") is None


def test_bodies_read_before_the_rewrite_keep_the_plain_path_outputs() -> None:
    """A page whose post bodies are read by `finish_body`'s checked walk (`text_for`) gives
    every post the text and HTML the plain path gives (walk after the rewrite), also with
    a post nested in another's quote box (its message emptied by the outer rewrite)."""
    from scrapers.parsers import vbulletin

    posts = "".join(
        f'<li class="postbitlegacy" id="post_{n}"><span class="date">12-03-2026, 01:5{n} PM'
        f'</span><a class="postcounter">#{n}</a><div class="username_container"><a '
        f'class="username">u{n}</a></div><div id="post_message_{n}"><blockquote '
        f'class="postcontent restore">{body}</blockquote></div></li>'
        for n, body in [
            (2, 'Outer<div class="bbcode_container"><div class="bbcode_quote"><div '
                'class="bbcode_postedby">Originally Posted by <b>u1</b></div><ol><li '
                'class="postbitlegacy" id="post_1"><span class="date">12-03-2026, 01:50 PM'
                '</span><div id="post_message_1" class="message">Inner <b>bold</b></div>'
                '</li></ol></div></div> after'),
            (3, 'Third <a href="/x">link</a><br>line'),
            (4, 'Fourth<div class="bbcode_container"><div class="bbcode_quote"><div '
                'class="message">quoted</div></div></div>')])
    page = (f'<html><body><ol id="posts">{posts}</ol><div id="footer_time">All times are '
            'GMT -5.</div></body></html>')

    def outputs() -> list[tuple[str, str, str]]:
        parsed = vbulletin.parse_thread_page(page, "http://f.example/showthread.php?t=9",
                                             "http://f.example")
        return [(post.external_id, post.text(parsed.url), post.body_html)
                for post in parsed.posts]

    from scrapers.parsers import vbulletin_bodies

    walked: list[bool] = []
    checked = vbulletin_bodies.checked_block_text

    def counted(*args: object) -> str | None:
        text = checked(*args)  # type: ignore[arg-type]
        walked.append(text is not None)
        return text

    finish = vbulletin.finish_body
    try:
        vbulletin_bodies.checked_block_text = counted  # type: ignore[assignment]
        read = outputs()
        nested_walks = len(walked)
        page = page.replace('<ol><li class="postbitlegacy" id="post_1">', "<ol><li>")
        read_apart = outputs()
        vbulletin.finish_body = lambda post, marks, text_for=None: finish(post, marks)
        plain_apart = outputs()
        page = page.replace("<ol><li>", '<ol><li class="postbitlegacy" id="post_1">')
        plain = outputs()
    finally:
        vbulletin.finish_body = finish
        vbulletin_bodies.checked_block_text = checked  # type: ignore[assignment]
    assert read == plain and read_apart == plain_apart
    # (a post nested in another's quote: not apart, no checked walk; apart: the walk ran
    # and kept a text where it met no mark)
    assert nested_walks == 0 and any(walked)
    assert [post_id for post_id, _, _ in read] == ["2", "1", "3", "4"]
    assert read[2][1] == "Third link (http://f.example/x)\n\nline"
