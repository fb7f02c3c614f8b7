"""Per-study counts stored by the aggregator (`models.study_stats`), on SQLite and
PostgreSQL: after every run they equal the counts taken live from the links, only the
studies a run touched are rewritten, and a study without a row is counted live."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from aggregator.lexicon import load_lexicon
from aggregator.run import aggregate
from models.db import session_factory
from models.digest_queries import load_digests
from models.entities import Study, StudyStats
from models.store import ensure_source, upsert_threads
from models.study_stats import count_studies, forget_study_stats, stored_counts
from models.study_store import upsert_study
from tests.aggregator.test_run import ORAL_VS_TOPICAL, ROSEMARY, THREADS, seed, thread


def _all_ids(session: Session) -> list[int]:
    return sorted(session.scalars(select(Study.id)))


def _stored_equals_live(engine: Engine) -> dict[int, int]:
    """Assert the stored counts of every study equal its live counts; its related totals."""
    with session_factory(engine)() as session:
        ids = _all_ids(session)
        stored, live = stored_counts(session, ids), count_studies(session, ids)
    assert set(stored) == set(ids)
    for study_id in ids:
        a, b = stored[study_id], live[study_id]
        assert (a.related_total, a.citing_total, dict(a.months)) == \
            (b.related_total, b.citing_total, dict(b.months))
        assert sorted(a.outcomes) == sorted(b.outcomes)
    return {i: live[i].related_total for i in ids}


def _computed_at(engine: Engine) -> dict[int, object]:
    with session_factory(engine)() as session:
        return dict(session.execute(select(StudyStats.study_id, StudyStats.computed_at)).all())


def test_a_run_stores_every_studys_counts_and_keeps_them_in_step(engine: Engine) -> None:
    seed(engine)
    make = session_factory(engine)
    first = aggregate(make)
    assert first.study_stats == 2
    totals = _stored_equals_live(engine)
    assert sum(totals.values()) >= 3  # t1 and t2 cite, t4 is a topic link
    with make() as session:
        outcomes = {o[0] for c in stored_counts(session, _all_ids(session)).values()
                    for o in c.outcomes}
    assert "minoxidil" in outcomes
    before = _computed_at(engine)
    assert aggregate(make).study_stats == 0  # nothing changed: nothing recounted
    assert _computed_at(engine) == before
    # A thread re-tagged (it now names finasteride and minoxidil): its studies recounted.
    with make() as s, s.begin():
        source_id = ensure_source(s, "forum", "discourse", "https://forum.invalid")
        upsert_threads(s, source_id, [thread("t3", "Finally some good news",
                                             "Started fin 1mg and Rogaine foam.")])
    third = aggregate(make)
    assert third.study_stats >= 1
    after = _stored_equals_live(engine)
    assert sum(after.values()) > sum(totals.values())
    with make() as session:
        outcomes = {o[0] for c in stored_counts(session, _all_ids(session)).values()
                    for o in c.outcomes}
    assert "finasteride" in outcomes


def test_new_study_lexicon_change_and_full_run_recount(engine: Engine, tmp_path: Path) -> None:
    seed(engine, studies=[ORAL_VS_TOPICAL])
    make = session_factory(engine)
    aggregate(make)
    with make() as s, s.begin():
        upsert_study(s, ROSEMARY)
    assert aggregate(make).study_stats >= 1
    _stored_equals_live(engine)
    extra = tmp_path / "lexicon.toml"
    extra.write_text('[[treatment]]\nid = "minoxidil"\nremove_aliases = ["kirkland"]\n',
                     encoding="utf-8")
    aggregate(make, lexicon=load_lexicon(extra))  # t4 loses its minoxidil tag and link
    _stored_equals_live(engine)
    full = aggregate(make, full=True, lexicon=load_lexicon(extra))
    assert full.study_stats == 2
    _stored_equals_live(engine)


def test_digests_read_stored_counts_where_a_study_has_them(engine: Engine) -> None:
    seed(engine)
    make = session_factory(engine)
    aggregate(make)
    with make() as session:
        ids = _all_ids(session)
        live = load_digests(session, ids, limit=0)
        stored = load_digests(session, ids, limit=0, stored=True)
        assert [(d.related_total, d.citing_total, d.months, d.treatment_mix)
                for d in stored] == [(d.related_total, d.citing_total, d.months,
                                      d.treatment_mix) for d in live]
        assert [{t: (r.threads, r.effects, r.side_effects) for t, r in d.community.items()}
                for d in stored] == [{t: (r.threads, r.effects, r.side_effects)
                                      for t, r in d.community.items()} for d in live]
    # The stored row is what `stored` reads (a marked row shows), a missing one is counted.
    with make() as s, s.begin():
        s.execute(update(StudyStats).where(StudyStats.study_id == ids[0])
                  .values(related_total=999))
        forget_study_stats(s, [ids[1]])
        assert s.scalar(select(func.count()).select_from(StudyStats)) == 1
    with make() as session:
        marked, counted = load_digests(session, ids, limit=0, stored=True)
        assert marked.related_total == 999
        assert counted.related_total == live[1].related_total
        assert load_digests(session, ids, limit=0)[0].related_total == live[0].related_total
    assert aggregate(make).study_stats == 1  # the missing row is stored again
    with make() as session:
        assert set(stored_counts(session, ids)) == set(ids)


def test_merging_two_studies_forgets_the_kept_ones_counts(engine: Engine) -> None:
    seed(engine, studies=[ORAL_VS_TOPICAL, {"pmid": "11111111", "title": "A second record"}])
    make = session_factory(engine)
    aggregate(make)
    with make() as session:
        assert session.scalar(select(func.count()).select_from(StudyStats)) == 2
    with make() as s, s.begin():  # one record now names both identifiers: the two merge
        upsert_study(s, {"pmid": "11111111", "doi": ORAL_VS_TOPICAL["doi"]})
    with make() as session:
        assert session.scalar(select(func.count()).select_from(Study)) == 1
        assert session.scalar(select(func.count()).select_from(StudyStats)) == 0
    aggregate(make)
    _stored_equals_live(engine)


def test_a_thread_redated_without_new_text_drops_its_studies_counts(engine: Engine) -> None:
    """A re-crawl that changes only a thread's date (a corrected board time zone) changes no
    content hash, so the aggregator would not recount its studies' months: the store drops
    their stored counts, the page counts them live, and the next run stores them again."""
    seed(engine)
    make = session_factory(engine)
    aggregate(make)
    _stored_equals_live(engine)
    earlier = [{**item, "created_at": item["created_at"] - timedelta(days=40)}
               for item in THREADS]
    with make() as s, s.begin():
        source_id = ensure_source(s, "forum", "discourse", "https://forum.invalid")
        stats = upsert_threads(s, source_id, earlier)
    assert stats.updated == 0  # (the text is the same: no content change)
    with make() as session:
        ids = _all_ids(session)
        assert stored_counts(session, ids) == {}  # every study here links a redated thread
        live = count_studies(session, ids)
    assert {m for c in live.values() for m in c.months} == {"2025-03"}
    aggregate(make)
    _stored_equals_live(engine)
    with make() as s, s.begin():  # the same dates again: nothing dropped
        upsert_threads(s, ensure_source(s, "forum", "discourse", "https://forum.invalid"),
                       earlier)
    with make() as session:
        assert set(stored_counts(session, _all_ids(session))) == set(ids)
