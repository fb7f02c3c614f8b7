"""Forum parsers on our own fixtures (real formats) and on the recorded real pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scrapers.parsers import discourse, phpbb, xenforo
from scrapers.parsers.common import ParseError, parse_count
from scrapers.text import html_to_text
from tests.conftest import realdata

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
UTC_ZONE = ZoneInfo("UTC")


def fixture(*parts: str) -> str:
    return FIXTURES.joinpath(*parts).read_text(encoding="utf-8")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- shared helpers -----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12), ("1,234", 1234), ("1.2K", 1200), ("3M", 3_000_000), ("1.5k", 1500),
    ("", None), ("many", None), (None, None),
])
def test_parse_count(text: str | None, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(("text", "names", "expected"), [
    ("A, B and 12 others", None, 14), ("A and B", None, 2), ("A", None, 1), ("", None, 0),
    ("Niro, Dadparvar, siONtI and 12 others", 3, 15), ("A, B and 1.2K others", None, 1202),
    ("A, B and 1 other", None, 3),
])
def test_xenforo_reaction_count(text: str, names: int | None, expected: int) -> None:
    assert xenforo.reaction_count(text, names) == expected


def test_html_to_text_keeps_links_and_marks_quotes() -> None:
    text = html_to_text('<p>See <a href="/t/5">this</a> and <a href="https://doi.org/10.1/x">'
                        'https://doi.org/10.1/x</a></p><blockquote><p>a</p><p>b</p></blockquote>'
                        '<script>alert(1)</script><p>end &amp; done</p>', "https://f.example/t/1")
    assert text == ("See this (https://f.example/t/5) and https://doi.org/10.1/x\n\n"
                    "> a\n>\n> b\n\nend & done")


# -- Discourse ----------------------------------------------------------------------------
def test_discourse_fixture_category_list_and_topic() -> None:
    cats = discourse.parse_categories(json.loads(fixture("discourse", "categories.json")))
    assert cats == {4: "Finasteride", 1: "Uncategorized"}
    assert discourse.subcategory_parents(json.loads(fixture("discourse", "categories.json"))) \
        == [4]
    cats.update(discourse.parse_categories(
        json.loads(fixture("discourse", "categories_parent_4.json"))))
    listing = discourse.parse_topic_list(json.loads(fixture("discourse", "c_finasteride_4.json")),
                                         "https://d.example", cats)
    assert listing.next_url == "https://d.example/c/finasteride/4/l/latest.json?page=1"
    first, second = listing.entries
    assert (first.external_id, first.num_comments, first.category) == ("412", 23, "Finasteride")
    assert first.created_at == at(2024, 3, 5, 14, 30)
    assert first.last_activity_at == at(2024, 3, 6, 13, 30)
    assert second.title == "RU58841 & me" and second.category == "Research"

    page = discourse.parse_topic(json.loads(fixture("discourse", "t_412.json")),
                                 "https://d.example", 1, cats)
    assert page.title == "Fin + min for 16 months, no regrowth"
    assert (page.score, page.num_comments, page.category) == (14, 23, "Finasteride")
    assert (page.last_page, page.next_url) == (2, "https://d.example/t/412.json?page=2")
    assert len(page.posts) == 20  # the small-action post (post_type 3) is left out
    opening = page.posts[0]
    assert opening.edited_at == at(2024, 3, 6, 14, 30)
    assert html_to_text(opening.body_html) == (
        "Started a study (https://pubmed.ncbi.nlm.nih.gov/10495374/) & more\n\n"
        "> ketoconazole works")
    page2 = discourse.parse_topic(json.loads(fixture("discourse", "t_412_page2.json")),
                                  "https://d.example", 2, cats)
    assert [p.position for p in page2.posts] == [21, 22, 23, 24] and page2.next_url is None


def test_discourse_malformed_documents_raise() -> None:
    with pytest.raises(ParseError):
        discourse.parse_topic_list({"users": []}, "https://d.example")
    with pytest.raises(ParseError):
        discourse.parse_topic({"id": 1}, "https://d.example")


def test_discourse_real_latest_pages() -> None:
    data = json.loads(realdata("discourse", "latest_order-activity_page0.json").read_text())
    listing = discourse.parse_topic_list(data, "https://sourcecred-test.discourse.group")
    assert len(listing.entries) == 30
    assert listing.next_url == ("https://sourcecred-test.discourse.group/latest.json?"
                                "ascending=false&no_definitions=true&order=activity&page=1")
    welcome = listing.entries[0]
    assert (welcome.external_id, welcome.title, welcome.num_comments) == \
        ("7", "Welcome to Discourse", 0)
    assert welcome.created_at == datetime(2019, 4, 2, 20, 20, 12, 879000, tzinfo=UTC)
    last = json.loads(realdata("discourse", "latest_order-activity_page1_last.json").read_text())
    last_page = discourse.parse_topic_list(last, "https://x")
    assert len(last_page.entries) == 10 and last_page.next_url is None


def test_discourse_real_categories() -> None:
    cats = discourse.parse_categories(json.loads(
        realdata("discourse", "categories_show_subcategory_list.json").read_text()))
    assert cats == {5: "Filler", 1: "Uncategorized", 2: "Site Feedback"}
    sub = discourse.parse_categories(json.loads(
        realdata("discourse", "categories_parent_category_id-5.json").read_text()))
    assert sub == {6: "Big Filler"}


def test_discourse_real_topics() -> None:
    liked = discourse.parse_topic(json.loads(
        realdata("discourse", "t_11_liked_and_edited_post.json").read_text()), "https://x", 1,
        {1: "Uncategorized"})
    assert liked.title == "My First Test Post"
    assert (liked.score, liked.num_comments) == (1, 2)
    assert liked.posts[0].created_at == datetime(2019, 8, 2, 11, 12, 29, 476000, tzinfo=UTC)
    assert liked.posts[0].edited_at == datetime(2019, 10, 24, 16, 51, 12, 95000, tzinfo=UTC)
    big = discourse.parse_topic(json.loads(realdata("discourse", "t_26_page1_of_2.json")
                                           .read_text()), "https://x", 1, {6: "Big Filler"})
    assert (big.title, big.category, big.num_comments) == ("Big Filler Topic 1", "Big Filler", 20)
    assert len(big.posts) == 20 and big.next_url == "https://x/t/26.json?page=2"
    rest = discourse.parse_topic(json.loads(realdata("discourse", "t_26_page2_of_2.json")
                                            .read_text()), "https://x", 2)
    assert [p.external_id for p in rest.posts] == ["54"] and rest.next_url is None
    mention = discourse.parse_topic(json.loads(
        realdata("discourse", "t_21_single_post_with_mention.json").read_text()), "https://x", 1)
    text = html_to_text(mention.posts[0].body_html, mention.url)
    assert "(https://sourcecred-test.discourse.group/t/my-first-test-post/11/4)" in text
    assert mention.score == 0


# -- XenForo 2 ----------------------------------------------------------------------------
def test_xenforo_fixture_forum_page() -> None:
    listing = xenforo.parse_forum_page(fixture("xenforo", "forum_view_finasteride_page1.html"),
                                       "https://hl.example/forums/finasteride.4/")
    assert listing.next_url == "https://hl.example/forums/finasteride.4/page-2"
    first, second = listing.entries
    assert first.external_id == "412" and first.title == "Fin + min for 16 months, no regrowth"
    assert (first.num_comments, first.score, first.category) == (23, 14, "Finasteride")
    assert first.created_at == at(2024, 3, 5, 14, 30)
    assert first.last_activity_at == at(2024, 3, 6, 13, 30)
    # a prefix label before the title link; "1.5K" replies and a "1.2K" reaction score
    assert second.title == "RU58841 experience thread"
    assert (second.num_comments, second.score) == (1500, 1200)
    assert second.url == "https://hl.example/threads/ru58841-experience-thread.399/"


def test_xenforo_fixture_thread_pages() -> None:
    url = "https://hl.example/threads/fin-min.412/"
    page = xenforo.parse_thread_page(fixture("xenforo", "thread_view_412_page1.html"), url)
    assert (page.external_id, page.title) == ("412", "Fin + min for 16 months, no regrowth")
    assert (page.category, page.score, page.page, page.last_page) == ("Finasteride", 14, 1, 2)
    assert page.next_url is not None and page.next_url.endswith(".412/page-2")
    opening = page.posts[0]
    assert opening.created_at == at(2024, 3, 5, 14, 30)
    assert opening.edited_at == at(2024, 3, 6, 14, 30)
    assert html_to_text(opening.body_html, url) == (
        "Started finasteride 1mg in 2022. Study: Kaufman 1998 "
        "(https://pubmed.ncbi.nlm.nih.gov/10495374/).\n\n> Minoxidil shed is normal\n"
        "Still shedding & thinning.")
    assert [p.score for p in page.posts[1:4]] == [1, 2, 0]
    page2 = xenforo.parse_thread_page(fixture("xenforo", "thread_view_412_page2.html"),
                                      url + "page-2")
    assert (page2.page, page2.next_url, len(page2.posts), page2.score) == (2, None, 4, None)


def test_xenforo_real_thread_page() -> None:
    text = realdata("xenforo", "xf2_thread_view_xenforo-community_threads_8276_2019.html") \
        .read_text(encoding="utf-8")
    page = xenforo.parse_thread_page(
        text, "https://xenforo.com/community/threads/a-dark-theme-option.8276/")
    assert (page.external_id, page.title) == ("8276", "a dark theme option")
    assert page.category == "XenForo suggestions"
    assert page.score == 15  # "Niro, Dadparvar, siONtI and 12 others"
    assert (page.page, page.last_page, page.next_url) == (1, 1, None)
    assert len(page.posts) == 8
    assert page.posts[0].created_at == at(2010, 11, 21, 10, 51, 58)
    assert page.posts[0].author == "dieketzer" and page.posts[0].external_id == "114210"
    assert [p.score for p in page.posts] == [15, 1, 1, 1, 0, 0, 1, 0]
    assert page.posts[-1].created_at is not None and page.posts[-1].created_at.year == 2019


def test_xenforo_1_real_thread_page() -> None:
    text = realdata("xenforo", "xf1_thread_view_sufficientvelocity_10402_page-54_2014.html") \
        .read_text(encoding="utf-8")
    page = xenforo.parse_thread_page(
        text, "https://forums.sufficientvelocity.com/threads/renascence-a-homura-quest.10402/"
        "page-54", ZoneInfo("America/New_York"))
    assert (page.external_id, page.title, page.category) == \
        ("10402", "Renascence: A Homura Quest", "Quests")
    assert page.url == "https://forums.sufficientvelocity.com/threads/" \
        "renascence-a-homura-quest.10402/"
    assert (page.page, page.last_page, page.score) == (54, 347, None)
    assert page.next_url == "https://forums.sufficientvelocity.com/threads/" \
        "renascence-a-homura-quest.10402/page-55"
    assert len(page.posts) == 25
    first, second = page.posts[:2]
    assert (first.external_id, first.author, first.position) == \
        ("2146286", "TheBleachDoctor", 1325)
    # span.DateTime title "Oct 30, 2014 at 10:48 PM", read as New York time (EDT)
    assert first.created_at == at(2014, 10, 31, 2, 48)
    assert second.score == 4  # "Like x 3" + "Hugs x 1"
    assert [p.edited_at for p in page.posts if p.edited_at] == [at(2014, 12, 4, 7, 29)]
    text = html_to_text(second.body_html, page.url)
    assert text.startswith("> Okay, I need rolls for OOC behavior. 2 of them.")
    assert "OOC behavior? which part?\n\n> Rolling.\n\nI think thats wrong dok." in text
    assert "said:" not in text and "Higure" not in text and "Click to expand" not in text
    body = html_to_text(first.body_html, page.url)
    assert body.startswith("Rolling.") and not body.startswith(">")


# -- phpBB 3 ------------------------------------------------------------------------------
def test_phpbb_fixture_viewforum() -> None:
    listing = phpbb.parse_viewforum(fixture("phpbb", "viewforum_f5_page1.html"),
                                    "https://b.example/viewforum.php?f=5", "https://b.example",
                                    UTC_ZONE)
    assert listing.next_url == "https://b.example/viewforum.php?f=5&start=25"
    first, second = listing.entries
    assert (first.external_id, first.title) == ("77", "Dutasteride mesotherapy results")
    assert (first.num_comments, first.score, first.category) == (29, None, "Treatments")
    assert first.created_at == at(2024, 3, 5, 14, 30)
    assert first.last_activity_at == at(2024, 3, 6, 19, 30)
    assert second.url == "https://b.example/viewtopic.php?t=399"


def test_phpbb_local_date_strings_use_the_source_timezone() -> None:
    listing = phpbb.parse_viewforum(fixture("phpbb", "viewforum_f5_local_dates.html"),
                                    "https://b.example/viewforum.php?f=5&start=25",
                                    "https://b.example", ZoneInfo("Europe/Berlin"))
    assert listing.next_url is None  # page 2 of 2
    assert listing.entries[0].created_at == at(2024, 3, 5, 13, 30)  # 14:30 CET
    page = phpbb.parse_viewtopic(fixture("phpbb", "viewtopic_t77_local_dates.html"),
                                 "https://b.example/viewtopic.php?t=77", "https://b.example",
                                 ZoneInfo("America/New_York"))
    assert page.posts[0].created_at == at(2024, 3, 5, 19, 30)  # 14:30 EST


def test_phpbb_relative_dates() -> None:
    now = at(2024, 6, 1, 12, 0)
    assert phpbb.local_time("Today, 9:15 am", UTC_ZONE, now) == at(2024, 6, 1, 9, 15)
    assert phpbb.local_time("Yesterday, 11:00 pm", UTC_ZONE, now) == at(2024, 5, 31, 23, 0)
    assert phpbb.local_time("not a date", UTC_ZONE, now) is None


def test_phpbb_fixture_viewtopic() -> None:
    page = phpbb.parse_viewtopic(fixture("phpbb", "viewtopic_t77_page1.html"),
                                 "https://b.example/viewtopic.php?t=77", "https://b.example",
                                 UTC_ZONE)
    assert (page.external_id, page.title, page.category) == \
        ("77", "Dutasteride mesotherapy results", "Treatments")
    assert page.score is None and page.num_comments == 29
    assert (page.page, page.last_page) == (1, 2)
    assert page.next_url == "https://b.example/viewtopic.php?t=77&start=25"
    assert len(page.posts) == 25 and page.posts[0].author == "member0"
    assert all(p.score is None for p in page.posts)
    assert html_to_text(page.posts[0].body_html, page.url) == (
        "Had 6 sessions. See the paper (https://doi.org/10.1111/jdv.12345)\n\n"
        "> quoted words\nDone.")
    page2 = phpbb.parse_viewtopic(fixture("phpbb", "viewtopic_t77_page2.html"),
                                  "https://b.example/viewtopic.php?t=77&start=25",
                                  "https://b.example", UTC_ZONE)
    assert (page2.page, page2.next_url, len(page2.posts)) == (2, None, 5)


def test_phpbb_real_viewtopic() -> None:
    text = realdata("phpbb", "phpbb3_viewtopic_ilovephilosophy_prosilver.html") \
        .read_text(encoding="utf-8", errors="replace")
    page = phpbb.parse_viewtopic(text, "http://ilovephilosophy.com/viewtopic.php?f=1&t=194998"
                                 "&start=25", "http://ilovephilosophy.com", UTC_ZONE)
    assert (page.external_id, page.title, page.category) == \
        ("194998", "Biological Will", "Philosophy")
    assert page.num_comments == 246  # "247 posts"
    assert (page.page, page.last_page) == (2, 10)
    assert page.next_url == "http://ilovephilosophy.com/viewtopic.php?f=1&t=194998&start=50"
    assert page.score is None and len(page.posts) == 25
    first = page.posts[0]
    assert (first.external_id, first.author) == ("2729870", "Jakob")
    # "Sun May 26, 2019 4:34 pm" under "All times are UTC [ DST ]": phpBB 3.0 added the
    # DST hour, so the true time is 15:34 UTC (whatever the source's timezone says)
    assert first.created_at == at(2019, 5, 26, 15, 34)
    assert page.posts[4].created_at == at(2019, 5, 26, 16, 32)  # "5:32 pm"
    quoted = html_to_text(page.posts[4].body_html, page.url)
    # the quote is marked, but its "Urwrongx1000 wrote:" header (a member's name) is not kept
    assert quoted.startswith("> I don't know if you've read this thread but you should")
    assert "Urwrongx1000" not in quoted and "wrote:" not in quoted


def test_phpbb_malformed_page_raises() -> None:
    with pytest.raises(ParseError):
        phpbb.parse_viewtopic("<html><body><h2>x</h2></body></html>",
                              "https://b.example/viewtopic.php?t=1", "https://b.example",
                              UTC_ZONE)


@pytest.mark.parametrize(("base", "relative", "expected"), [
    ("https://d.example", "/latest?page=1", "https://d.example/latest.json?page=1"),
    ("https://d.example/forum/", "/forum/latest?page=1",
     "https://d.example/forum/latest.json?page=1"),
    ("https://d.example/forum", "/c/hair/5?page=2", "https://d.example/forum/c/hair/5.json?page=2"),
    ("https://d.example/forum", "/forumx/latest", "https://d.example/forum/forumx/latest.json"),
    ("https://d.example/forum", "https://d.example/forum/latest.json?page=3",
     "https://d.example/forum/latest.json?page=3"),
])
def test_discourse_json_url_keeps_one_subfolder(base: str, relative: str, expected: str) -> None:
    assert discourse.json_url(base, relative) == expected
