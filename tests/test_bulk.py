"""models.bulk: column conversion without per-value Python, PostgreSQL analyse-as-it-grows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise

import pytest
from sqlalchemy import JSON, Engine, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import bulk
from models.bulk import analyse_if_grown
from models.bulk_values import UTCDateTimes, convert_column
from models.db import session_factory
from models.entities import Study, Thread, ThreadStudyLink
from models.store import ThreadIn, ensure_source, store_threads, upsert_threads

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DATETIME_COLUMNS = [
    [T0, T0, T0 + timedelta(microseconds=5), T0],  # all UTC, repeated values
    [T0.replace(tzinfo=None), datetime(999, 1, 2, 3, 4, 5)],  # naive (stored as UTC)
    [T0, T0.astimezone(timezone(timedelta(hours=2))), None],  # mixed zones and None
    [T0.astimezone(timezone(timedelta(hours=-5)))] * 3,  # one other zone
    [None, None],
    [],
]


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()],
                         ids=["sqlite", "postgresql"])
@pytest.mark.parametrize("values", DATETIME_COLUMNS)
def test_datetime_columns_convert_as_the_type_does(dialect: object,
                                                   values: list[datetime | None]) -> None:
    proc = UTCDateTimes(dialect)  # type: ignore[arg-type]
    expected = [None if v is None else proc.proc(v) for v in values]
    assert list(convert_column(values, proc)) == expected


def test_json_columns_convert_value_by_value_equivalently() -> None:
    proc = JSON().bind_processor(sqlite.dialect())
    assert proc is not None
    lists = [["oral"], [], None, ["oral"], ["topical", "oral"]]
    assert convert_column(lists, proc) == ['["oral"]', "[]", None, '["oral"]',
                                            '["topical", "oral"]']
    mixed = [[1, True], [1, 1]]  # equal as tuples, different as JSON: not keyed together
    assert convert_column(mixed, proc) == ["[1, true]", "[1, 1]"]
    dicts = [{"terms": ["a"]}, None, {"terms": ["a"]}]
    assert convert_column(dicts, proc) == ['{"terms": ["a"]}', None, '{"terms": ["a"]}']


def _items(start: int, n: int) -> list[ThreadIn]:
    return [{"external_id": f"t{i}", "url": f"https://forum.test/t/{i}", "title": f"T {i}",
             "created_at": T0 + timedelta(minutes=i)} for i in range(start, start + n)]


def test_stored_times_read_back_the_same(engine: Engine) -> None:
    make = session_factory(engine)
    with make() as s, s.begin():
        sid = ensure_source(s, "f", "discourse", "https://forum.test")
    store_threads(make, sid, _items(0, 3), now=T0)
    with make() as s:
        rows = s.query(Thread.created_at, Thread.first_seen_at).order_by(Thread.id).all()
    assert [r.created_at for r in rows] == [T0 + timedelta(minutes=i) for i in range(3)]
    assert {r.first_seen_at for r in rows} == {T0}


def test_json_text_columns_are_stored_as_they_come(engine: Engine) -> None:
    make = session_factory(engine)
    with make() as s, s.begin():
        sid = ensure_source(s, "f", "discourse", "https://forum.test")
    store_threads(make, sid, _items(0, 2), now=T0)
    with make() as s, s.begin():
        s.add(Study(id=1, title="S", created_at=T0, updated_at=T0))
    evidence = ['{"terms": ["a"]}', '"just text"']  # a JSON string, not a dict, in the second
    with make() as s, s.begin():
        thread_ids = list(s.scalars(select(Thread.id).order_by(Thread.id)))
        rows = [{"thread_id": t, "study_id": 1, "kind": "topic", "score": 0.5, "evidence": e}
                for t, e in zip(thread_ids, evidence, strict=True)]
        bulk.write_records(s, ThreadStudyLink.__table__, list(rows[0]), rows,
                           json_text=["evidence"])
    with make() as s:
        stored = list(s.scalars(select(ThreadStudyLink.evidence)
                                .order_by(ThreadStudyLink.thread_id)))
        assert stored == [{"terms": ["a"]}, "just text"]  # decoded once: not encoded twice
        with pytest.raises(ValueError, match="not a JSON column"):
            bulk.write_records(s, ThreadStudyLink.__table__, list(rows[0]), rows,
                               json_text=["kind"])


def _analysed_rows(session: Session) -> float:
    return float(session.execute(text(
        "SELECT reltuples FROM pg_class WHERE oid = 'thread'::regclass")).scalar_one())


def test_postgres_tables_are_analysed_as_they_grow(engine: Engine,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    if engine.dialect.name != "postgresql":
        with session_factory(engine)() as s:
            assert analyse_if_grown(s, Thread.__table__) is False  # nothing to do on SQLite
        return
    monkeypatch.setattr(bulk, "ANALYSE_FROM", 20)
    make = session_factory(engine)
    with make() as s, s.begin():
        sid = ensure_source(s, "f", "discourse", "https://forum.test")
    analysed: list[float] = []
    for start in range(0, 200, 10):
        store_threads(make, sid, _items(start, 10), now=T0)
        with make() as s:
            s.execute(text("SELECT pg_stat_force_next_flush()"))
            analysed.append(_analysed_rows(s))
    # never analysed at first, then analysed again each time the table about doubled
    assert analysed[0] <= 0
    grown = sorted({x for x in analysed if x > 0})
    assert grown and grown[0] >= 20
    assert all(b >= 1.5 * a for a, b in pairwise(grown))
    assert len(grown) <= 5  # not analysed every batch


def test_bulk_page_cache_is_restored_and_keeps_the_writes(engine: Engine) -> None:
    make = session_factory(engine)
    with make() as s, s.begin():
        sid = ensure_source(s, "f", "discourse", "https://forum.test")
    sqlite_db = engine.dialect.name == "sqlite"
    with make() as s, s.begin():
        conn = s.connection()
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar() if sqlite_db else None
        with bulk.bulk_page_cache(s, kib=4096):
            if sqlite_db:
                assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -4096
            upsert_threads(s, sid, _items(0, 50))
        if sqlite_db:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before != -4096
    with make() as s:
        assert len(s.scalars(select(Thread.id)).all()) == 50


def test_bulk_page_cache_is_restored_when_the_transaction_fails(engine: Engine) -> None:
    """An exception inside `bulk_page_cache` passes through, its writes roll back, and on
    SQLite the pooled connection gets its own cache size back (the next checkout sees it)."""
    sqlite_db = engine.dialect.name == "sqlite"
    cache = "PRAGMA cache_size"
    make = session_factory(engine)
    with make() as s, s.begin():
        sid = ensure_source(s, "f", "discourse", "https://forum.test")
    with make() as s:
        before = s.connection().exec_driver_sql(cache).scalar() if sqlite_db else None
    with pytest.raises(ValueError, match="a failed write"), make() as s, s.begin(), \
            bulk.bulk_page_cache(s, kib=4096):
        if sqlite_db:
            assert s.connection().exec_driver_sql(cache).scalar() == -4096
        upsert_threads(s, sid, _items(0, 5))
        raise ValueError("a failed write")
    with make() as s:
        if sqlite_db:
            assert s.connection().exec_driver_sql(cache).scalar() == before != -4096
        assert s.scalars(select(Thread.id)).all() == []


def test_bulk_page_cache_lets_the_first_error_through_when_the_connection_is_gone(
    engine: Engine,
) -> None:
    """When the body fails because the connection was lost, the cache size cannot be put
    back; the body's own error must reach the caller, not the failed restore's."""
    make = session_factory(engine)
    with pytest.raises(ValueError, match="connection lost"), make() as s, s.begin(), \
            bulk.bulk_page_cache(s, kib=4096):
        s.connection().invalidate()
        raise ValueError("connection lost")
