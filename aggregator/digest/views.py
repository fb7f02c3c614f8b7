"""View models: a digest's study and posts as display-ready, still unescaped, plain values.

Templates escape them (Jinja2 autoescape); Markdown and terminal output escape their own way.
URLs here are already filtered to plain http(s) (None otherwise).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from aggregator.digest.present import (
    age,
    authors_line,
    community_line,
    excerpt,
    file_stem,
    is_loopback_url,
    month_year,
    safe_url,
    score_label,
    study_key,
    study_url,
)
from aggregator.digest.research import ResearchView, research_view
from aggregator.outcome_types import side_effect_label
from models.digest_queries import CommunityReport, StudyDigestData
from models.post_types import Post
from models.treatment_names import in_sentence, treatment_name

EFFECT_LABELS = {"improved": "improved", "no_effect": "no effect", "mixed": "mixed"}
_REPORT_WORDS = {"improved": "report improvement", "no_effect": "no effect", "mixed": "mixed"}


# A treatment as a chip shows it: (id, display name); links and classes use the id.
Chip = tuple[str, str]


def chips(treatments: list[str], names: Mapping[str, str] | None) -> list[Chip]:
    """Each treatment id with its display name (`models.treatment_names`)."""
    return [(t, treatment_name(t, names)) for t in treatments]


@dataclass
class OutcomeChip:
    """One treatment's outcome on a post card: "Minoxidil: improved · body hair"."""

    treatment: str  # its id
    effect: str  # improved | no_effect | mixed | none
    side_effects: list[str]  # ids
    name: str = ""  # the treatment's display name ("" : from its id)

    @property
    def label(self) -> str:
        """"Name: effect · side effect · ..." (no effect word for `none`)."""
        parts = [EFFECT_LABELS.get(self.effect, ""), *map(side_effect_label, self.side_effects)]
        name = self.name or treatment_name(self.treatment)
        return f"{name}: {' · '.join(p for p in parts if p)}"


@dataclass
class ReplyView:
    """A top reply under a post card."""

    score: str
    text: str


@dataclass
class CommunityView:
    """"What the community reports" about one of the study's treatments."""

    treatment: str  # its id
    threads: int
    effects: dict[str, int]
    side_effects: list[tuple[str, int]]  # (side effect id, threads)
    line: str  # in words, with the treatment's display name and readable side effects


@dataclass
class PostView:
    """One related thread as a digest card shows it."""

    title: str
    url: str | None
    kind: str
    score_label: str
    comments_label: str
    age: str
    created_iso: str
    community: str
    treatments: list[str]  # ids
    excerpt: str
    relevance: float | None
    post: Post
    treatment_chips: list[Chip] = field(default_factory=list)
    summary: str = ""
    outcomes: list[OutcomeChip] = field(default_factory=list)  # treatments reporting anything
    replies: list[ReplyView] = field(default_factory=list)
    sample_link: bool = False  # the URL is on a loopback server (the demo's samples)


@dataclass
class StudyView:
    """The study header of a digest."""

    id: int
    key: str
    stem: str
    title: str
    journal: str
    published: str
    authors: str
    tldr: str
    abstract: str
    url: str | None
    citation_count: int | None
    treatments: list[str]  # ids
    treatment_chips: list[Chip] = field(default_factory=list)


@dataclass
class DigestView:
    """Everything one study page shows."""

    study: StudyView
    data: StudyDigestData  # what the view was made from (charts, feed, JSON identifiers)
    related_total: int
    citing_total: int
    topical_total: int
    citing: list[PostView] = field(default_factory=list)
    topical: list[PostView] = field(default_factory=list)
    community: list[CommunityView] = field(default_factory=list)
    research: ResearchView = field(default_factory=ResearchView)  # cited, citing, similar

    @property
    def shown(self) -> int:
        """Threads shown on the page."""
        return len(self.citing) + len(self.topical)


def post_view(post: Post, now: datetime, names: Mapping[str, str] | None = None) -> PostView:
    """A display-ready post (ages against `now`; treatments named from `names`, the
    treatments' display names)."""
    comments = f"{post.num_comments:,} comment" + ("" if post.num_comments == 1 else "s")
    return PostView(
        title=" ".join(post.title.split()) or "(untitled)",
        url=safe_url(post.url),
        kind=post.link_kind or "topic",
        score_label=score_label(post.score, post.source_kind),
        comments_label=comments,
        age=age(post.created_at, now),
        created_iso=post.created_at.isoformat(),
        community=community_line(post),
        treatments=list(post.treatments),
        treatment_chips=chips(list(post.treatments), names),
        excerpt=excerpt(post.body_start),
        relevance=post.relevance,
        post=post,
        summary=" ".join((post.summary or "").split()),
        outcomes=[OutcomeChip(t, o.get("effect", "none"), list(o.get("side_effects", [])),
                              treatment_name(t, names))
                  for t, o in post.outcomes.items()
                  if o.get("effect", "none") != "none" or o.get("side_effects")],
        replies=[ReplyView(score=score_label(r.score, post.source_kind),
                           text=excerpt(r.body)) for r in post.replies or ()],
        sample_link=is_loopback_url(post.url),
    )


def community_view(report: CommunityReport,
                   names: Mapping[str, str] | None = None) -> CommunityView:
    """One treatment's counts as a line: "Of 12 threads on rosemary oil: 6 report
    improvement, 1 no effect; side effects: shedding 2, body hair 1" (named from `names`)."""
    effects = {e: report.effects.get(e, 0) for e in EFFECT_LABELS}
    sides = sorted(report.side_effects.items(), key=lambda kv: (-kv[1], kv[0]))
    said = [f"{n} {_REPORT_WORDS[e]}" for e, n in effects.items() if n]
    line = (f"Of {report.threads} thread{'s' if report.threads != 1 else ''} on "
            f"{in_sentence(treatment_name(report.treatment, names))}: "
            + (", ".join(said) if said else "no effect on hair reported"))
    if sides:
        line += "; side effects: " + ", ".join(f"{side_effect_label(side)} {n}"
                                               for side, n in sides)
    return CommunityView(report.treatment, report.threads, effects, sides, line)


def study_view(data: StudyDigestData, stem: str | None = None) -> StudyView:
    """A display-ready study header (treatments named from `data.names`)."""
    study = data.study
    treatments = list(data.treatments) or [
        t for t, _ in sorted(data.treatment_mix.items(), key=lambda i: (-i[1], i[0]))[:3]]
    return StudyView(
        id=study.id,
        key=study_key(study),
        stem=stem or file_stem(study),
        title=" ".join((study.title or "").split()),
        journal=study.journal or "",
        published=month_year(study),
        authors=authors_line(study.authors),
        tldr=study.tldr or "",
        abstract=study.abstract or "",
        url=study_url(study),
        citation_count=study.citation_count,
        treatments=treatments,
        treatment_chips=chips(treatments, data.names),
    )


def digest_view(data: StudyDigestData, now: datetime, stem: str | None = None) -> DigestView:
    """The page of one study: citing threads first, then topical ones in rank order
    (treatments named from `data.names`)."""
    return DigestView(
        study=study_view(data, stem),
        related_total=data.related_total,
        citing_total=data.citing_total,
        topical_total=data.topical_total,
        citing=[post_view(p, now, data.names) for p in data.citing],
        topical=[post_view(p, now, data.names) for p in data.topical],
        community=[community_view(r, data.names) for r in data.community_reports],
        data=data,
        research=research_view(data.research),
    )
