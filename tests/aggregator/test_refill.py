"""Incremental runs keep a study's topic links equal to a full run's: candidates kept below
the links refill them, and a study whose candidates ran out is relinked from scratch."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from aggregator.lexicon import load_lexicon
from aggregator.link_types import LinkSettings
from aggregator.run import aggregate
from aggregator.store import sync_treatments
from models.db import session_factory
from models.entities import Study, Thread, ThreadStudyLink, TopicCandidate
from models.store import ThreadIn, ensure_source, upsert_threads
from models.study_store import upsert_study
from tests.aggregator.test_run import ORAL_VS_TOPICAL, thread

# Six threads about oral vs topical minoxidil, from most to least on the study's question.
MINOXIDIL = [
    thread("m1", "Oral vs topical minoxidil: switched to LDOM",
           "Topical minoxidil foam flaked, so I switched to oral minoxidil 2.5mg tablets. "
           "Density changed about the same as on topical minoxidil after 24 weeks."),
    thread("m2", "Oral minoxidil or topical minoxidil?",
           "Derm offered oral minoxidil tablets or topical minoxidil solution for my crown."),
    thread("m3", "Minoxidil vs oral min for density",
           "Is oral min better than topical minoxidil for hair density?"),
    thread("m4", "Minoxidil shed at week 6", "Rogaine foam shed at week 6, is it normal?"),
    thread("m5", "Minoxidil and my hairline", "Kirkland liquid since spring, hairline ok."),
    thread("m6", "Month 3 update", "Still on minox, nothing new. Photos next month."),
]
SETTINGS = LinkSettings(max_topic_links=2)  # keeps 2 links and 1 candidate per study
OFF_TOPIC = "The keto diet and 5 min walks made me feel fine."


def seed(engine: Engine, threads: list[ThreadIn]) -> None:
    with session_factory(engine)() as session, session.begin():
        sync_treatments(session, load_lexicon())
        source_id = ensure_source(session, "forum", "discourse", "https://forum.invalid")
        upsert_threads(session, source_id, threads)
        upsert_study(session, ORAL_VS_TOPICAL)


def state(engine: Engine) -> dict[str, Any]:
    """Links, candidates (by thread external id) and the study's floor."""
    with session_factory(engine)() as session:
        ext = {i: e for i, e in session.execute(select(Thread.id, Thread.external_id))}

        def rows(table: Any) -> dict[str, tuple[Any, ...]]:
            return {ext[r.thread_id]: (getattr(r, "kind", "candidate"), round(r.score, 6),
                                       r.evidence) for r in session.scalars(select(table))}
        return {"links": rows(ThreadStudyLink), "candidates": rows(TopicCandidate),
                "floor": session.scalar(select(Study.topic_floor))}


def change(engine: Engine, *exts: str) -> None:
    with session_factory(engine)() as session, session.begin():
        source_id = ensure_source(session, "forum", "discourse", "https://forum.invalid")
        upsert_threads(session, source_id,
                       [thread(e, "Finally some good news", OFF_TOPIC) for e in exts])


def full_state(engine: Engine) -> dict[str, Any]:
    aggregate(session_factory(engine), full=True, settings=SETTINGS)
    return state(engine)


def test_candidates_are_kept_below_the_links(engine: Engine) -> None:
    seed(engine, MINOXIDIL)
    aggregate(session_factory(engine), settings=SETTINGS)
    found = state(engine)
    assert sorted(found["links"]) == ["m1", "m2"]
    assert {kind for kind, _, _ in found["links"].values()} == {"topic"}
    assert list(found["candidates"]) == ["m3"]
    scores = sorted((s for _, s, _ in [*found["links"].values(),
                                       *found["candidates"].values()]), reverse=True)
    assert found["candidates"]["m3"][1] == scores[-1]
    # the floor is the best score a thread no longer kept can have: below the candidate
    assert found["floor"] is not None and found["floor"] <= found["candidates"]["m3"][1]
    assert found["candidates"]["m3"][2]["treatments"] == ["minoxidil"]


def test_a_dropped_link_is_refilled_from_the_candidates(engine: Engine) -> None:
    seed(engine, MINOXIDIL)
    make = session_factory(engine)
    aggregate(make, settings=SETTINGS)
    change(engine, "m1")
    stats = aggregate(make, settings=SETTINGS)
    assert stats.threads_scanned == 1 and stats.studies_refilled == 0
    incremental = state(engine)
    assert sorted(incremental["links"]) == ["m2", "m3"]  # m3 promoted, evidence kept
    assert incremental["candidates"] == {}  # nothing below: the next drop will refill
    assert incremental["links"] == full_state(engine)["links"]


def test_a_study_whose_candidates_ran_out_is_relinked(engine: Engine) -> None:
    seed(engine, MINOXIDIL)
    make = session_factory(engine)
    aggregate(make, settings=SETTINGS)
    change(engine, "m1", "m2")
    stats = aggregate(make, settings=SETTINGS)
    assert stats.studies_refilled == 1
    assert stats.threads_scanned == 2 + len(MINOXIDIL)  # the changed, then every thread
    incremental = state(engine)
    assert len(incremental["links"]) == 2 and len(incremental["candidates"]) == 1
    assert not {"m1", "m2"} & {*incremental["links"], *incremental["candidates"]}
    assert incremental == full_state(engine)
    again = aggregate(make, settings=SETTINGS)
    assert (again.threads_scanned, again.studies_refilled) == (0, 0)


def test_a_study_with_few_threads_has_no_floor(engine: Engine) -> None:
    seed(engine, MINOXIDIL[:2])
    make = session_factory(engine)
    aggregate(make, settings=SETTINGS)
    assert state(engine)["floor"] is None
    change(engine, "m1")
    stats = aggregate(make, settings=SETTINGS)
    assert stats.studies_refilled == 0 and sorted(state(engine)["links"]) == ["m2"]
