"""The query corpus plus what the web view shows beyond it: replies, score history, link
evidence, crawl runs, reported outcomes and a summary."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from models.entities import (
    CrawlRun,
    Reply,
    ScoreSnapshot,
    Thread,
    ThreadStudyLink,
    ThreadTreatment,
)
from tests.query.seed_posts import NOW, Corpus, seed

# (thread, treatment) -> (effect, side effects)
OUTCOMES = {
    ("oral", "minoxidil"): ("improved", ["shedding"]),
    ("big3", "minoxidil"): ("improved", []),
    ("needling", "minoxidil"): ("no_effect", []),
    ("rosemary", "minoxidil"): ("mixed", ["skin"]),
    ("fin10", "finasteride"): ("improved", ["sexual"]),
}


def seed_web(session: Session) -> Corpus:
    """`seed` plus two replies and three score snapshots on the oral-minoxidil thread, link
    evidence on its citation, two crawl runs of `tressless`, and OUTCOMES with a summary.

    Minoxidil's four threads then report: improved 2, no effect 1, mixed 1 (shares 50 / 25 /
    25 %), side effects shedding 1, skin 1; finasteride's two: improved 1 (100 %), sexual 1."""
    corpus = seed(session)
    oral = corpus.threads["oral"]
    session.add_all([
        Reply(thread_id=oral, external_id="c1", body="Same here, crown filled in.", score=12,
              created_at=NOW - timedelta(days=299), position=0),
        Reply(thread_id=oral, external_id="c2", body="Any shedding on tablets?", score=None,
              created_at=NOW - timedelta(days=298), position=1),
    ])
    for days, score in ((300, 5), (299, 80), (200, 257)):
        session.add(ScoreSnapshot(thread_id=oral, observed_at=NOW - timedelta(days=days),
                                  score=score, num_comments=40))
    link = session.get(ThreadStudyLink, (oral, corpus.studies["S1"]))
    assert link is not None
    link.evidence = {"identifier": "doi:10.1001/jamadermatol.2024.0284"}
    session.add_all([
        CrawlRun(source_name="tressless", spider="reddit", started_at=NOW - timedelta(hours=2),
                 finished_at=NOW - timedelta(hours=1), status="finished", pages=7, items=123,
                 dropped={"no_title": 2}, errors=0),
        CrawlRun(source_name="tressless", spider="reddit", started_at=NOW - timedelta(days=1),
                 finished_at=NOW - timedelta(days=1), status="failed", pages=1, items=0,
                 dropped={}, errors=3),
    ])
    for (thread, treatment), (effect, sides) in OUTCOMES.items():
        row = session.get(ThreadTreatment, (corpus.threads[thread], treatment))
        assert row is not None
        row.effect, row.side_effects = effect, sides
    needling = session.get(Thread, corpus.threads["needling"])
    assert needling is not None
    needling.summary = "Weekly rolling with foam: no visible change yet."
    session.commit()
    return corpus
