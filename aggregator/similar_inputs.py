"""What similar research reads of each study, and how much each of its signals counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.lexicon import normalise
from aggregator.tagger import Tagger
from models.entities import Study


@dataclass(frozen=True)
class SimilarWeights:
    """How much each signal counts (see `aggregator.similar`)."""

    text: float = 1.0
    main_treatment: float = 0.8
    same_main: float = 0.2
    any_treatment: float = 0.4
    coupling: float = 0.3
    cocitation: float = 0.3
    direct: float = 0.2

    @property
    def total(self) -> float:
        """The largest possible raw score."""
        return (self.text + self.main_treatment + self.same_main + self.any_treatment
                + self.coupling + self.cocitation + self.direct)


@dataclass
class SimilarInput:
    """What similarity reads of one study."""

    id: int
    title: str
    abstract: str = ""
    mesh_terms: Sequence[str] = ()
    treatments: frozenset[str] = frozenset()
    main_treatment: str | None = None


def main_treatment(tagger: Tagger, title: str, abstract: str,
                   treatments: frozenset[str]) -> str | None:
    """The study's main treatment: the first of `treatments` its title names, else the one
    its title + abstract name most (ties: alphabetical), else the first alphabetically."""
    if not treatments:
        return None
    if len(treatments) == 1:
        return next(iter(treatments))
    for _, value in tagger.automaton.iter(f" {normalise(title)} "):
        for target in value[1] or ():  # (alias length, targets or None/() , form cue)
            if target.treatment in treatments:
                return target.treatment
    counts: Counter[str] = Counter()
    for _, value in tagger.automaton.iter(f" {normalise(title + ' ' + abstract)} "):
        for target in value[1] or ():
            if target.treatment in treatments:
                counts[target.treatment] += 1
    if counts:
        return min(counts, key=lambda t: (-counts[t], t))
    return min(treatments)


def load_inputs(session: Session, tagger: Tagger,
                treatments: dict[int, set[str]]) -> list[SimilarInput]:
    """Every study as similarity reads it (main treatment found from its title/abstract)."""
    studies: list[SimilarInput] = []
    for sid, title, abstract, mesh in session.connection().execute(
            select(Study.id, Study.title, Study.abstract, Study.mesh_terms).order_by(Study.id)):
        tset = frozenset(treatments.get(sid, ()))
        studies.append(SimilarInput(
            id=sid, title=title or "", abstract=abstract or "", mesh_terms=list(mesh or []),
            treatments=tset, main_treatment=main_treatment(tagger, title or "",
                                                           abstract or "", tset)))
    return studies
