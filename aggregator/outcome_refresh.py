"""Outcomes re-read alone, after an outcome cue-file change (`aggregator.run`).

A cue file feeds only the outcome reader: a thread whose text and tags are unchanged keeps
its tags, summary and links. Such threads are tagged again only for the mentions the reader
needs (in the run's workers), and only the tag rows whose effect or side effects differ
from what is stored are updated; nothing is deleted or inserted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from aggregator import store
from aggregator.blocks import BlockWorker, Reread, RunState
from models.entities import ThreadTreatment
from models.store import batched


def refresh_outcomes(make_session: Callable[[], Session], run: RunState,
                     thread_ids: Sequence[int], workers: int, batch_size: int) -> list[int]:
    """Re-read the outcomes of `thread_ids` block by block (each block committed as it is
    done: an interrupted run is redone by the next, the cue hash being stored last);
    `workers`: processes to use (1: this one). Returns the threads whose stored outcomes
    changed."""
    changed: list[int] = []
    with BlockWorker(run, workers) as work, \
            make_session() as session:
        pending: Callable[[], list[Reread]] | None = None
        for batch in store.iter_threads(session, list(thread_ids), batch_size):
            handle = work.submit_reread([text for text, _ in batch])
            if pending is not None:
                changed += write_changed_outcomes(session, pending())
            pending = handle
        if pending is not None:
            changed += write_changed_outcomes(session, pending())
    return changed


def write_changed_outcomes(session: Session, reread: Sequence[Reread]) -> list[int]:
    """Update the stored tag rows of the re-read threads whose outcome differs (a stored
    treatment the reader no longer reports on is `none`); commits; returns those threads."""
    found = dict(reread)
    rows: list[dict[str, Any]] = []
    for chunk in batched(sorted(found), store.IN_BATCH):
        stored = session.execute(
            select(ThreadTreatment.thread_id, ThreadTreatment.treatment_id,
                   ThreadTreatment.effect, ThreadTreatment.side_effects)
            .where(ThreadTreatment.thread_id.in_(chunk)))
        for thread_id, treatment, effect, sides in stored:
            new_effect, new_sides = found[thread_id].get(treatment, ("none", []))
            if (new_effect, new_sides) != (effect, list(sides or [])):
                rows.append({"thread_id": thread_id, "treatment_id": treatment,
                             "effect": new_effect, "side_effects": new_sides})
    if rows:  # (an UPDATE by primary key per row: a cue change moves few outcomes)
        session.execute(update(ThreadTreatment), rows)
    session.commit()
    return sorted({row["thread_id"] for row in rows})
