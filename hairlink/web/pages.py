"""The HTML pages: each reads through the query functions of `models` (and the digest views
of `aggregator.digest`) and renders a template. No page writes."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeVar

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse

from aggregator.digest.charts import SvgCharts, chart_data, data_uri
from aggregator.digest.present import age, safe_url, score_label, study_key
from aggregator.digest.views import EFFECT_LABELS, Chip, chips, digest_view, post_view
from hairlink.web.cards import keyed_cards, page_key, post_cards
from hairlink.web.params import KnownNames, NotFound, post_filters, study_id
from hairlink.web.render import StudyPages, score_chart
from models.bounds import MAX_BIGINT
from models.digest_queries import load_digests
from models.entities import Source
from models.post_queries import SORTS, query_posts, query_posts_counted
from models.post_types import PostQuery
from models.site_queries import (
    TreatmentProfile,
    most_discussed_studies,
    source_activity,
    treatment_overview,
    treatment_profile,
)
from models.study_queries import study_select
from models.thread_detail import ThreadDetail, thread_detail
from models.treatment_names import display_names, treatment_name
from models.treatment_stats import TreatmentStats, treatment_stats

T = TypeVar("T")
HOME_THREADS = 10
HOME_STUDIES = 10
TREATMENT_STUDIES = 50
TREATMENT_EXAMPLES = 3  # best threads shown per reported effect on a treatment page
# Pages count matches up to here ("1–50 of 100+"); the API's `total` is exact. The count
# walks the matches in the page's order up to the cap: on a million threads, walking 200
# instead of 100 cost about a fifth of a filtered posts page's CPU.
COUNT_CAP = 100
# Related threads a study page shows at a time unless `limit` says otherwise (the posts and
# treatment pages show params.DEFAULT_LIMIT): the page modelled shows a few, then paging;
# each card is the costliest part of a study page nobody has opened since the last write.
STUDY_PAGE_LIMIT = 20
# Study pages (sorted and paged, not filtered) whose thread keys and count are kept per
# process and data version: a kept page whose cards are kept too reads no thread (a sorted
# page of the study with 5,000 links walked them all: ~20 ms). ~5 kB each at most.
STUDY_PAGE_ENTRIES = 1024


def _render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    env = request.app.state.templates
    return HTMLResponse(env.get_template(template).render(**context), status_code=status)


def version(request: Request, session: Session) -> Hashable:
    """The database's data version; call it first in a session (see hairlink.web.cache)."""
    return request.app.state.version.current(session)  # type: ignore[no-any-return]


def cached(request: Request, at: Hashable, key: tuple[Any, ...], compute: Callable[[], T],
           whole_table: bool = False) -> T:
    """`compute()` memoised for data version `at` (aggregates only, never a page of
    threads); a `whole_table` aggregate (seconds on a million threads) is reused for the
    app's `stale_seconds` after a write."""
    stale = request.app.state.stale_seconds if whole_table else 0.0
    return request.app.state.cache.get(  # type: ignore[no-any-return]
        key, at, compute, stale)


def known_names(request: Request, session: Session, at: Hashable) -> KnownNames:
    """The stored source names and treatment ids (for checking parameters and for the
    filter forms) with the treatments' display names (one query of each table)."""
    return cached(request, at, ("names",), lambda: _known_names(session))


def _known_names(session: Session) -> KnownNames:
    names = display_names(session)
    return KnownNames(sources=list(session.scalars(select(Source.name).order_by(Source.name))),
                      treatments=sorted(names), treatment_names=names)


def treatment_options(ids: Collection[str], names: Mapping[str, str]) -> list[Chip]:
    """A filter form's treatments: (id, display name), by name."""
    return sorted(chips(list(ids), names), key=lambda c: (c[1].lower(), c[0]))


def _page(counted: int, query: PostQuery, shown: int, exact: bool = False) -> dict[str, Any]:
    """Paging figures from a count capped at COUNT_CAP (`exact`: a full count, never
    capped) and the posts shown."""
    limit = query.limit or 1
    capped = not exact and counted >= COUNT_CAP
    total = max(counted, query.offset + shown)
    return {"total": total, "total_label": f"{total:,}+" if capped else f"{total:,}",
            "offset": query.offset, "limit": limit,
            "first": query.offset + 1 if shown else 0,
            "last": query.offset + shown,
            "prev": max(query.offset - limit, 0) if query.offset > 0 else None,
            "next": query.offset + limit
            if shown == limit and (query.offset + limit < total or capped) else None}


def _outcomes(session: Session) -> dict[str, TreatmentStats]:
    """Every discussed treatment's effect and side-effect counts (no examples or studies)."""
    return {s.treatment: s for s in treatment_stats(session, None, examples=0, studies=0)}


def home(request: Request) -> HTMLResponse:
    """Search box, treatments with thread counts and community outcomes, most discussed
    studies, latest threads."""
    now = datetime.now(UTC)
    with request.app.state.sessions() as session:
        at = version(request, session)
        treatments = cached(request, at, ("treatments",), lambda: treatment_overview(session),
                            whole_table=True)
        outcomes = cached(request, at, ("outcomes",), lambda: _outcomes(session),
                          whole_table=True)
        studies = cached(request, at, ("discussed", HOME_STUDIES),
                         lambda: most_discussed_studies(session, HOME_STUDIES),
                         whole_table=True)
        latest = query_posts(session, PostQuery(sort="new", limit=HOME_THREADS))
        names = known_names(request, session, at).treatment_names
    return _render(request, "home.html.j2", treatments=treatments, outcomes=outcomes,
                   studies=studies, latest=[post_view(p, now, names) for p in latest])


class StudySections(NamedTuple):
    """The parts of a study page that depend on the study alone, rendered once per data
    version (`_study_sections.html.j2`). Kept as strings and numbers: one object for the
    garbage collector to walk, where the digest data it is rendered from (an ORM study, a
    Counter and a report per treatment) made its full passes slow."""

    key: str
    heading: str
    related_total: int
    treatment_options: tuple[Chip, ...]  # (id, display name) of its threads' treatments
    intro: str  # header, TLDR, abstract, link to the paper
    overview: str  # chart, what the community reports
    research: str  # references, cited by, similar studies

    def markup(self) -> StudySections:
        """The same with its HTML parts marked safe for the page template."""
        return self._replace(intro=Markup(self.intro), overview=Markup(self.overview),
                             research=Markup(self.research))


def _study_sections(request: Request, session: Session, sid: int,
                    names: Mapping[str, str]) -> StudySections:
    """A study's digest data without threads (counts, chart, community reports, research),
    rendered by the digests' shared macros (treatments named from `names`)."""
    data = load_digests(session, [sid], limit=0, stored=True, names=names)[0]
    chart = chart_data(data.months, data.treatment_mix, names)
    view = digest_view(data, datetime.now(UTC))  # no threads: nothing depends on the clock
    parts = request.app.state.templates.get_template("_study_sections.html.j2").module
    return StudySections(
        key=view.study.key, heading=view.study.title or view.study.key,
        related_total=view.related_total,
        treatment_options=tuple(treatment_options(data.treatment_mix, names)),
        intro=str(parts.intro(view.study)),
        overview=str(parts.overview(None if chart.empty else data_uri(SvgCharts().svg(chart)),
                                    view.related_total, view.community)),
        research=str(parts.research_sections(view.research, StudyPages())))


def study(request: Request) -> HTMLResponse:
    """A study's digest, live: the study, TLDR, abstract, chart, what the community reports,
    research sections, and its related threads (with outcome chips, summaries and top
    replies) filtered, sorted and paged (STUDY_PAGE_LIMIT a page unless `limit` says)."""
    now = datetime.now(UTC)
    with request.app.state.sessions() as session:
        at = version(request, session)
        names = known_names(request, session, at)
        key = request.path_params["key"]
        sid = cached(request, at, ("study id", key), lambda: study_id(session, key))
        filters = post_filters(session, request.query_params, now, study=sid, known=names,
                               default_limit=STUDY_PAGE_LIMIT)
        sections = cached(request, at, ("study sections", sid),
                          lambda: _study_sections(request, session, sid,
                                                  names.treatment_names))
        narrowed = any(v for k, v in filters.values.items()
                       if k not in ("sort", "limit", "offset"))
        filtered = narrowed or filters.query.sort != "relevance"
        q = filters.query
        # Sorted and paged only: the page is the same until the data changes (no filter
        # value depends on the clock), so its keys and count are kept (STUDY_PAGE_ENTRIES):
        # pages of at most STUDY_PAGE_LIMIT threads (a visitor's limit=500 pages would hold
        # ~100 kB each), and only where the data version follows writes (not the clock).
        keep = (not narrowed and q.limit <= STUDY_PAGE_LIMIT
                and not (isinstance(at, tuple) and at[:1] == ("time",)))
        memo = ("study page", sid, q.sort, q.limit, q.offset) if keep else None
        kept = None if memo is None else request.app.state.study_pages.find(memo, at)
        cards = None
        if kept is not None:
            keys, total = kept
            cards = keyed_cards(request, session, at, keys, now, replies=True,
                                names=names.treatment_names)
        if cards is None:
            posts, total = query_posts_counted(session, q, cap=COUNT_CAP if filtered else None,
                                               details=False)
            keys = tuple(page_key(p) for p in posts)
            if memo is not None:
                request.app.state.study_pages.put(memo, at, (keys, total))
            cards = post_cards(request, session, at, posts, now, replies=True,
                               names=names.treatment_names)
        if not filtered:
            total = sections.related_total
    return _render(
        request, "study.html.j2", sections=sections.markup(), cards=cards,
        page=_page(total, q, len(keys), exact=not filtered), values=filters.values,
        sorts=SORTS, path=request.url.path, sources=names.sources, filtered=filtered)


def _treatment_data(session: Session, treatment_id: str
                    ) -> tuple[TreatmentProfile, TreatmentStats | None] | None:
    profile = treatment_profile(session, treatment_id)
    if profile is None:
        return None
    found = treatment_stats(session, [treatment_id], examples=TREATMENT_EXAMPLES)
    return profile, found[0] if found and found[0].threads else None


def treatment(request: Request) -> HTMLResponse:
    """A treatment: its community statistics (what its threads report: effects, shares, side
    effects, example threads; where and with what it is named), its studies, its threads
    (paged, filtered)."""
    now = datetime.now(UTC)
    treatment_id = request.path_params["treatment_id"]
    with request.app.state.sessions() as session:
        at = version(request, session)
        found = cached(request, at, ("treatment", treatment_id),
                       lambda: _treatment_data(session, treatment_id), whole_table=True)
        if found is None:
            raise NotFound(f"no treatment {treatment_id[:60]!r}")
        profile, outcomes = found
        names = known_names(request, session, at)
        filters = post_filters(session, request.query_params, now, default_sort="score",
                               known=names)
        filters.query.treatments = list(dict.fromkeys([treatment_id, *filters.query.treatments]))
        posts, total = query_posts_counted(session, filters.query, cap=COUNT_CAP,
                                           details=False)
        cards = post_cards(request, session, at, posts, now, names=names.treatment_names)
        studies = [{"key": study_key(s), "title": s.title, "journal": s.journal,
                    "year": s.pub_year}
                   for s in session.scalars(study_select(treatment_id).limit(TREATMENT_STUDIES))]
    together = [(tid, treatment_name(tid, names.treatment_names), n)
                for tid, n in profile.together_with]
    return _render(request, "treatment.html.j2", stats=profile, outcomes=outcomes,
                   together=together,
                   treatment_options=treatment_options(
                       [t for t, _ in profile.together_with], names.treatment_names),
                   effect_labels=EFFECT_LABELS, studies=studies, cards=cards,
                   page=_page(total, filters.query, len(posts)),
                   values=filters.values, sorts=SORTS, path=request.url.path,
                   sources=names.sources)


def thread(request: Request) -> HTMLResponse:
    """A thread: title, link to the original, stats, replies, score history, treatments and
    linked studies with the link kind and evidence."""
    now = datetime.now(UTC)
    detail = load_thread(request)
    return _render(request, "thread.html.j2", thread=detail, url=safe_url(detail.url),
                   score=score_label(detail.score, detail.source_kind),
                   age=age(detail.created_at, now), chart=score_chart(detail.history),
                   reply_ages=[age(r.created_at, now) if r.created_at else ""
                               for r in detail.replies])


def load_thread(request: Request) -> ThreadDetail:
    """The thread of the `thread_id` path parameter; NotFound when there is none."""
    thread_id = request.path_params["thread_id"]
    detail = None
    if 0 < thread_id <= MAX_BIGINT:
        with request.app.state.sessions() as session:
            detail = thread_detail(session, thread_id)
    if detail is None:
        raise NotFound(f"no thread with id {thread_id}")
    return detail


def posts(request: Request) -> HTMLResponse:
    """`hairlink posts` as a page: every filter and sort as a query parameter, paged, with
    CSV and JSON downloads of the same query."""
    now = datetime.now(UTC)
    with request.app.state.sessions() as session:
        at = version(request, session)
        names = known_names(request, session, at)
        filters = post_filters(session, request.query_params, now, known=names)
        found, total = query_posts_counted(session, filters.query, cap=COUNT_CAP,
                                           details=False)
        cards = post_cards(request, session, at, found, now, names=names.treatment_names)
    return _render(request, "posts.html.j2", cards=cards,
                   page=_page(total, filters.query, len(found)), values=filters.values, sorts=SORTS,
                   path=request.url.path,
                   treatments=treatment_options(names.treatments, names.treatment_names),
                   sources=names.sources)


def sources(request: Request) -> HTMLResponse:
    """Each stored source with its thread count and its last crawl runs."""
    with request.app.state.sessions() as session:
        rows = source_activity(session)
    return _render(request, "sources.html.j2", sources=rows)
