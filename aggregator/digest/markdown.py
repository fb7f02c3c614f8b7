"""The Markdown digest of a study: its head, the citing and topical threads with their
details, the research sections. Scraped text is put on one line with every Markdown markup
character escaped (`md_escape`).
"""

from __future__ import annotations

import re
from typing import Any

from aggregator.digest.present import SAMPLE_LINK_NOTE
from aggregator.digest.research import ResearchView
from aggregator.digest.views import DigestView, PostView, StudyView
from aggregator.outcome_types import READER_NOTE

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+|~!&])")


def md_escape(text: str) -> str:
    """Scraped text for Markdown: one line, every markup character backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29")


def render_markdown(view: DigestView, **_: Any) -> str:
    """A Markdown digest: the study, then citing and topical threads with their details."""
    lines = markdown_study(view.study)
    lines += ["", f"## Related Community Posts ({view.shown} / {view.related_total})"]
    if view.community:
        lines += ["", "### What the community reports", ""]
        lines += [f"- {md_escape(c.line)}" for c in view.community]
        lines += ["", f"_{READER_NOTE}_"]
    sections = [("Threads citing this study", view.citing, view.citing_total),
                ("Threads on the same topic", view.topical, view.topical_total)]
    for heading, posts, total in sections:
        if not total:
            continue
        lines += ["", f"### {heading} ({len(posts)} / {total})", ""]
        for number, post in enumerate(posts, 1):
            lines += markdown_post(number, post)
    if not view.related_total:
        lines += ["", "No community threads are linked to this study yet."]
    lines += markdown_research(view.research)
    return "\n".join(lines) + "\n"


def markdown_study(s: StudyView) -> list[str]:
    """The study's head of a Markdown digest: title, journal, authors, TLDR, summary, link."""
    lines = [f"# {md_escape(s.title or s.key)}", ""]
    meta = [f"*{md_escape(s.journal)}*" if s.journal else "", md_escape(s.published),
            md_escape(s.key)]
    lines.append(" · ".join(m for m in meta if m))
    if s.authors:
        lines += ["", md_escape(s.authors)]
    if s.treatment_chips:
        lines += ["", "Treatments: " + ", ".join(md_escape(name)
                                                 for _, name in s.treatment_chips)]
    if s.tldr:
        lines += ["", f"**TLDR:** {md_escape(s.tldr)}"]
    if s.abstract:
        lines += ["", "## Summary", "", md_escape(s.abstract)]
    paper = [f"[Read the paper]({_md_url(s.url)})" if s.url else "no link to the paper"]
    if s.citation_count is not None:
        paper.append(f"cited by {s.citation_count:,}")
    return [*lines, "", " · ".join(paper)]


def markdown_post(number: int, post: PostView) -> list[str]:
    """One numbered thread of a Markdown digest with its treatments, outcomes and replies."""
    title = md_escape(post.title)
    link = f"[{title}]({_md_url(post.url)})" if post.url else title
    if post.sample_link:
        link += f" ({SAMPLE_LINK_NOTE})"
    details = " · ".join([post.score_label, post.comments_label, post.age,
                          md_escape(post.community)])
    lines = [f"{number}. **{link}** — {details}"]
    if post.treatment_chips:
        names = ", ".join(md_escape(name) for _, name in post.treatment_chips)
        lines.append(f"   Treatments: {names}")
    if post.outcomes:
        lines.append("   Reported: " + "; ".join(md_escape(o.label) for o in post.outcomes))
    if post.summary or post.excerpt:
        lines.append(f"   > {md_escape(post.summary or post.excerpt)}")
    lines += [f"   - {md_escape(reply.score)}: {md_escape(reply.text)}"
              for reply in post.replies]
    return lines


def markdown_research(research: ResearchView) -> list[str]:
    """The research sections of a Markdown digest (catalogue studies by their key)."""
    lines = ["", f"## {research.references_heading}", ""]
    if not research.references:
        lines.append("No reference list is stored for this study.")
    for number, item in enumerate(research.references, 1):
        label = md_escape(item.label)
        text = f"[{label}]({_md_url(item.url)})" if item.url else label
        where = f" — in this catalogue: {md_escape(item.key)}" if item.key else ""
        lines.append(f"{number}. {text}{where}")
    lines += ["", f"## {research.cited_by_heading}", ""]
    for number, item in enumerate(research.cited_by, 1):
        lines.append(f"{number}. {md_escape(item.label)} — {md_escape(item.key or '')}")
    lines += ["", f"## {research.similar_heading}", ""]
    if not research.similar:
        lines.append("No similar studies yet (run `hairlink aggregate`).")
    for number, item in enumerate(research.similar, 1):
        score = f" · similarity {item.score:.2f}" if item.score is not None else ""
        lines.append(f"{number}. {md_escape(item.label)} — {md_escape(item.key or '')}{score}")
    return lines
