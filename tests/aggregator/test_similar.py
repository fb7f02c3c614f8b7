"""Similar research: ranking signals, top-k selection, storing and skipping unchanged runs."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from aggregator.lexicon import load_lexicon
from aggregator.run import aggregate
from aggregator.similar_inputs import SimilarInput, main_treatment
from aggregator.similar_scores import compute_similar, top_k
from aggregator.tagger import Tagger
from models.db import session_factory
from models.entities import SimilarStudy, StudyReference
from models.study_research import similar_to
from models.study_store import upsert_study


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_lexicon())


def test_main_treatment_is_the_first_named_in_the_title(tagger: Tagger) -> None:
    both = frozenset({"dutasteride", "finasteride"})
    assert main_treatment(tagger, "Dutasteride versus finasteride in men", "", both) == \
        "dutasteride"
    assert main_treatment(tagger, "Finasteride or dutasteride?", "", both) == "finasteride"
    assert main_treatment(tagger, "A hair trial", "finasteride, finasteride and dutasteride",
                          both) == "finasteride"
    assert main_treatment(tagger, "x", "", frozenset()) is None


def test_top_k_matches_a_full_sort_with_ties_to_the_lower_id() -> None:
    rng = np.random.default_rng(3)
    for n in (5, 90, 700):
        score = np.round(rng.random((11, n)) * 3).astype(np.float32) / 3  # many ties
        ids = np.arange(n)[::-1].copy()
        best, values = top_k(score, 4, ids)
        for r in range(11):
            expected = sorted(range(n), key=lambda j: (-score[r, j], ids[j]))[:4]
            assert list(best[r]) == expected
            assert list(values[r]) == [score[r, j] for j in expected]


def _study(i: int, title: str, treatments: set[str], main: str | None,
           abstract: str = "") -> SimilarInput:
    return SimilarInput(id=i, title=title, abstract=abstract,
                        treatments=frozenset(treatments), main_treatment=main)


def test_main_treatment_outranks_a_side_treatment_and_references_count() -> None:
    studies = [
        _study(1, "Minoxidil foam trial", {"minoxidil"}, "minoxidil"),
        _study(2, "Ketoconazole shampoo with minoxidil", {"ketoconazole", "minoxidil"},
               "ketoconazole"),
        _study(3, "Oral minoxidil in women", {"minoxidil"}, "minoxidil"),
        _study(4, "Platelet rich plasma sessions", {"prp"}, "prp"),
        _study(5, "Laser caps at home", {"lllt"}, "lllt"),
        _study(6, "Scalp biopsies", set(), None),
    ]
    result = compute_similar(studies, [])
    assert [i for i, _ in result[1]][:2] == [3, 2]
    assert [i for i, _ in result[2]][:2] == [1, 3] or [i for i, _ in result[2]][:2] == [3, 1]
    assert all(i != sid for sid, lst in result.items() for i, _ in lst)
    assert all(0 < score <= 1 for lst in result.values() for _, score in lst)
    # Shared references (bibliographic coupling) lift PRP and laser studies together.
    coupled = compute_similar(studies, [(4, None, 100), (4, None, 101), (5, None, 100),
                                        (5, None, 101)])
    assert coupled[4][0][0] == 5 and coupled[5][0][0] == 4
    # A cycle of citations is no problem, and at most `top` are listed.
    cyclic = compute_similar(studies, [(1, 3, None), (3, 1, None)], top=2)
    assert all(len(lst) <= 2 for lst in cyclic.values()) and cyclic[1][0][0] == 3


def _catalogue(engine: Engine) -> None:
    with session_factory(engine)() as session:
        for n, (title, abstract) in enumerate([
                ("Oral minoxidil versus topical minoxidil", "Minoxidil tablets and lotion."),
                ("Low dose oral minoxidil in women", "Minoxidil for female hair loss."),
                ("Finasteride over ten years", "Finasteride 1 mg kept hair."),
                ("Topical finasteride spray", "Finasteride on the scalp."),
                ("Microneedling with minoxidil", "Microneedling added to minoxidil.")]):
            upsert_study(session, {"pmid": str(1000 + n), "title": title,
                                   "abstract": abstract})
        session.commit()


def test_aggregate_stores_similar_research_and_skips_when_unchanged(engine: Engine) -> None:
    _catalogue(engine)
    make = session_factory(engine)
    first = aggregate(make, workers=1)
    assert not first.similar_skipped and first.similar_updated == 5
    with make() as session:
        assert session.scalar(select(func.count()).select_from(SimilarStudy)) > 0
        from models.study_keys import find_study
        oral = find_study(session, "pmid:1000")
        similar = similar_to(session, oral.id)
        assert 1 <= len(similar) <= 4
        assert similar[0].pmid in ("1001", "1004")  # minoxidil studies first
        assert [s.score for s in similar] == sorted((s.score for s in similar), reverse=True)
    second = aggregate(make, workers=1)
    assert second.similar_skipped and "similar research unchanged" in second.summary()
    with make() as session:  # a new reference edge changes what similarity reads
        session.add(StudyReference(citing_study_id=oral.id, position=0,
                                   cited_study_id=find_study(session, "pmid:1002").id))
        session.commit()
    third = aggregate(make, workers=1)
    assert not third.similar_skipped


def test_replace_similar_rewrites_only_lists_that_changed(engine: Engine) -> None:
    from models.study_references import replace_similar

    _catalogue(engine)
    with session_factory(engine)() as session:
        a, b, c, d = 1, 2, 3, 4  # the first four catalogue rows
        assert replace_similar(session, {a: [(b, 0.401), (c, 0.4)], b: [(a, 0.5)]}) == 2
        # A near-tie that flipped and a tiny score move: nothing rewritten.
        assert replace_similar(session, {a: [(c, 0.4021), (b, 0.4019)], b: [(a, 0.501)]}) == 0
        assert [s.study_id for s in similar_to(session, a)] == [b, c]
        assert replace_similar(session, {a: [(d, 0.6), (b, 0.5)], b: [(a, 0.4)]}) == 2
        assert [(s.study_id, round(s.score or 0, 2)) for s in similar_to(session, a)] == \
            [(d, 0.6), (b, 0.5)]
        session.commit()


def test_large_catalogues_keep_their_text_model_between_runs(
        engine: Engine, tagger: Tagger, monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from aggregator import similar_text
    from aggregator.similar import update_similar
    from models.entities import Study

    monkeypatch.setattr(similar_text, "LSA_FROM", 40)
    monkeypatch.setattr(similar_text, "LSA_DIMS", 8)
    rng = random.Random(5)
    words = [f"term{n}" for n in range(300)]
    treatments = ["minoxidil", "finasteride", "dutasteride", "microneedling", "ketoconazole"]
    with session_factory(engine)() as session:
        from aggregator.store import sync_treatments
        sync_treatments(session, tagger.lexicon)
        for n in range(60):
            name = treatments[n % 5]
            upsert_study(session, {"pmid": str(5000 + n), "title": f"{name} study {n}",
                                   "abstract": " ".join(rng.choices(words, k=60)),
                                   "treatments": [name]})
        session.commit()
    make = session_factory(engine)
    first = update_similar(make, tagger)
    assert first.refitted and first.changed == 60
    with make() as session:
        study = session.scalars(select(Study).where(Study.pmid == "5007")).one()
        study.content_hash = "edited"
        study.abstract = "term1 term2 term3"
        session.commit()
    second = update_similar(make, tagger)
    assert not second.refitted and not second.skipped
    assert 0 < second.changed < 30  # only the lists the edited study enters or leaves
    third = update_similar(make, tagger, full=True)
    assert third.refitted
