"""Reddit JSON parsing: own fixtures in the OAuth format, and the recorded real responses."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from scrapers.parsers.common import from_epoch as utc_from_epoch
from scrapers.parsers.reddit import (
    MalformedRecord,
    markdown_to_text,
    parse_comments,
    parse_listing,
    thread_from_post,
)
from tests.conftest import realdata

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "reddit"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def real(name: str) -> Any:
    path = realdata("reddit", name)
    return json.loads(path.read_text(encoding="utf-8"))


# --- own fixtures -------------------------------------------------------------------------

def test_listing_page_threads_cursor_and_drops() -> None:
    page = parse_listing(load("new_page1.json"), "tressless")
    assert page.after == "t3_1ab003"
    assert [t.external_id for t in page.threads] == ["1ab001", "1ab002", "1ab003"]
    assert page.dropped == {"missing_title": 1}
    first = page.threads[0]
    assert first.title == "Fin + min 16 months, no regrowth?"
    assert first.source == "tressless"
    assert first.url == ("https://www.reddit.com/r/tressless/comments/1ab001/"
                         "fin_+_min_16_months,_no_regrow/")
    assert first.category == "Finasteride/Dutasteride"
    assert first.score == 57 and first.num_comments == 23
    assert first.created_at == datetime(2024, 11, 23, 22, 13, 20, tzinfo=UTC)
    assert first.edited_at == datetime(2024, 11, 23, 23, 13, 20, 500000, tzinfo=UTC)
    assert first.last_activity_at == first.edited_at
    assert first.author == "hair_user"


def test_selftext_markdown_becomes_text_with_urls() -> None:
    body = parse_listing(load("new_page1.json"), "s").threads[0].body or ""
    assert "Started 1mg fin and 5% min in 2023." in body
    assert "> is this shedding?" in body  # quotes stay marked
    assert "RU58841 study (https://pubmed.ncbi.nlm.nih.gov/12345678/)" in body
    assert "https://doi.org/10.1000/xyz_123" in body  # markdown escape removed from the URL
    assert "& this one" in body and "<3" in body  # raw_json: no entity decoding needed


def test_link_post_puts_its_url_in_the_body() -> None:
    link_post = parse_listing(load("new_page1.json"), "s").threads[1]
    assert link_post.body == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5775114/"
    assert link_post.category == "Research/Science"
    assert link_post.edited_at is None


def test_deleted_author_and_body() -> None:
    deleted = parse_listing(load("new_page1.json"), "s").threads[2]
    assert deleted.author is None
    assert deleted.body == ""
    assert deleted.category is None


def test_last_page_has_no_cursor_and_empty_listing() -> None:
    page = parse_listing(load("new_page2_last.json"), "s")
    assert page.after is None
    assert [t.title for t in page.threads] == ["Microneedling 1.5mm weekly",
                                               "Old progress update"]
    assert page.threads[1].body == "https://i.redd.it/abc.jpeg"
    empty = parse_listing(load("empty_listing.json"), "s")
    assert empty.threads == [] and empty.after is None and empty.dropped == {}


def test_comments_top_replies_by_score_with_more_stubs() -> None:
    result = parse_comments(load("comments_1ab001.json"), "tressless", limit=10)
    assert result.thread is not None
    assert result.thread.score == 60 and result.thread.num_comments == 24
    # [removed] is skipped; the nested reply counts; sorted by score
    assert [(r.external_id, r.score) for r in result.replies] == [
        ("c0002", 40), ("c0001", 35), ("c0004", 5), ("c0005", -2)]
    deleted = result.replies[2]
    assert deleted.author is None and deleted.body == "Deleted user still has text & stays"
    assert result.replies[0].body.endswith("https://doi.org/10.1016/j.jaad.2006.05.007")
    assert result.replies[1].created_at == datetime.fromtimestamp(1732400500, UTC)
    assert result.more_stubs == 2 and result.more_count == 17
    assert [r.external_id for r in parse_comments(load("comments_1ab001.json"), "t",
                                                   limit=2).replies] == ["c0002", "c0001"]


def test_malformed_inputs_raise_or_drop() -> None:
    with pytest.raises(MalformedRecord):
        parse_listing({"error": 403, "message": "Forbidden"}, "s")
    with pytest.raises(MalformedRecord):
        parse_comments({"kind": "Listing"}, "s", 5)
    with pytest.raises(MalformedRecord) as exc:
        thread_from_post({"id": "x1", "title": "t", "created_utc": "soon"}, "s")
    assert exc.value.reason == "missing_created_at"
    page = parse_listing({"kind": "Listing", "data": {"after": None, "children": [
        {"kind": "t5", "data": {}}, "junk", {"kind": "t3", "data": None}]}}, "s")
    assert page.threads == []
    assert page.dropped == {"not_a_submission": 2, "not_an_object": 1}


def test_markdown_and_time_helpers() -> None:
    assert markdown_to_text("a &amp; b &gt; c", escaped=True) == "a & b > c"
    assert markdown_to_text("a &amp; b") == "a &amp; b"
    assert markdown_to_text("[https://x.org/a](https://x.org/a)") == "https://x.org/a"
    assert markdown_to_text("~~old~~ __new__ \\*not bold\\*") == "old new *not bold*"
    assert markdown_to_text("&#x200B;\n\n\n\nhi") == "hi"
    assert utc_from_epoch("1600000000") == datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC)
    assert utc_from_epoch(None) is None and utc_from_epoch(True) is None


# --- recorded real responses (skipped when ../shared/realdata is absent) -------------------

def test_real_tressless_public_listing_escaped() -> None:
    page = parse_listing(real("r_tressless_top_t-all_limit100.public_json.2025.json"),
                         "tressless", escaped=True)
    assert len(page.threads) == 100 and page.dropped == {}
    assert page.after == "t3_165nx4o"
    top = page.threads[0]
    assert top.title == "12 months after transplant. Did they overharvest my donor area?"
    assert (top.score, top.num_comments, top.category) == (62607, 9802, "Satire")
    assert top.created_at == datetime.fromtimestamp(1755455323, UTC)
    assert top.body == "https://i.redd.it/2oi9j0byhmjf1.jpeg"
    by_id = {t.external_id: t for t in page.threads}
    vitamins = by_id["1k2i88y"]
    assert vitamins.category == "Progress Pictures"
    assert "Dr. Berg D3 & K2" in (vitamins.body or "")  # &amp; decoded
    theory = by_id["mx6ncc"]
    assert theory.category == "Research/Science"
    assert theory.edited_at == datetime.fromtimestamp(1622587780, UTC)
    assert "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5775114/" in (theory.body or "")
    assert "sulpharaphane_enhances" in (theory.body or "")  # \_ unescaped inside the URL
    assert sum(1 for t in page.threads if t.author is None) == 7
    flairs = {t.category for t in page.threads}
    assert {"Minoxidil", "Finasteride/Dutasteride", "Transplants"} <= flairs
    assert all(t.category for t in page.threads)
    # the same file without unescaping keeps the entity: the flag matters
    raw = parse_listing(real("r_tressless_top_t-all_limit100.public_json.2025.json"), "t")
    assert "D3 &amp; K2" in ({t.external_id: t for t in raw.threads}["1k2i88y"].body or "")


def test_real_popular_oauth_listing() -> None:
    page = parse_listing(real("r_popular_hot_limit100.oauth_rawjson.2026.json"), "p")
    assert len(page.threads) == 100 and page.after == "t3_1skbyfv"
    assert sum(1 for t in page.threads if t.category) == 68
    first = page.threads[0]
    assert first.external_id == "1skjxta" and first.score == 546
    assert first.num_comments == 495 and first.category == "Media"
    assert "https://x.com/arielhelwani/status/2043757261882044451" in (first.body or "")
    assert "https://streamable.com/ql7tuy" in (first.body or "")
    assert any(t.edited_at is not None for t in page.threads)
    assert any(t.edited_at is None for t in page.threads)


def test_real_askreddit_new_and_last_page_and_empty() -> None:
    page = parse_listing(real("r_askreddit_new_limit100.oauth_rawjson.2020.json"), "a")
    assert len(page.threads) == 100 and page.after == "t3_hozfbb"
    first = page.threads[0]
    assert first.title == "What is best thing America has done for the world?"
    assert first.created_at == datetime.fromtimestamp(1594424685, UTC)
    assert (first.score, first.num_comments) == (3, 3)
    last = parse_listing(real("r_all_new_before_cursor_last_page.oauth_rawjson.2021.json"), "a")
    assert len(last.threads) == 7 and last.after is None
    assert last.threads[0].body == "https://youtu.be/IZkPn9kjRFEt"
    empty = parse_listing(real("empty_listing.oauth_rawjson.2020.json"), "a")
    assert empty.threads == [] and empty.after is None


def test_real_comments_with_more_stubs() -> None:
    result = parse_comments(real("comments_3hahrw_limit10_with_more.oauth_rawjson.2017.json"),
                            "f", limit=10)
    assert result.thread is not None
    assert result.thread.title == "Ba Dum Tsss"
    assert (result.thread.score, result.thread.num_comments) == (29790, 537)
    assert result.thread.body == "http://i.imgur.com/eoF76hj.gifv"
    assert len(result.replies) == 10
    assert [r.score for r in result.replies[:2]] == [1445, 1127]
    assert result.replies[0].external_id == "cu5oif1"
    assert result.more_stubs == 11


def test_real_comments_deep_chain_and_empty_replies() -> None:
    chain = parse_comments(
        real("comments_6otocc_deep_chain_continue_thread.oauth_rawjson.2020.json"), "t", 50)
    assert chain.thread is not None and chain.thread.num_comments == 32
    assert len(chain.replies) == 10  # ten levels, ending in a "continue this thread" stub
    assert chain.more_stubs == 1 and chain.more_count == 0
    small = parse_comments(real("comments_jlbw48.oauth_rawjson.2022.json"), "t", 10)
    assert small.thread is not None and small.thread.category == "test 2"
    assert small.thread.num_comments == 6
    assert "gao5889" in {r.external_id for r in small.replies}  # a leaf with replies: ""
    assert len(small.replies) == 6
