"""A study merge (study import) while `aggregate` writes links (`models.link_lock`).

On PostgreSQL the merge runs in another thread at the moment the aggregator's final
transaction has written its links (uncommitted), or commits just before that transaction
writes them; on SQLite (one writer at a time) it runs after the aggregate.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from aggregator import store
from aggregator.run import aggregate
from models.db import session_factory
from models.entities import Study, Thread, ThreadStudyLink
from models.study_store import StudyIn, upsert_study
from tests.aggregator.test_run import ROSEMARY, seed

KEPT: StudyIn = {"doi": "10.9999/kept", "title": "Sleep quality of night-shift nurses"}
# A kept row with a PMID already (a wrong one): the merge moves no identifier off ROSEMARY's
# row before it moves the links, which would make it wait for the aggregator's uncommitted
# links to that row (their foreign key check locks it).
KEPT_WITH_PMID: StudyIn = {**KEPT, "pmid": "11111111"}
MERGE: StudyIn = {"doi": "10.9999/kept", "pmid": "25842469"}  # the same paper as both


def _merge(engine: Engine) -> None:
    with session_factory(engine)() as session, session.begin():
        _, outcome = upsert_study(session, dict(MERGE))  # type: ignore[arg-type]
        assert outcome == "merged"


def _t2_links(engine: Engine) -> dict[str, str]:
    """Study DOI or PMID -> link kind of the thread citing PMID 25842469."""
    with session_factory(engine)() as session:
        rows = session.execute(
            select(Study.doi, Study.pmid, ThreadStudyLink.kind)
            .join(Study, Study.id == ThreadStudyLink.study_id)
            .join(Thread, Thread.id == ThreadStudyLink.thread_id)
            .where(Thread.external_id == "t2"))
        return {doi or pmid: kind for doi, pmid, kind in rows}


def _wrapped(monkeypatch: pytest.MonkeyPatch, name: str,
             around: Callable[[Callable[..., None], Any, Any], None]) -> None:
    original = getattr(store, name)
    monkeypatch.setattr(store, name, lambda session, *a, **k: around(original, session,
                                                                     (a, k)))


def _waiting_for_a_lock(engine: Engine, merging: threading.Thread) -> None:
    """Return once `merging` waits for a lock (or has ended). Only this test's database
    counts: pg_locks lists the waits of the whole server (other tests' too)."""
    with engine.connect() as connection:
        while merging.is_alive() and not connection.execute(text(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid IN ("
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database())")
                ).scalar():
            merging.join(0.05)


def test_a_merge_during_the_link_write_keeps_the_links(engine: Engine,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    seed(engine, [KEPT_WITH_PMID, ROSEMARY])
    errors: list[BaseException] = []
    merging = threading.Thread(target=lambda: _run(errors, _merge, engine))
    if engine.dialect.name == "postgresql":
        def insert_then_merge(original: Callable[..., None], session: Any, args: Any) -> None:
            original(session, *args[0], **args[1])  # t2 -> ROSEMARY, not committed yet
            merging.start()
            _waiting_for_a_lock(engine, merging)

        _wrapped(monkeypatch, "insert_links", insert_then_merge)
        aggregate(session_factory(engine))
    else:
        aggregate(session_factory(engine))
        merging.start()
    merging.join(60)
    assert not merging.is_alive() and errors == []
    # the merge moved t2's citation to the study it kept (it was deleted with the other)
    assert _t2_links(engine) == {"10.9999/kept": "citation"}


def test_links_of_a_study_merged_before_the_link_write_are_left_out(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(engine, [KEPT, ROSEMARY])
    if engine.dialect.name == "postgresql":
        def merge_then_delete(original: Callable[..., None], session: Any, args: Any) -> None:
            _merge(engine)  # committed after the pass read ROSEMARY, before it writes
            original(session, *args[0], **args[1])

        _wrapped(monkeypatch, "delete_links", merge_then_delete)
        aggregate(session_factory(engine))  # no foreign key error for ROSEMARY's rows
        monkeypatch.undo()
    else:
        aggregate(session_factory(engine))
        _merge(engine)
    aggregate(session_factory(engine))  # the kept study gained a PMID: relinked
    assert _t2_links(engine) == {"10.9999/kept": "citation"}


def _run(errors: list[BaseException], work: Callable[[Engine], None], engine: Engine) -> None:
    try:
        work(engine)
    except BaseException as error:  # reported by the test's thread
        errors.append(error)


def test_an_import_that_wrote_a_study_then_merges_does_not_deadlock(engine: Engine) -> None:
    """An import transaction that updated a study row before its merge: the aggregator,
    holding the links lock, waits for that row (it marks the study aggregated) while the
    merge waits for the links lock, unless the import took the lock before its first write."""
    seed(engine, [KEPT, ROSEMARY])
    errors: list[BaseException] = []
    aggregating = threading.Thread(target=lambda: _run(errors, _aggregate, engine))
    with session_factory(engine)() as session, session.begin():
        upsert_study(session, {**KEPT, "abstract": "Nurses slept less."})  # locks KEPT's row
        if engine.dialect.name == "postgresql":  # (SQLite, one writer: the aggregate after)
            aggregating.start()
            _waiting_for_a_lock(engine, aggregating)  # the links lock, or KEPT's row
        _, outcome = upsert_study(session, dict(MERGE))  # type: ignore[arg-type]
        assert outcome == "merged"
    if engine.dialect.name != "postgresql":
        aggregating.start()
    aggregating.join(60)
    assert not aggregating.is_alive() and errors == []
    aggregate(session_factory(engine))  # the kept study changed: relinked
    assert _t2_links(engine) == {"10.9999/kept": "citation"}


def _aggregate(engine: Engine) -> None:
    aggregate(session_factory(engine))
