"""A topic link's evidence as the JSON text the database stores, built from cached parts.

The evidence of a (thread, study) pair is `{"treatments": [...], "terms": [...]}`: the
treatments both have and up to five of the study's keywords the thread uses, most weighty
first. A full run writes it for 150,000 links and candidates; `json.dumps` of a fresh
dict per row (and the JSON column's bind processor around it) was about a third of the
time it took to build and insert them. Here the text is put together from parts encoded
once: each (thread tags, study) pair's shared treatments and each keyword, so the result
is exactly `json.dumps(evidence)` (default separators, ASCII escapes): what the column
stored.
"""

from __future__ import annotations

import json

from aggregator.linker import StudyModel


class _Encoded(dict[int, str]):
    """Vocabulary index -> its word as JSON text, encoded on first use."""

    def __init__(self, model: StudyModel) -> None:
        super().__init__()
        self.model = model

    def __missing__(self, term: int) -> str:
        text = self[term] = json.dumps(self.model.vocab_word(term))
        return text


class EvidenceText:
    """Builds the evidence JSON of (thread tags, thread terms, study index) triples."""

    def __init__(self, model: StudyModel) -> None:
        self.model = model
        self._treatments: dict[tuple[frozenset[str], int], str] = {}
        self._words = _Encoded(model)

    def __call__(self, tags: frozenset[str], terms: frozenset[int], index: int) -> str:
        """`json.dumps({"treatments": shared treatments, "terms": shared keywords})`."""
        key = (tags, index)
        treatments = self._treatments.get(key)
        if treatments is None:
            treatments = self._treatments[key] = json.dumps(
                sorted(tags & self.model.study_treatments(index)))
        words = ", ".join(map(self._words.__getitem__,
                              self.model.shared_term_ids(terms, index))) if terms else ""
        return f'{{"treatments": {treatments}, "terms": [{words}]}}'
