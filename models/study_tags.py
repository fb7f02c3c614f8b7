"""Which study treatments the aggregator added (not an importer): `meta[STUDY_TAGS_KEY]`,
study id -> treatment ids, as JSON.

The aggregator recomputes and may remove only those; the others an importer set. A study
merge deletes a study: its entry moves to the study kept (`move_tagger_added`, called by
`models.study_store`), and a rewrite keeps only stored studies (`store_tagger_added`), so
no id of a study merged away stays behind (on SQLite a later study may get its id again).
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from models.link_lock import existing_studies
from models.meta import get_meta, set_meta

STUDY_TAGS_KEY = "aggregator.study_tags"


def tagger_added(session: Session) -> dict[int, set[str]]:
    """Study treatments the aggregator added (not set by an importer)."""
    return _parse(get_meta(session, STUDY_TAGS_KEY))


def store_tagger_added(session: Session, added: dict[int, set[str]]) -> None:
    """Replace the stored entries with `added`, less studies no longer stored."""
    stored = existing_studies(session, added)
    _write(session, {k: v for k, v in added.items() if k in stored})


def move_tagger_added(session: Session, keep_id: int, other_id: int,
                      keep_had: set[str], other_had: set[str]) -> None:
    """Study `other_id` (treatments `other_had`) is merged into `keep_id` (`keep_had`): a
    treatment counts as added to the kept study when the aggregator added it to each study
    that had it (an importer's word on either stands); `other_id`'s entry goes."""
    raw = get_meta(session, STUDY_TAGS_KEY)
    if not raw or (f'"{other_id}"' not in raw and f'"{keep_id}"' not in raw):
        return  # (the JSON is parsed only when one of them has an entry)
    added = _parse(raw)
    other_added = added.pop(other_id, set())
    keep_added = added.get(keep_id, set())
    merged = (keep_added - (other_had - other_added)) | (other_added - (keep_had - keep_added))
    added[keep_id] = merged
    _write(session, added)


def _parse(raw: str | None) -> dict[int, set[str]]:
    return {int(k): set(v) for k, v in json.loads(raw).items()} if raw else {}


def _write(session: Session, added: dict[int, set[str]]) -> None:
    set_meta(session, STUDY_TAGS_KEY,
             json.dumps({str(k): sorted(v) for k, v in sorted(added.items()) if v}))
