from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.bulk import update_records, write_records
from models.db import session_factory
from models.entities import Reply, ScoreSnapshot, Thread, ThreadTreatment, Treatment
from models.store import (
    ThreadIn,
    content_hash,
    ensure_source,
    store_threads,
    thread_columns,
    thread_input_columns,
    upsert_threads,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def thread(ext: str, score: int | None = 5, comments: int = 2, **extra: object) -> ThreadIn:
    item: ThreadIn = {
        "external_id": ext,
        "url": f"https://forum.test/t/{ext}",
        "title": f"Thread {ext} about finasteride",
        "body": "fin 1mg daily for a year",
        "score": score,
        "num_comments": comments,
        "created_at": T0,
        "category": "Progress",
    }
    item.update(extra)  # type: ignore[typeddict-item]
    return item


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_same_batch_twice_leaves_same_rows(session: Session) -> None:
    sid = ensure_source(session, "f", "discourse", "https://forum.test")
    batch = [thread(str(i)) for i in range(5)]
    first = upsert_threads(session, sid, batch, now=T0)
    session.commit()
    rows_before = sorted(session.execute(select(Thread.id, Thread.external_id, Thread.score)).all())
    second = upsert_threads(session, sid, batch, now=T0 + timedelta(hours=1))
    session.commit()
    rows_after = sorted(session.execute(select(Thread.id, Thread.external_id, Thread.score)).all())
    assert (first.inserted, first.snapshots) == (5, 5)
    assert (second.inserted, second.updated, second.unchanged, second.snapshots) == (0, 0, 5, 0)
    assert rows_before == rows_after
    assert count(session, Thread) == 5
    assert count(session, ScoreSnapshot) == 5


def test_changed_score_adds_one_snapshot(session: Session) -> None:
    sid = ensure_source(session, "f", "discourse", "https://forum.test")
    upsert_threads(session, sid, [thread("a", score=5), thread("b", score=1)], now=T0)
    session.commit()
    later = T0 + timedelta(hours=2)
    stats = upsert_threads(session, sid, [thread("a", score=9), thread("b", score=1)], now=later)
    session.commit()
    assert (stats.updated, stats.unchanged, stats.snapshots) == (1, 1, 1)
    a = session.scalars(select(Thread).where(Thread.external_id == "a")).one()
    assert a.score == 9
    assert a.first_seen_at == T0 and a.last_seen_at == later
    history = session.execute(select(ScoreSnapshot.score, ScoreSnapshot.observed_at)
                              .where(ScoreSnapshot.thread_id == a.id)
                              .order_by(ScoreSnapshot.observed_at)).all()
    assert history == [(5, T0), (9, later)]


def test_reply_count_change_is_a_snapshot_and_null_score_kept(session: Session) -> None:
    sid = ensure_source(session, "board", "phpbb", "https://board.test")
    upsert_threads(session, sid, [thread("1", score=None, comments=1)], now=T0)
    stats = upsert_threads(session, sid, [thread("1", score=None, comments=3)],
                           now=T0 + timedelta(minutes=5))
    session.commit()
    assert stats.snapshots == 1
    assert session.scalar(select(Thread.score)) is None
    assert count(session, ScoreSnapshot) == 2


def test_duplicates_inside_a_batch_store_once(session: Session) -> None:
    sid = ensure_source(session, "f", "reddit", "https://oauth.reddit.test")
    stats = upsert_threads(session, sid, [thread("x", score=1), thread("x", score=2)], now=T0)
    session.commit()
    assert stats.inserted == 1
    assert session.scalar(select(Thread.score)) == 2


def test_replies_upsert_and_text_change_updates_hash(session: Session) -> None:
    sid = ensure_source(session, "f", "reddit", "https://oauth.reddit.test")
    replies = [{"external_id": "r1", "body": "try dut", "score": 3},
               {"external_id": "r2", "body": "keto shampoo", "score": 1}]
    upsert_threads(session, sid, [thread("t", replies=replies)], now=T0)
    session.commit()
    old_hash = session.scalar(select(Thread.content_hash))
    replies[0] = {"external_id": "r1", "body": "try dutasteride", "score": 4}
    stats = upsert_threads(session, sid, [thread("t", replies=replies)], now=T0)
    session.commit()
    assert stats.updated == 1 and stats.snapshots == 0
    assert count(session, Reply) == 2
    assert session.scalar(select(Reply.body).where(Reply.external_id == "r1")) == "try dutasteride"
    assert session.scalar(select(Thread.content_hash)) != old_hash


def test_same_external_id_in_two_sources_is_two_threads(session: Session) -> None:
    a = ensure_source(session, "a", "discourse", "https://a.test")
    b = ensure_source(session, "b", "discourse", "https://b.test")
    upsert_threads(session, a, [thread("1")], now=T0)
    upsert_threads(session, b, [thread("1")], now=T0)
    session.commit()
    assert count(session, Thread) == 2


def test_store_threads_commits_per_batch(engine) -> None:  # type: ignore[no-untyped-def]
    make = session_factory(engine)
    with make() as s, s.begin():
        sid = ensure_source(s, "f", "xenforo", "https://xf.test")
    stats = store_threads(make, sid, (thread(str(i)) for i in range(250)), batch_size=100, now=T0)
    assert stats.inserted == 250
    with make() as s:
        assert count(s, Thread) == 250
        assert s.scalar(select(Thread.created_at).limit(1)) == T0


def test_write_records_json_and_update_records(session: Session) -> None:
    """JSON columns travel through COPY on PostgreSQL; update_records touches only its keys."""
    source_id = ensure_source(session, "forum", "discourse", "https://forum.invalid")
    upsert_threads(session, source_id, [thread("a", 1), thread("b", 2), thread("c", 3)])
    session.add(Treatment(id="minoxidil", name="Minoxidil", category="drug"))
    session.flush()
    ids = dict(session.execute(select(Thread.external_id, Thread.id)).all())
    write_records(session, ThreadTreatment.__table__,
                  ["thread_id", "treatment_id", "mentions", "forms", "locations"],
                  [{"thread_id": ids["a"], "treatment_id": "minoxidil", "mentions": 2,
                    "forms": ["oral"], "locations": ["title", "body"]},
                   {"thread_id": ids["b"], "treatment_id": "minoxidil", "mentions": 1,
                    "forms": [], "locations": ["replies"], "ignored": "x"}])
    update_records(session, Thread.__table__, "id", ["aggregated_hash"],
                   [{"id": ids["a"], "aggregated_hash": "h-a"},
                    {"id": ids["b"], "aggregated_hash": "h-b"}])
    session.commit()
    rows = {t: (m, f, loc) for t, m, f, loc in session.execute(
        select(ThreadTreatment.thread_id, ThreadTreatment.mentions, ThreadTreatment.forms,
               ThreadTreatment.locations))}
    assert rows == {ids["a"]: (2, ["oral"], ["title", "body"]), ids["b"]: (1, [], ["replies"])}
    hashes = dict(session.execute(select(Thread.external_id, Thread.aggregated_hash)).all())
    assert hashes == {"a": "h-a", "b": "h-b", "c": None}


def test_update_records_twice_with_other_columns(session: Session) -> None:
    """Two update_records of one table with different columns in one transaction each set their
    own columns (PostgreSQL stages each column set in its own temporary table)."""
    source_id = ensure_source(session, "forum", "discourse", "https://forum.invalid")
    upsert_threads(session, source_id, [thread("a", 1), thread("b", 2)])
    session.flush()
    ids = dict(session.execute(select(Thread.external_id, Thread.id)).all())
    update_records(session, Thread.__table__, "id", ["aggregated_hash"],
                   [{"id": ids["a"], "aggregated_hash": "h-a"},
                    {"id": ids["b"], "aggregated_hash": "h-b"}])
    update_records(session, Thread.__table__, "id", ["category", "score"],
                   [{"id": ids["a"], "category": "News", "score": 10}])
    update_records(session, Thread.__table__, "id", ["aggregated_hash"],
                   [{"id": ids["b"], "aggregated_hash": "h-b2"}])
    session.commit()
    rows = {e: (h, c, s) for e, h, c, s in session.execute(
        select(Thread.external_id, Thread.aggregated_hash, Thread.category, Thread.score))}
    assert rows["a"] == ("h-a", "News", 10)
    assert rows["b"][0] == "h-b2" and rows["b"][2] == 2


def test_write_columns_come_from_the_table() -> None:
    """Every thread column but the aggregator's and the id is written, in table order."""
    assert thread_columns() == tuple(c.name for c in Thread.__table__.columns
                                     if c.name not in {"id", "aggregated_hash", "summary"})
    assert "content_hash" in thread_columns() and "content_hash" not in thread_input_columns()


def test_none_body_and_reply_count_are_stored_as_defaults(session: Session) -> None:
    sid = ensure_source(session, "f", "discourse", "https://forum.test")
    item = thread("n", comments=0)
    item["body"] = None  # type: ignore[typeddict-item]
    item["num_comments"] = None  # type: ignore[typeddict-item]
    upsert_threads(session, sid, [item], now=T0)
    session.commit()
    stored = session.scalars(select(Thread)).one()
    assert (stored.body, stored.num_comments) == ("", 0)
    assert stored.content_hash == content_hash(item["title"], "")


def test_any_key_naming_a_thread_column_is_stored(session: Session) -> None:
    """Items carry columns by name: a key naming a written column is stored, on insert and
    on update (here `author_hash`, set only through the generic path)."""
    sid = ensure_source(session, "f", "discourse", "https://forum.test")
    upsert_threads(session, sid, [thread("k", author_hash="a" * 64)], now=T0)
    upsert_threads(session, sid, [thread("k", author_hash="b" * 64)], now=T0)
    session.commit()
    assert session.scalar(select(Thread.author_hash)) == "b" * 64
