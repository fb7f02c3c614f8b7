"""One writer of study-keyed rows at a time: the aggregator's link write, similar research's
write (`aggregator.similar.update_similar`, whose `similar_study` rows name studies too) and a
study merge.

On PostgreSQL (READ COMMITTED) the link write and a merge raced. A merge moves the links of
the study it absorbs to the one it keeps, then deletes the absorbed study. Links the aggregator has
written to that study but not committed are invisible to the move, and their foreign key
check locks the study row: the delete waits for the aggregator, which then updates that
row (its aggregated hash) and waits for the merge: a deadlock, and PostgreSQL aborts one
of them (the merge, in tests/aggregator/test_merge_race.py). Had the aggregator written
nothing after, the delete's `ON DELETE CASCADE` would have removed those links once they
committed. Links written after a merge committed name a study that is gone: a foreign key
error that failed the aggregate run. Both now take `lock_links` before their first write
(a study upsert takes it whether or not it merges: a merge after an earlier upsert in the
same transaction would otherwise wait for it while holding that study's row, which the
aggregator, holding it, waits for), a transaction-level advisory lock PostgreSQL releases
at commit or rollback, so one waits for the other; the
aggregator then leaves out rows of studies merged away before it wrote
(`existing_studies`); the kept study, its content hash changed, is relinked by the next
run. SQLite needs no lock: it runs one write transaction at a time.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.entities import Study
from models.post_rows import chunked

# pg_advisory_xact_lock key: any fixed 64-bit number no other part of hairlink uses
LINKS_LOCK_KEY = 0x6861_6972_6C6E_6B73  # "hairlnks"


def lock_links(session: Session) -> None:
    """Wait for, then hold until the transaction ends, the right to write links (PostgreSQL;
    nothing on SQLite)."""
    if session.connection().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(LINKS_LOCK_KEY)))


def existing_studies(session: Session, study_ids: Iterable[int]) -> set[int]:
    """Those of `study_ids` still stored (a merge deletes the study it absorbs)."""
    wanted = sorted(set(study_ids))
    found: set[int] = set()
    for chunk in chunked(wanted):
        found.update(session.scalars(select(Study.id).where(Study.id.in_(list(chunk)))))
    return found
