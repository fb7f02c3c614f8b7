"""The treatments the aggregator added to each study (`models.study_tags`) after a merge."""

from __future__ import annotations

from sqlalchemy import Engine, select

from aggregator.run import aggregate
from models.db import session_factory
from models.entities import Study, StudyTreatment
from models.meta import set_meta
from models.study_store import StudyIn
from models.study_tags import STUDY_TAGS_KEY, tagger_added
from tests.aggregator.test_merge_race import KEPT, _merge
from tests.aggregator.test_run import ROSEMARY, seed

KEPT_MINOXIDIL: StudyIn = {**KEPT, "treatments": ["minoxidil"]}  # an importer's word


def _state(engine: Engine) -> tuple[dict[str, int], dict[int, set[str]], dict[int, set[str]]]:
    """(study id by DOI or PMID, treatments by study, aggregator-added by study)."""
    with session_factory(engine)() as session:
        ids = {doi or pmid: sid for sid, doi, pmid in
               session.execute(select(Study.id, Study.doi, Study.pmid))}
        treatments: dict[int, set[str]] = {}
        for sid, tid in session.execute(select(StudyTreatment.study_id,
                                               StudyTreatment.treatment_id)):
            treatments.setdefault(sid, set()).add(tid)
        return ids, treatments, tagger_added(session)


def test_a_merge_moves_the_added_treatments_to_the_kept_study(engine: Engine) -> None:
    seed(engine, [KEPT_MINOXIDIL, ROSEMARY])
    aggregate(session_factory(engine))
    ids, _, added = _state(engine)
    kept, rosemary = ids["10.9999/kept"], ids["25842469"]
    tagged = added[rosemary]
    assert "minoxidil" in tagged and "biotin" not in tagged  # (biotin: an importer's)
    _merge(engine)
    ids, treatments, added = _state(engine)
    assert set(ids.values()) == {kept}
    assert set(added) == {kept}  # the merged-away study's entry is gone
    # minoxidil: the importer set it on the kept study, so it stays the importer's
    assert added[kept] == tagged - {"minoxidil"}
    assert {"minoxidil", "biotin"} | tagged <= treatments[kept]
    aggregate(session_factory(engine))  # the kept study changed: retagged
    ids, treatments, added = _state(engine)
    assert set(added) <= {kept} and {"minoxidil", "biotin"} <= treatments[kept]


def test_a_rewrite_drops_studies_no_longer_stored(engine: Engine) -> None:
    """Entries of studies merged away before merges moved them (older databases)."""
    seed(engine, [KEPT, ROSEMARY])
    with session_factory(engine)() as session, session.begin():
        set_meta(session, STUDY_TAGS_KEY, '{"999": ["minoxidil"]}')
    aggregate(session_factory(engine), full=True)
    ids, _, added = _state(engine)
    assert 999 not in added and set(added) <= set(ids.values())
    assert added[ids["25842469"]]  # (the rewrite kept the stored studies' entries)
