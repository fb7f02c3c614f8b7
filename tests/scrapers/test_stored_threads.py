"""`scrapers.base.stored_threads` (one prebuilt statement on a plain connection) against
the plain form it replaced (a select built per call, run in an ORM session)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models.entities import Thread
from models.store import ensure_source
from scrapers.base import KnownThread, stored_threads


def _plain(engine: Engine, source_id: int, ids: list[str]) -> dict[str, KnownThread]:
    """The query as `HairlinkSpider.known_threads` ran it before."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    with Session(engine) as session:
        rows = session.execute(
            select(Thread.external_id, Thread.created_at, Thread.last_activity_at,
                   Thread.num_comments, Thread.score)
            .where(Thread.source_id == source_id, Thread.external_id.in_(ids)))
        return {r.external_id: KnownThread(r.created_at, r.last_activity_at,
                                           r.num_comments, r.score) for r in rows}


def test_stored_threads_is_the_plain_query(engine: Engine) -> None:
    rng = random.Random(18)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    with Session(engine) as session, session.begin():
        sources = [ensure_source(session, name, "vbulletin", f"https://{name}.example")
                   for name in ("a", "b")]
        for n, number in enumerate(rng.sample(range(300), 120)):
            when = start + timedelta(minutes=rng.randrange(10**6))
            session.add(Thread(
                source_id=rng.choice(sources), external_id=str(number),
                url=f"https://a.example/t/{n}", title=f"t{n}", body="", content_hash="0" * 40,
                created_at=when, first_seen_at=when, last_seen_at=when,
                last_activity_at=rng.choice([None, when + timedelta(days=rng.randrange(50))]),
                num_comments=rng.randrange(500), score=rng.choice([None, rng.randrange(-9, 99)])))
    with Session(engine) as session:
        stored = list(session.scalars(select(Thread.external_id)))
    seen_hits = 0
    for _ in range(300):
        ids = rng.sample(stored, rng.randrange(0, 30)) + \
            [str(rng.randrange(400)) for _ in range(rng.randrange(0, 10))]
        ids += rng.sample(ids, min(len(ids), rng.randrange(3)))  # repeats
        rng.shuffle(ids)
        for source_id in (*sources, 999):
            fast = stored_threads(engine, source_id, list(dict.fromkeys(ids)))
            assert fast == _plain(engine, source_id, ids)
            seen_hits += len(fast)
    assert seen_hits > 1000
