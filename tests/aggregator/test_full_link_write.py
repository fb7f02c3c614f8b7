"""A full run's link write (`store.replace_all_links`, secondary indexes dropped and rebuilt
on SQLite) against the plain form (`delete_links(everything=True)` then the two inserts):
the same rows in the same order, the same indexes afterwards."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text

from aggregator import store
from aggregator.run import aggregate
from models.db import make_engine, session_factory
from models.entities import Study, Thread
from models.store import ensure_source, upsert_threads
from models.study_store import upsert_study
from tests.aggregator.test_run import WHEN, seed
from tests.conftest import _reset_postgres, init_database


def _stored(engine: Engine) -> dict[str, Any]:
    """Every link and candidate (with SQLite's rowid: the insertion order) and each
    table's indexes."""
    rowid = "rowid, " if engine.dialect.name == "sqlite" else ""
    out: dict[str, Any] = {}
    with engine.connect() as conn:
        for table in ("thread_study_link", "topic_candidate"):
            kind = ", kind" if table == "thread_study_link" else ""
            out[table] = conn.execute(text(
                f"SELECT {rowid}thread_id, study_id, score, evidence{kind} "
                f"FROM {table} ORDER BY {rowid or 'thread_id, study_id, '}1")).all()
            out[f"{table} indexes"] = sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspect(conn).get_indexes(table))
        if engine.dialect.name == "sqlite":
            out["schema"] = conn.execute(text(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")).all()
    return out


def _rows(rng: random.Random, threads: list[int], studies: list[int],
          candidates: bool) -> list[dict[str, Any]]:
    pairs = rng.sample([(t, s) for t in threads for s in studies],
                       rng.randint(0, len(threads) * len(studies)))
    rows = []
    for t, s in pairs:  # (in no particular order, as a run's rows come)
        row: dict[str, Any] = {"thread_id": t, "study_id": s,
                               "score": round(rng.random(), 4),
                               "evidence": json.dumps(
                                   {"treatments": ["minoxidil"][:rng.randint(0, 1)]})}
        if not candidates:
            row["kind"] = rng.choice(["topic", "citation"])
        rows.append(row)
    return rows


def _seed_many(engine: Engine) -> tuple[list[int], list[int]]:
    with session_factory(engine)() as session, session.begin():
        source = ensure_source(session, "forum", "discourse", "https://forum.invalid")
        upsert_threads(session, source, [
            {"external_id": f"x{i}", "url": f"https://forum.invalid/t/x{i}", "title": f"T{i}",
             "body": "", "created_at": WHEN, "replies": []} for i in range(12)])
        for i in range(5):
            upsert_study(session, {"pmid": str(1000 + i), "title": f"Study {i}"})
    with session_factory(engine)() as session:
        return (list(session.scalars(select(Thread.id).order_by(Thread.id))),
                list(session.scalars(select(Study.id).order_by(Study.id))))


def test_replace_all_links_matches_the_plain_delete_and_inserts(db_url: str) -> None:
    results = []
    for fast in (True, False):
        engine = make_engine(init_database(db_url) if fast else _fresh(db_url))
        threads, studies = _seed_many(engine)
        rng = random.Random(7)
        for _ in range(4):  # several rounds: each replaces what the previous one stored
            links = _rows(rng, threads, studies, candidates=False)
            taken = {(r["thread_id"], r["study_id"]) for r in links}
            candidates = [r for r in _rows(rng, threads, studies, candidates=True)
                          if (r["thread_id"], r["study_id"]) not in taken]
            with session_factory(engine)() as session, session.begin():
                if fast:
                    store.replace_all_links(session, links, candidates)
                else:
                    store.delete_links(session, everything=True)
                    store.insert_links(session, links)
                    store.insert_candidates(session, candidates)
            stored = _stored(engine)
            assert len(stored["thread_study_link"]) == len(links)
            assert len(stored["topic_candidate"]) == len(candidates)
            results.append(stored)
        engine.dispose()
    assert results[:4] == results[4:]


def _fresh(db_url: str) -> str:
    """A second, empty database like `db_url` (SQLite: another file; PostgreSQL: the
    same one, emptied and set up again)."""
    if db_url.startswith("sqlite"):
        return init_database(db_url.replace(".db", "-plain.db"))
    _reset_postgres(db_url)
    return init_database(db_url)


def test_a_failed_replace_keeps_the_indexes_and_rows(engine: Engine) -> None:
    threads, studies = _seed_many(engine)
    row = {"thread_id": threads[0], "study_id": studies[0], "kind": "topic", "score": 0.5,
           "evidence": "{}"}
    with session_factory(engine)() as session, session.begin():
        store.insert_links(session, [row])
    before = _stored(engine)
    # a duplicate key fails (SQLite: IntegrityError; PostgreSQL: psycopg's, from COPY)
    with pytest.raises(Exception, match=r"UNIQUE constraint|pk_thread_study_link"), \
            session_factory(engine)() as session, session.begin():
        store.replace_all_links(session, [row, row], [])
    assert _stored(engine) == before


def test_full_run_stores_what_the_plain_write_stores(db_url: str, monkeypatch: Any) -> None:

    def plain(session: Any, links: Any, candidates: Any) -> None:
        store.delete_links(session, everything=True)
        store.insert_links(session, links)
        store.insert_candidates(session, candidates)

    results = []
    for fast in (True, False):
        engine = make_engine(init_database(db_url) if fast else _fresh(db_url))
        if not fast:
            monkeypatch.setattr(store, "replace_all_links", plain)
        seed(engine)
        aggregate(session_factory(engine), full=True)
        aggregate(session_factory(engine), full=True)  # (the second replaces the first's)
        stored = _stored(engine)
        with engine.connect() as conn:
            stored["floors"] = conn.execute(select(Study.id, Study.topic_floor)
                                            .order_by(Study.id)).all()
        assert stored["thread_study_link"], "the seed links nothing"
        results.append(stored)
        engine.dispose()
        monkeypatch.undo()
    assert results[0] == results[1]


def _index_names(engine: Engine, conn: Any, table: str) -> set[str]:
    return {i["name"] for i in inspect(conn).get_indexes(table)}


def test_deferred_indexes_are_gone_inside_and_back_with_their_statistics(
        engine: Engine) -> None:
    """Inside `secondary_indexes_deferred` SQLite's plain secondary indexes are dropped (the
    speed-up) while a UNIQUE index stays (uniqueness holds throughout); afterwards every
    index is back, with the planner statistics an ANALYZE had stored. PostgreSQL keeps them."""
    from models.bulk import secondary_indexes_deferred
    from models.entities import ThreadStudyLink

    sqlite_db = engine.dialect.name == "sqlite"
    threads, studies = _seed_many(engine)
    with session_factory(engine)() as session, session.begin():
        store.insert_links(session, _rows(random.Random(3), threads, studies, False))
        session.execute(text("CREATE UNIQUE INDEX ix_test_unique_link "
                             "ON thread_study_link (study_id, thread_id, kind)"))
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
        stats = conn.execute(text("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY 1, 2")
                             ).all() if sqlite_db else []
        all_indexes = _index_names(engine, conn, "thread_study_link")
    assert "ix_test_unique_link" in all_indexes and len(all_indexes) >= 3
    with session_factory(engine)() as session, session.begin():
        with secondary_indexes_deferred(session, [ThreadStudyLink.__table__]):
            inside = _index_names(engine, session.connection(), "thread_study_link")
        after = _index_names(engine, session.connection(), "thread_study_link")
    if sqlite_db:
        assert inside == {"ix_test_unique_link"}
        assert len([s for s in stats if s[1] in all_indexes]) == len(all_indexes)
    else:
        assert inside == all_indexes
    assert after == all_indexes
    with engine.connect() as conn:
        if sqlite_db:
            assert conn.execute(text("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY 1, 2")
                                ).all() == stats


def test_deferred_indexes_refuse_a_connection_outside_a_transaction(tmp_path: Any) -> None:
    """A plain SQLAlchemy SQLite engine (pysqlite's legacy transactions: DDL outside any
    transaction) would lose the dropped indexes on a failure: refused."""
    from sqlalchemy import create_engine

    from models.bulk import secondary_indexes_deferred
    from models.entities import ThreadStudyLink

    url = init_database(f"sqlite:///{tmp_path / 'legacy.db'}")
    legacy = create_engine(url)
    deferred = secondary_indexes_deferred
    with session_factory(legacy)() as session, pytest.raises(RuntimeError, match="transaction"), \
            deferred(session, [ThreadStudyLink.__table__]):
        pass
    with legacy.connect() as conn:
        assert len(_index_names(legacy, conn, "thread_study_link")) >= 2
    legacy.dispose()
