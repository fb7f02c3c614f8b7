"""Similar research: for each study, the most similar catalogue studies.

The score of study j for study i is a weighted sum, divided by the sum of the weights (so it
lies in [0, 1]):

- text: cosine of TF-IDF vectors of title (twice) + abstract + MeSH terms (exact for small
  catalogues; a truncated-SVD projection of them from `LSA_FROM` studies on, so that 20k
  studies stay a few dense matrix products);
- main treatment: j concerns i's main treatment (the first of i's treatments its title names,
  else the one its text names most), and a bonus when it is j's main treatment too;
- any treatment: cosine of the two treatment sets (shared / sqrt(|A| |B|));
- bibliographic coupling: cosine of the two reference lists (shared references);
- co-citation: cosine of the sets of catalogue studies citing each;
- direct citation: one cites the other.

Computed for every study at once (one row block at a time, top-k from maxima of column
groups) and stored only where a study's list changed; skipped when nothing it reads changed
since the last run (a fingerprint in `meta`). From `LSA_FROM` studies on the text model
(vocabulary, IDF, SVD projection) is kept in `meta` between runs, so a small change leaves
the other pairs' scores as they were; it is refitted by a full run or once the catalogue
size moved by `REFIT_SHARE`.

The parts: `similar_inputs` (what is read of a study, the weights), `similar_text` (the text
model), `similar_citations` (coupling, co-citation, direct citation), `similar_scores` (the
blocks and their top k); this module runs and stores them.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator import similar_text, store
from aggregator.similar_citations import edge_array
from aggregator.similar_inputs import SimilarWeights, load_inputs
from aggregator.similar_scores import PhaseClock, compute_similar
from aggregator.tagger import Tagger
from models.entities import Study, StudyTreatment
from models.link_lock import existing_studies, lock_links
from models.study_references import replace_similar
from models.study_research import reference_edges

SIMILAR_KEY = "similar_fingerprint"


@dataclass
class SimilarStats:
    """What an update did."""

    studies: int = 0
    changed: int = 0
    skipped: bool = False
    refitted: bool = False  # the text model was fitted (not the kept one)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # phase -> wall seconds
    cpu: dict[str, float] = field(default_factory=dict)  # phase -> CPU seconds (process)


def _fingerprint(session: Session, treatments: dict[int, set[str]], edges: np.ndarray,
                 extra: str) -> str:
    """A hash of everything similarity reads: study content hashes, treatments, edges."""
    digest = hashlib.sha1(extra.encode(), usedforsecurity=False)
    for sid, content_hash in session.connection().execute(
            select(Study.id, Study.content_hash).order_by(Study.id)):
        digest.update(f"{sid}|{content_hash}|{','.join(sorted(treatments.get(sid, ())))}\n"
                      .encode())
    array = edge_array(edges)
    array = array[np.lexsort(array.T[::-1])] if len(array) else array
    digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def _still_stored(session: Session, result: dict[int, list[tuple[int, float]]],
                  ) -> dict[int, list[tuple[int, float]]]:
    """`result` without the studies a merge deleted since they were read."""
    kept = existing_studies(session, result)
    return {sid: [(other, score) for other, score in rows if other in kept]
            for sid, rows in result.items() if sid in kept}


def update_similar(make_session: Callable[[], Session], tagger: Tagger, full: bool = False,
                   top: int = 6, weights: SimilarWeights | None = None) -> SimilarStats:
    """Recompute similar research when any study, treatment or reference edge changed since
    the last run (always with `full`); store the lists that changed.

    The writes take the links lock first (`models.link_lock`): a study merge in progress is
    waited for, and studies merged away since they were read are left out (the kept study
    changed, so the next run, its fingerprint different, lists it again).
    """
    started = time.perf_counter()
    stats = SimilarStats()
    clock = PhaseClock(stats.timings, stats.cpu)
    with make_session() as session, session.begin():
        treatments: dict[int, set[str]] = {}
        for study_id, tid in session.connection().execute(
                select(StudyTreatment.study_id, StudyTreatment.treatment_id)):
            treatments.setdefault(study_id, set()).add(tid)
        edges = edge_array(reference_edges(session))
        fingerprint = _fingerprint(session, treatments, edges,
                                   f"{top}:{weights or SimilarWeights()}:{similar_text.LSA_FROM}")
        clock.lap("fingerprint")
        if not full and store.get_meta(session, SIMILAR_KEY) == fingerprint:
            stats.skipped = True
            stats.seconds = time.perf_counter() - started
            return stats
        studies = load_inputs(session, tagger, treatments)
        stats.studies = len(studies)
        model = None if full else similar_text.kept_model(session, len(studies))
        stats.refitted = model is None
        if model is None:
            model = similar_text.fit_text_model(studies)
        clock.lap("load")
        result = compute_similar(studies, edges, top=top, weights=weights,
                                 timings=stats.timings, cpu=stats.cpu, model=model)
        clock = PhaseClock(stats.timings, stats.cpu)
        lock_links(session)  # before the first write, as a study merge and the link write
        if stats.refitted and model.components is not None:  # small ones refit every run
            store.set_meta(session, similar_text.TEXT_MODEL_KEY, model.dumps())
        stats.changed = replace_similar(session, _still_stored(session, result))
        store.set_meta(session, SIMILAR_KEY, fingerprint)
        clock.lap("store")
    stats.seconds = time.perf_counter() - started
    return stats
