"""The web view's cards built in Python (`render.web_card`) are the digests' `card` macro's
HTML, byte for byte, for cards with and without each optional part."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from aggregator.digest.views import post_view
from hairlink.web.render import environment, thread_href, treatment_href, web_card
from models.post_types import Post, ReplyRef

NOW = datetime(2026, 12, 2, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> & \'quote\''


def _post(**changes: object) -> Post:
    base: dict[str, object] = dict(
        id=7, source="tressless", source_kind="reddit", external_id="t3_7",
        url="https://www.reddit.com/r/tressless/comments/7/", title="Minoxidil  at 6 months",
        category="progress", score=41, num_comments=1,
        created_at=NOW - timedelta(days=40), body_start="Started in May.",
        treatments=["minoxidil", "finasteride"], summary="",
        outcomes={"minoxidil": {"effect": "improved", "side_effects": ["shedding"]},
                  "finasteride": {"effect": "none", "side_effects": []}},
        replies=[ReplyRef(score=5, created_at=None, body="Looks thicker."),
                 ReplyRef(score=None, created_at=None, body=HOSTILE)])
    base.update(changes)
    return Post(**base)  # type: ignore[arg-type]


CASES = {
    "full": {},
    "summary": {"summary": "It  worked\nwell."},
    "bare": {"treatments": [], "outcomes": {}, "replies": None, "body_start": "",
             "url": "", "num_comments": 0, "score": None},
    "sample link": {"url": "http://127.0.0.1:8081/t/7", "title": ""},
    "hostile": {"title": HOSTILE, "body_start": HOSTILE, "category": HOSTILE,
                "treatments": [HOSTILE], "summary": HOSTILE, "url": 'https://x.org/a"b<c',
                "outcomes": {HOSTILE: {"effect": "mixed", "side_effects": [HOSTILE]}}},
    "study link": {"link_kind": "citation", "relevance": 0.9},
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_web_card_is_the_macro(case: str) -> None:
    view = post_view(_post(**CASES[case]), NOW)
    macro = environment().from_string(
        '{%- from "_post.html.j2" import card -%}'
        "{{ card(post, thread_href(post.post.id), treatment_href) }}")
    expected = macro.render(post=view, thread_href=thread_href, treatment_href=treatment_href)
    got = str(web_card(view))
    assert got == expected
    assert "<script>" not in got
