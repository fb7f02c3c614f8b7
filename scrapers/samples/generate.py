"""Generate the bundled sample communities and study set from the content table.

    python -m scrapers.samples.generate      # rewrites scrapers/samples/data/

Deterministic (a fixed seed and a fixed reference date), so the committed files only change
when the content table or this script does. Output, under `data/`:

- `routes.json`: what the sample server answers: method, path, query constraints, file
- `manifest.json`: what a crawl of the samples must store (threads with scores, times,
  categories and the studies they cite), read by the end-to-end test
- one directory per community and study service, in the real formats
"""

from __future__ import annotations

import html
import json
import random
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from models.source_kinds import source_kind
from scrapers.samples import layout
from scrapers.samples.content.posters import CLOSERS, OPENERS, USERNAMES
from scrapers.samples.content.replies import REPLIES
from scrapers.samples.content.topic_titles import EXTRA_TITLES
from scrapers.samples.content.topics import TOPICS, Topic
from scrapers.samples.studies import JOURNAL, PUBMED_TERM, STUDIES, study

DATA_DIR = Path(__file__).parent / "data"
# Every sample timestamp lies within two years before this instant.
REFERENCE = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SEED = 20261101
THREADS_PER_COMMUNITY = 40


@dataclass
class Reply:
    """One generated reply."""

    id: int
    author: str
    text: str
    score: int
    created: datetime


@dataclass
class Thread:
    """One generated thread, platform-neutral."""

    id: int
    slug: str
    title: str
    body: str               # with citation markers resolved per platform at render time
    category: str
    author: str
    created: datetime
    score: int
    replies: list[Reply]
    extra_comments: int = 0  # reddit: comments beyond the top replies (behind a "more")
    cites: list[str] = field(default_factory=list)

    @property
    def last_activity(self) -> datetime:
        """The time of the last reply, else the creation time."""
        return max([self.created, *(r.created for r in self.replies)])


# -- citations -----------------------------------------------------------------------------

def citation_target(key: str, style: int) -> tuple[str, bool]:
    """(text, is_url) for citing study `key` in style `style` (cycled per use)."""
    item = study(key)
    styles: list[tuple[str, bool]] = [
        (f"https://doi.org/{item['doi']}", True),
        (f"https://pubmed.ncbi.nlm.nih.gov/{item['pmid']}/", True),
        (f"PMID: {item['pmid']}", False),
        (f"doi:{item['doi']}", False),
        (f"https://dx.doi.org/{item['doi']}", True),
    ]
    if item["pmcid"]:
        styles.append((f"https://www.ncbi.nlm.nih.gov/pmc/articles/{item['pmcid']}/", True))
    return styles[style % len(styles)]


class Citer:
    """Formats citations for one platform, cycling through the ways people post them."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.count = 0

    def __call__(self, key: str) -> str:
        target, is_url = citation_target(key, self.count)
        labelled = self.count % 3 == 1
        self.count += 1
        if not is_url:
            return target
        if self.platform == "reddit":
            return f"[the study]({target})" if labelled else target
        # HTML forums: the marker is replaced by an anchor at render time.
        return f"\x00{target}\x01{'this paper' if labelled else target}\x02"


def html_text(text: str) -> str:
    """Escape forum text and turn citation anchors into links, newlines into <br />."""
    out: list[str] = []
    rest = text
    while "\x00" in rest:
        before, _, tail = rest.partition("\x00")
        href, _, tail = tail.partition("\x01")
        label, _, rest = tail.partition("\x02")
        out.append(html.escape(before, quote=False))
        out.append(f'<a href="{html.escape(href)}" class="link link--external" '
                   f'rel="nofollow ugc noopener">{html.escape(label, quote=False)}</a>')
    out.append(html.escape(rest, quote=False))
    return "".join(out).replace("\n", "<br />\n")


def plain_text(text: str) -> str:
    """Markdown/plain rendering: anchors become their URL (or `label (url)`)."""
    out = text
    while "\x00" in out:
        before, _, tail = out.partition("\x00")
        href, _, tail = tail.partition("\x01")
        label, _, rest = tail.partition("\x02")
        out = before + (href if label == href else f"[{label}]({href})") + rest
    return out


# -- thread generation ---------------------------------------------------------------------

CATEGORIES = {
    "reddit": {"question": "Question", "progress": "Progress Pictures", "research": "Research",
               "routine": "Routine Help", "sides": "Side Effects", "general": "Discussion"},
    "discourse": {"question": "Treatments", "progress": "Progress Reports",
                  "research": "Research & Studies", "routine": "Treatments",
                  "sides": "Side Effects", "general": "General"},
}


def slugify(title: str) -> str:
    """A URL slug like forums make them."""
    chars = [c.lower() if c.isalnum() else "-" for c in title]
    slug = "-".join(part for part in "".join(chars).split("-") if part)
    return slug[:60].rstrip("-") or "thread"


def _score(rng: random.Random, platform: str, kind: str) -> int:
    boost = 1.6 if kind in ("progress", "research") else 1.0
    if platform == "reddit":
        return max(0, min(2400, int(rng.lognormvariate(3.4, 1.2) * boost)))
    return max(0, min(80, int(rng.lognormvariate(1.3, 0.9) * boost)))


def _reply_lines(topic: Topic, rng: random.Random, count: int) -> list[tuple[str, str | None]]:
    """(text, cited study key) for the replies of a topic."""
    themed = [line for line in REPLIES.get(topic.theme, []) if "{cite}" not in line]
    general = [line for line in REPLIES["general"] if "{pmid_fin}" not in line]
    pool = themed + general
    rng.shuffle(pool)
    lines: list[tuple[str, str | None]] = [(line, None) for line in pool[:count]]
    if topic.reply_cite:
        cite_lines = [line for line in REPLIES.get(topic.theme, []) if "{cite}" in line]
        if cite_lines:
            lines.insert(0, (cite_lines[0], topic.reply_cite))
        else:
            lines.insert(0, ("The long-term finasteride follow-up is PMID {pmid_fin}, if "
                             "anyone wants it.", topic.reply_cite))
    return lines


PLATFORMS = ("reddit", "discourse", "xenforo", "phpbb", "vbulletin")


def make_threads(platform: str, offset: int, first_id: int, categories: dict[str, str],
                 rng: random.Random) -> list[Thread]:
    """Forty threads for one community, from the topic table rotated by `offset`; each
    community words a topic with its own title."""
    citer = Citer(platform)
    threads: list[Thread] = []
    picks = [(offset + i) % len(TOPICS) for i in range(THREADS_PER_COMMUNITY)]
    next_reply = first_id * 10
    for index, pick in enumerate(picks):
        topic = TOPICS[pick]
        if platform == "vbulletin":  # a thread prefix, as vBulletin boards use them
            title = f"{layout.VBULLETIN_PREFIX[topic.kind]} {topic.titles[1]}"
        else:
            title = (*topic.titles, *EXTRA_TITLES[pick])[PLATFORMS.index(platform)]
        created = REFERENCE - timedelta(days=rng.uniform(1, 728), seconds=rng.randint(0, 86399))
        cites: list[str] = []
        body = topic.body
        if topic.cite:
            body = body.replace("{cite}", citer(topic.cite))
            cites.append(topic.cite)
        opener, closer = rng.choice(OPENERS[platform]), rng.choice(CLOSERS[platform])
        body = "\n\n".join(part for part in (opener, body, closer) if part)
        replies: list[Reply] = []
        when = created
        for text, cited in _reply_lines(topic, rng, rng.randint(1, 5)):
            if cited:
                text = text.replace("{cite}", citer(cited)).replace(
                    "{pmid_fin}", study(cited)["pmid"])
                cites.append(cited)
            when = when + timedelta(minutes=rng.randint(5, 60 * 30))
            next_reply += 1
            replies.append(Reply(id=next_reply, author=rng.choice(USERNAMES), text=text,
                                 score=max(0, int(rng.lognormvariate(1.5, 1.1))),
                                 created=min(when, REFERENCE)))
        threads.append(Thread(
            id=first_id + index, slug=slugify(title), title=title, body=body,
            category=categories[topic.kind], author=rng.choice(USERNAMES), created=created,
            score=_score(rng, platform, topic.kind), replies=replies,
            extra_comments=rng.randint(0, 40) if platform == "reddit" else 0,
            cites=sorted(set(cites))))
    return threads


def iso_z(when: datetime) -> str:
    """Discourse style: 2025-03-01T14:22:05.000Z."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def iso_offset(when: datetime) -> str:
    """XenForo/phpBB style: 2025-03-01T14:22:05+0000 / +00:00."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


# -- writers -------------------------------------------------------------------------------

class Writer:
    """Writes files under DATA_DIR and collects the routes that serve them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.routes: list[dict[str, Any]] = []

    def file(self, rel: str, content: str | bytes) -> str:
        """Write one data file; returns its path relative to the data dir."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        return rel

    def json(self, rel: str, payload: Any) -> str:
        """Write JSON compactly, one file per response."""
        return self.file(rel, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")

    def route(self, path: str, rel: str, content_type: str, *, method: str = "GET",
              query: dict[str, str | None] | None = None) -> None:
        """Serve `rel` at `path` when the query matches (`None`: parameter absent/empty)."""
        self.routes.append({"method": method, "path": path, "query": query or {},
                            "file": rel, "content_type": content_type})


def generate(root: Path = DATA_DIR) -> dict[str, Any]:
    """Write every sample file under `root`; returns the manifest."""
    from scrapers.samples import (
        render_discourse,
        render_phpbb,
        render_reddit,
        render_studies,
        render_vbulletin,
        render_xenforo,
    )

    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    writer = Writer(root)
    rng = random.Random(SEED)
    manifest: dict[str, Any] = {"reference": REFERENCE.isoformat(), "communities": {},
                                "studies": [], "pubmed_term": PUBMED_TERM}

    reddit = make_threads("reddit", 0, 1000, CATEGORIES["reddit"], rng)
    render_reddit.write(writer, reddit, rng)
    discourse = make_threads("discourse", 9, 2000, CATEGORIES["discourse"], rng)
    render_discourse.write(writer, discourse, rng)
    xenforo = make_threads("xenforo", 21, 3000, layout.XENFORO_FORUM_OF_KIND, rng)
    render_xenforo.write(writer, xenforo, rng)
    phpbb = make_threads("phpbb", 33, 4000, layout.PHPBB_FORUM_OF_KIND, rng)
    render_phpbb.write(writer, phpbb, rng)
    vbulletin = make_threads("vbulletin", 45, 5000, layout.VBULLETIN_FORUM_OF_KIND, rng)
    render_vbulletin.write(writer, vbulletin, rng)
    render_studies.write(writer)

    for platform, threads in (("reddit", reddit), ("discourse", discourse),
                              ("xenforo", xenforo), ("phpbb", phpbb),
                              ("vbulletin", vbulletin)):
        manifest["communities"][platform] = [_manifest_thread(platform, t) for t in threads]
    manifest["studies"] = [{"key": s["key"], "pmid": s["pmid"], "doi": s["doi"],
                            "pmcid": s["pmcid"], "title": s["title"],
                            "journal": JOURNAL, "tldr": s["tldr"],
                            "citation_count": s["citations"]} for s in STUDIES]
    writer.json("routes.json", writer.routes)
    writer.json("manifest.json", manifest)
    return manifest


def _manifest_thread(platform: str, thread: Thread) -> dict[str, Any]:
    return {
        "external_id": layout.external_id(platform, thread.id),
        "title": thread.title,
        "category": thread.category,
        "score": thread.score if source_kind(platform).score_noun else None,
        # vBulletin prints minutes, not seconds
        "created_at": thread.created.replace(
            microsecond=0, second=0 if platform == "vbulletin" else thread.created.second)
        .isoformat(),
        "replies": len(thread.replies),
        "num_comments": len(thread.replies) + thread.extra_comments,
        "cites": thread.cites,
    }


def main() -> None:
    """Regenerate the data directory and say what was written."""
    manifest = generate()
    counts = {k: len(v) for k, v in manifest["communities"].items()}
    print(f"wrote {DATA_DIR}: threads {counts}, studies {len(manifest['studies'])}")


if __name__ == "__main__":
    main()
