"""Link evidence text: exactly what `json.dumps` of the evidence dict gives."""

from __future__ import annotations

import json

from aggregator.evidence import EvidenceText
from aggregator.lexicon import load_lexicon
from aggregator.link_types import StudyText
from aggregator.linker import StudyModel
from aggregator.tagger import Tagger

STUDIES = [
    StudyText(1, "Minoxidil and finasteride in men: a café study of crown density",
              "Oral minoxidil raised crown density; finasteride kept the vertex. Naïve "
              "participants, crown photographs, density counts.", "Crown density rose."),
    StudyText(2, "Ketoconazole shampoo and scalp dandruff", "Shampoo twice weekly.",
              preset_treatments=["ketoconazole"]),
]


def test_evidence_text_is_json_dumps_of_the_evidence() -> None:
    tagger = Tagger(load_lexicon())
    model = StudyModel(STUDIES, tagger)
    evidence = EvidenceText(model)
    every_term = frozenset(model.vocab.values())  # every keyword of every study
    cases = [(frozenset({"minoxidil", "finasteride", "biotin"}), every_term, 0),
             (frozenset({"ketoconazole"}), every_term, 1),
             (frozenset(), frozenset(), 0), (frozenset({"biotin"}), frozenset({-5}), 1)]
    for tags, terms, index in cases:
        expected = json.dumps({
            "treatments": sorted(tags & model.study_treatments(index)),
            "terms": model.shared_terms(terms, index) if terms else []})
        assert evidence(tags, terms, index) == expected
        assert evidence(tags, terms, index) == expected  # from the cache, the same
    assert json.loads(evidence(*cases[0]))["treatments"] == ["finasteride", "minoxidil"]
    assert len(json.loads(evidence(*cases[0]))["terms"]) == 5

