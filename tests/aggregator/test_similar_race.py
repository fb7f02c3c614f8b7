"""A study merge (study import) while similar research is computed (`models.link_lock`).

`update_similar` writes `similar_study` rows, whose foreign keys name studies a merge
deletes. On PostgreSQL the merge commits while the lists are computed, or is uncommitted
(holding the links lock) when they are written; on SQLite (one writer at a time) it runs
between two updates.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import Engine, select

from aggregator import similar
from aggregator.lexicon import load_lexicon
from aggregator.similar import update_similar
from aggregator.tagger import Tagger
from models.db import session_factory
from models.entities import SimilarStudy, Study
from models.study_store import upsert_study
from tests.aggregator.test_merge_race import KEPT, MERGE, _merge, _run, _waiting_for_a_lock
from tests.aggregator.test_run import ORAL_VS_TOPICAL, ROSEMARY, seed


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_lexicon())


def _similar_rows(engine: Engine) -> tuple[set[int], list[tuple[int, int]]]:
    """(stored study ids, (study, similar study) of every similar_study row)."""
    with session_factory(engine)() as session:
        studies = set(session.scalars(select(Study.id)))
        rows = session.execute(select(SimilarStudy.study_id, SimilarStudy.similar_id)).all()
        return studies, [(a, b) for a, b in rows]


def _check_relisted(engine: Engine, tagger: Tagger) -> None:
    """Every row names stored studies; the next update (the merge changed what it reads)
    lists both studies left."""
    studies, rows = _similar_rows(engine)
    assert len(studies) == 2
    assert all(a in studies and b in studies for a, b in rows)
    update_similar(session_factory(engine), tagger)
    _, rows = _similar_rows(engine)
    assert {a for a, _ in rows} == studies


def test_a_merge_committed_while_similar_research_computes(
        engine: Engine, tagger: Tagger, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(engine, [KEPT, ROSEMARY, ORAL_VS_TOPICAL])
    if engine.dialect.name == "postgresql":
        compute = similar.compute_similar

        def merge_then_compute(*args: Any, **kwargs: Any) -> Any:
            _merge(engine)  # committed after the update read ROSEMARY, before it writes
            return compute(*args, **kwargs)

        monkeypatch.setattr(similar, "compute_similar", merge_then_compute)
        update_similar(session_factory(engine), tagger)  # no foreign key error
        monkeypatch.undo()
    else:
        update_similar(session_factory(engine), tagger)
        _merge(engine)
    _check_relisted(engine, tagger)


def test_similar_research_waits_for_a_merge_in_progress(engine: Engine,
                                                        tagger: Tagger) -> None:
    """The merge's transaction holds the links lock: the update waits for it before its
    first write, then leaves out the study merged away."""
    seed(engine, [KEPT, ROSEMARY, ORAL_VS_TOPICAL])
    errors: list[BaseException] = []
    updating = threading.Thread(
        target=lambda: _run(errors, lambda e: update_similar(session_factory(e), tagger),
                            engine))
    with session_factory(engine)() as session, session.begin():
        _, outcome = upsert_study(session, dict(MERGE))  # type: ignore[arg-type]
        assert outcome == "merged"
        if engine.dialect.name == "postgresql":  # (SQLite, one writer: the update after)
            updating.start()
            _waiting_for_a_lock(engine, updating)
            assert updating.is_alive()
    if engine.dialect.name != "postgresql":
        updating.start()
    updating.join(60)
    assert not updating.is_alive() and errors == []
    _check_relisted(engine, tagger)
