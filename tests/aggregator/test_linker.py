"""Linker scoring without a database: main treatments, comparators, citations, settings."""

from __future__ import annotations

import numpy as np
import pytest

from aggregator.lexicon import load_lexicon
from aggregator.link_types import LinkSettings, StudyText, ThreadText
from aggregator.linker import StudyModel, analyse_thread, top_per_study
from aggregator.tagger import Tagger

STUDIES = [
    StudyText(10, "Saw palmetto versus finasteride in androgenetic alopecia",
              "Men took saw palmetto 320 mg or finasteride 1 mg for two years; saw palmetto "
              "helped fewer men.", "Saw palmetto was weaker than finasteride.",
              doi="10.1177/039463201202500435"),
    StudyText(20, "Finasteride 1 mg: 10-year follow-up", "Finasteride kept working for ten "
              "years in most men.", pmid="21910805", pmcid="PMC3128374"),
]


@pytest.fixture(scope="module")
def model() -> tuple[Tagger, StudyModel]:
    tagger = Tagger(load_lexicon())
    return tagger, StudyModel(STUDIES, tagger)


def score_of(tagger: Tagger, model: StudyModel, title: str, body: str) -> tuple[float, bool]:
    analysis = analyse_thread(tagger, ThreadText(1, title, body))
    score, main = model.scores(model.features([analysis]))
    return float(score[0, 0]), bool(main[0, 0])


def test_main_treatment_beats_comparator(model: tuple[Tagger, StudyModel]) -> None:
    tagger, m = model
    assert m.study_treatments(0) == {"saw_palmetto", "finasteride"}
    both, main_both = score_of(tagger, m, "Saw palmetto instead of fin?", "SP vs fin sides")
    sp, main_sp = score_of(tagger, m, "Saw palmetto worth it?", "taking saw palmetto")
    fin, main_fin = score_of(tagger, m, "Fin sides", "quit fin after 3 months")
    none, _ = score_of(tagger, m, "NW2 or NW3?", "be brutal")
    assert both > sp > fin > none == 0.0
    assert main_both and main_sp and not main_fin
    assert sp >= LinkSettings().topic_threshold > fin


def test_citations_by_every_identifier(model: tuple[Tagger, StudyModel]) -> None:
    tagger, m = model
    analysis = analyse_thread(tagger, ThreadText(
        1, "two papers", "https://journals.sagepub.com/doi/10.1177/039463201202500435/full "
        "and PMC3128374"))
    assert m.cited(analysis.identifiers) == {0: "doi:10.1177/039463201202500435",
                                             1: "pmcid:PMC3128374"}
    other = analyse_thread(tagger, ThreadText(2, "x", "https://doi.org/10.1177/0394632012"))
    assert m.cited(other.identifiers) == {}


def test_top_per_study_orders_by_score_then_thread() -> None:
    score = np.array([[0.5, 0.9], [0.7, 0.1], [0.7, 0.8]], dtype=np.float32)
    eligible = np.array([[True, True], [True, False], [True, True]])
    studies, threads, values = top_per_study(score, eligible, 2, np.array([30, 10, 20]))
    assert studies.tolist() == [0, 0, 1, 1]
    assert threads.tolist() == [10, 20, 30, 20]
    assert values.tolist() == pytest.approx([0.7, 0.7, 0.9, 0.8])


def test_settings_from_config() -> None:
    assert LinkSettings.from_section({}) == LinkSettings()
    assert LinkSettings.from_section({"topic_threshold": 0.5, "max_topic_links": 3}) == \
        LinkSettings(0.5, 3)
    with pytest.raises(ValueError, match="topic_threshold"):
        LinkSettings.from_section({"topic_threshold": "high"})
    with pytest.raises(ValueError, match="max_topic_links"):
        LinkSettings.from_section({"max_topic_links": -1})


def test_dense_text_scores_equal_sparse_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """A block's keywords x studies taken dense gives the sparse product's scores exactly."""
    import random

    import aggregator.linker as linker

    rng = random.Random(4)
    words = ["".join(rng.choices("bcdfgklmnprtvz", k=3)) + "ine" for _ in range(300)]

    def text(k: int) -> str:
        return " ".join(rng.choices(words, k=k))

    studies = [StudyText(i, "finasteride " + text(8), text(60)) for i in range(1, 40)]
    tagger = Tagger(load_lexicon())
    model = StudyModel(studies, tagger)
    threads = [analyse_thread(tagger, ThreadText(i, text(6), text(rng.randint(0, 80))))
               for i in range(200)]
    feats = model.features(threads)
    columns = np.array([3, 1, 7, 20], dtype=np.int64)
    dense = [model._text_scores(feats, None), model._text_scores(feats, columns)]
    monkeypatch.setattr(linker, "DENSE_TEXT_CELLS", 0)
    sparse = [model._text_scores(feats, None), model._text_scores(feats, columns)]
    assert dense[0].any()
    for d, s in zip(dense, sparse, strict=True):
        assert d.dtype == s.dtype == np.float32
        assert np.array_equal(d, s)  # to the bit
