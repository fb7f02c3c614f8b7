"""The Atom feed digest of a study: its newest related threads (characters XML cannot hold
are dropped from scraped text, `_xml_text`)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from feedgen.feed import FeedGenerator

from aggregator.digest.views import DigestView
from models.digest_queries import newest_related

FEED_ENTRIES = 20
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str | None) -> str:
    return _XML_INVALID.sub("", text or "")


def render_atom(view: DigestView, now: datetime, **_: Any) -> str:
    """An Atom feed of the study's newest related threads."""
    s = view.study
    feed = FeedGenerator()
    feed.id(f"urn:hairlink:study:{s.id}")
    feed.title(_xml_text(f"Community threads: {s.title or s.key}"))
    feed.author({"name": "hairlink"})
    research = view.research
    feed.subtitle(_xml_text(
        f"{view.related_total} related threads · {s.key} · cites {research.references_total}"
        f" papers ({research.references_in_catalogue} here) · {research.cited_by_heading} · "
        f"similar: {'; '.join(i.label for i in research.similar) or 'none yet'}"))
    if s.url:
        feed.link(href=s.url, rel="related")
    by_post = {id(p.post): p for p in [*view.citing, *view.topical]}
    newest = newest_related(view.data, FEED_ENTRIES)
    feed.updated(max((p.created_at for p in newest), default=now))
    for post in newest:
        shown = by_post[id(post)]
        entry = feed.add_entry(order="append")
        entry.id(f"urn:hairlink:thread:{post.id}")
        entry.title(_xml_text(shown.title))
        if shown.url:
            entry.link(href=shown.url, rel="alternate")
        entry.published(post.created_at)
        entry.updated(post.created_at)
        summary = f"{shown.score_label} · {shown.comments_label} · {shown.community}"
        if shown.outcomes:
            summary += " · " + "; ".join(o.label for o in shown.outcomes)
        if shown.summary or shown.excerpt:
            summary += f" — {shown.summary or shown.excerpt}"
        entry.summary(_xml_text(summary))
        if not shown.url:  # Atom wants a link or content: an unsafe URL is not linked
            entry.content(_xml_text(summary), type="text")
        for treatment, name in shown.treatment_chips:  # the id as term, the name as label
            entry.category(term=_xml_text(treatment), label=_xml_text(name))
    return feed.atom_str(pretty=True).decode("utf-8")
