"""Thread <-> study linking: citations by identifier, topics by treatments and text relevance.

Topical score of (thread, study), each part in [0, 1]:

    score = W_OVERLAP * overlap + W_TEXT * text + W_FORMS * forms + W_TITLE * title

- overlap: the study's treatments weighted by prominence in the study (title, mentions) and
  rarity across studies (IDF), summed over the treatments the thread is tagged with. A thread
  about the study's main treatment scores high; one about a comparator only scores low.
- title: the same, counting only treatments named in the thread title (its central topic).
- forms: share of the study's treatment forms (oral/topical...) the thread also has.
- text: TF-IDF cosine between the thread and the study's title, abstract, TLDR and MeSH
  terms (IDF over the study catalogue, each study reduced to its `MAX_STUDY_TERMS` keywords).

Scores for a block of threads against every study are computed with numpy; nothing in the
hot path loops in Python per (thread, study) pair.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from aggregator.citations import Identifiers, doi_candidates, find_identifiers
from aggregator.tagger import Tag, Tagger
from aggregator.text import content_token, tokens
from models.identifiers import normalise_doi, normalise_pmcid, normalise_pmid

W_OVERLAP = 0.55
W_TEXT = 0.25
W_FORMS = 0.10
W_TITLE = 0.10
MAX_STUDY_TERMS = 40
MAX_DF_SHARE = 0.5
MAIN_SHARE = 0.6  # terms in more than half of the studies carry no topical signal
# Keep a topic link when its score reaches this (see docs/aggregator.md for the reasoning)
DEFAULT_TOPIC_THRESHOLD = 0.35
DEFAULT_MAX_TOPIC_LINKS = 50  # per study
CITATION_BONUS = 1.0  # a citation link scores 1 + its topical score


@dataclass
class LinkSettings:
    """Tunable linker settings (config table `[aggregate]`)."""

    topic_threshold: float = DEFAULT_TOPIC_THRESHOLD
    max_topic_links: int = DEFAULT_MAX_TOPIC_LINKS

    @classmethod
    def from_section(cls, section: dict[str, object]) -> LinkSettings:
        """Read `topic_threshold` and `max_topic_links` from a config table."""
        threshold = section.get("topic_threshold", DEFAULT_TOPIC_THRESHOLD)
        limit = section.get("max_topic_links", DEFAULT_MAX_TOPIC_LINKS)
        if not isinstance(threshold, int | float) or isinstance(threshold, bool):
            raise ValueError("[aggregate] topic_threshold must be a number")
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            raise ValueError("[aggregate] max_topic_links must be a non-negative integer")
        return cls(float(threshold), limit)


@dataclass
class StudyText:
    """What the linker reads of a study."""

    id: int
    title: str = ""
    abstract: str | None = None
    tldr: str | None = None
    mesh_terms: Sequence[str] = ()
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    preset_treatments: Sequence[str] = ()  # set by an importer


@dataclass
class ThreadText:
    """What the linker reads of a thread."""

    id: int
    title: str
    body: str = ""
    replies: Sequence[str] = ()


@dataclass
class ThreadAnalysis:
    """A thread's tags, identifiers and raw word counts."""

    id: int
    tags: dict[str, Tag]
    identifiers: Identifiers
    words: Counter[str] = field(default_factory=Counter)


def analyse_thread(tagger: Tagger, thread: ThreadText) -> ThreadAnalysis:
    """Tag a thread, find its identifiers and count its words."""
    tags, norm = tagger.tag_thread(thread.title, thread.body, thread.replies)
    identifiers = find_identifiers("\n".join((thread.title, thread.body, *thread.replies)))
    return ThreadAnalysis(thread.id, tags, identifiers, Counter(norm.split()))


class StudyModel:
    """Every study's treatment weights, forms, keywords and identifiers, ready to score."""

    def __init__(self, studies: Sequence[StudyText], tagger: Tagger) -> None:
        self.studies = list(studies)
        self.ids = np.array([s.id for s in self.studies], dtype=np.int64)
        self.index_of = {s.id: i for i, s in enumerate(self.studies)}
        self.tags: list[dict[str, Tag]] = []
        for study in self.studies:
            self.tags.append(tagger.tag(study.title, study.abstract or "",
                                        [study.tldr or "", " ; ".join(study.mesh_terms)]))
        self._treatment_sets = [set(tags) | set(s.preset_treatments)
                                for tags, s in zip(self.tags, self.studies, strict=True)]
        treatment_ids = set(tagger.lexicon.treatments)
        for study in self.studies:
            treatment_ids.update(study.preset_treatments)
        self.treatments = sorted(treatment_ids)
        self.t_index = {t: i for i, t in enumerate(self.treatments)}
        self.form_keys = sorted({f"{tid}:{form}" for tid, info in
                                 tagger.lexicon.treatments.items() for form in info.forms})
        self.f_index = {k: i for i, k in enumerate(self.form_keys)}
        self._treatment_weights()
        self._form_weights()
        self._keywords()
        self._identifiers()

    # -- building ----------------------------------------------------------------------------

    def study_treatments(self, index: int) -> set[str]:
        """The treatments of study `index`: tagged from its text plus importer-set ones."""
        return self._treatment_sets[index]

    def _treatment_weights(self) -> None:
        n = len(self.studies)
        weights = np.zeros((n, len(self.treatments)), dtype=np.float32)
        for i, study in enumerate(self.studies):
            for tid, tag in self.tags[i].items():
                weights[i, self.t_index[tid]] = (min(tag.mentions, 6)
                                                 + 3.0 * ("title" in tag.locations))
            for tid in study.preset_treatments:
                j = self.t_index[tid]
                weights[i, j] = max(weights[i, j], 2.0)
        df = (weights > 0).sum(axis=0)
        idf = np.log1p(n / np.maximum(df, 1)).astype(np.float32)
        weights *= idf
        totals = weights.sum(axis=1, keepdims=True)
        self.treatment_weights = np.divide(weights, totals, out=np.zeros_like(weights),
                                           where=totals > 0)
        # The study's main treatments: those weighing at least MAIN_SHARE of its heaviest.
        heaviest = self.treatment_weights.max(axis=1, initial=0.0, keepdims=True)
        self.main_treatments = ((self.treatment_weights > 0)
                                & (self.treatment_weights >= MAIN_SHARE * heaviest)
                                ).astype(np.float32)

    def _form_weights(self) -> None:
        forms = np.zeros((len(self.studies), len(self.form_keys)), dtype=np.float32)
        for i, tags in enumerate(self.tags):
            for tid, tag in tags.items():
                for form in tag.forms:
                    key = f"{tid}:{form}"
                    if key in self.f_index:
                        forms[i, self.f_index[key]] = 1.0
        totals = forms.sum(axis=1, keepdims=True)
        self.form_weights = np.divide(forms, totals, out=np.zeros_like(forms), where=totals > 0)

    def _keywords(self) -> None:
        docs: list[Counter[str]] = []
        for s in self.studies:
            counts = Counter(tokens(s.title) * 2)
            counts.update(tokens(s.abstract or ""))
            counts.update(tokens(s.tldr or ""))
            counts.update(tokens(" ".join(s.mesh_terms)))
            docs.append(counts)
        n = len(docs)
        df: Counter[str] = Counter()
        for counts in docs:
            df.update(counts.keys())
        limit = max(1, int(MAX_DF_SHARE * n)) if n >= 4 else n
        self.idf = {t: math.log1p(n / d) for t, d in df.items() if d <= limit}
        vectors: list[dict[str, float]] = []
        for counts in docs:
            vec = {t: (1.0 + math.log(c)) * self.idf[t] for t, c in counts.items()
                   if t in self.idf}
            top = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_STUDY_TERMS]
            norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
            vectors.append({t: w / norm for t, w in top})
        vocab = sorted({t for vec in vectors for t in vec})
        self.vocab = {t: i for i, t in enumerate(vocab)}
        self._term_of_word: dict[str, int] = {}
        self.keywords = [sorted(vec, key=lambda t: -vec[t]) for vec in vectors]
        self._vocab_list = vocab
        self._keyword_rank = [{self.vocab[t]: r for r, t in enumerate(words)}
                              for words in self.keywords]
        self.idf_by_index = [self.idf[t] for t in vocab]
        postings: list[list[tuple[int, float]]] = [[] for _ in vocab]
        for i, vec in enumerate(vectors):
            for t, w in vec.items():
                postings[self.vocab[t]].append((i, w))
        lengths = np.array([len(p) for p in postings], dtype=np.int64)
        self.p_indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.p_indptr[1:])
        self.p_study = np.array([i for p in postings for i, _ in p], dtype=np.int64)
        self.p_weight = np.array([w for p in postings for _, w in p], dtype=np.float32)

    def _identifiers(self) -> None:
        self.by_doi: dict[str, int] = {}
        self.by_pmid: dict[str, int] = {}
        self.by_pmcid: dict[str, int] = {}
        for i, s in enumerate(self.studies):
            if doi := normalise_doi(s.doi):
                self.by_doi[doi] = i
            if pmid := normalise_pmid(s.pmid):
                self.by_pmid[pmid] = i
            if pmcid := normalise_pmcid(s.pmcid):
                self.by_pmcid[pmcid] = i

    # -- citations ---------------------------------------------------------------------------

    def cited(self, identifiers: Identifiers) -> dict[int, str]:
        """Study index -> the identifier (`doi:...`, `pmid:...`, `pmcid:...`) that cites it."""
        found: dict[int, str] = {}
        for doi in sorted(identifiers.dois):
            for candidate in doi_candidates(doi):
                if candidate in self.by_doi:
                    found.setdefault(self.by_doi[candidate], f"doi:{candidate}")
                    break
        for pmid in sorted(identifiers.pmids):
            if pmid in self.by_pmid:
                found.setdefault(self.by_pmid[pmid], f"pmid:{pmid}")
        for pmcid in sorted(identifiers.pmcids):
            if pmcid in self.by_pmcid:
                found.setdefault(self.by_pmcid[pmcid], f"pmcid:{pmcid}")
        return found

    # -- topical scores ----------------------------------------------------------------------

    def features(self, threads: Sequence[ThreadAnalysis]) -> ThreadFeatures:
        """Numeric features of a block of threads."""
        return ThreadFeatures(self, threads)

    def scores(self, feats: ThreadFeatures,
               columns: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(score, main) matrices, threads x studies (or x `columns` study indices).

        `main` is true where the thread is tagged with one of the study's main treatments:
        only such pairs become topic links.
        """
        tw = self.treatment_weights if columns is None else self.treatment_weights[columns]
        mw = self.main_treatments if columns is None else self.main_treatments[columns]
        fw = self.form_weights if columns is None else self.form_weights[columns]
        # overlap, title and forms in one product: [W_O*t + W_H*title | W_F*forms] @ [tw|fw]
        left = np.hstack([W_OVERLAP * feats.treatments + W_TITLE * feats.title_treatments,
                          W_FORMS * feats.forms])
        score = left @ np.hstack([tw, fw]).T
        score += W_TEXT * self._text_scores(feats, columns)
        return score, (feats.treatments @ mw.T) > 0

    def _text_scores(self, feats: ThreadFeatures, columns: np.ndarray | None) -> np.ndarray:
        n_rows = feats.count
        n_cols = len(self.studies)
        if feats.rows.size == 0 or self.p_study.size == 0:
            return np.zeros((n_rows, n_cols if columns is None else len(columns)),
                            dtype=np.float32)
        starts = self.p_indptr[feats.terms]
        lengths = self.p_indptr[feats.terms + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            text = np.zeros((n_rows, n_cols), dtype=np.float32)
        else:
            offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
            positions = offsets + np.arange(total, dtype=np.int64)
            keys = np.repeat(feats.rows, lengths) * n_cols + self.p_study[positions]
            values = np.repeat(feats.weights, lengths) * self.p_weight[positions]
            text = np.bincount(keys, weights=values, minlength=n_rows * n_cols)
            text = text.reshape(n_rows, n_cols)
        return text if columns is None else text[:, columns]

    def term_of(self, word: str) -> int:
        """The vocabulary index of a raw word (-1: not a study keyword), memoised."""
        found = self._term_of_word.get(word)
        if found is None:
            found = self.vocab.get(content_token(word), -1)
            self._term_of_word[word] = found
        return found

    def thread_terms(self, analysis: ThreadAnalysis) -> Counter[int]:
        """The thread's study-keyword counts, by vocabulary index."""
        terms: Counter[int] = Counter()
        term_of = self._term_of_word.get
        for word, n in analysis.words.items():
            j = term_of(word)
            if j is None:
                j = self.term_of(word)
            if j >= 0:
                terms[j] += n
        return terms

    def shared_terms(self, terms: Iterable[int], index: int, limit: int = 5) -> list[str]:
        """The study's keywords among `terms` (vocabulary indices), most weighty first."""
        rank = self._keyword_rank[index]
        hits = sorted((r, j) for j in terms if (r := rank.get(j)) is not None)
        return [self._vocab_list[j] for _, j in hits[:limit]]


class ThreadFeatures:
    """Treatment, title, form and text features of a block of threads."""

    def __init__(self, model: StudyModel, threads: Sequence[ThreadAnalysis]) -> None:
        n, k = len(threads), len(model.treatments)
        self.count = n
        self.treatments = np.zeros((n, k), dtype=np.float32)
        self.title_treatments = np.zeros((n, k), dtype=np.float32)
        self.forms = np.zeros((n, len(model.form_keys)), dtype=np.float32)
        rows: list[int] = []
        columns: list[int] = []
        weights: list[float] = []
        idf_by_index = model.idf_by_index
        self.terms_of: list[Counter[int]] = []
        for r, thread in enumerate(threads):
            for tid, tag in thread.tags.items():
                j = model.t_index.get(tid)
                if j is None:
                    continue
                self.treatments[r, j] = 1.0
                if "title" in tag.locations:
                    self.title_treatments[r, j] = 1.0
                for form in tag.forms:
                    f = model.f_index.get(f"{tid}:{form}")
                    if f is not None:
                        self.forms[r, f] = 1.0
            counts = model.thread_terms(thread)
            self.terms_of.append(counts)
            vec = [(j, (1.0 + math.log(c)) * idf_by_index[j]) for j, c in counts.items()]
            if vec:
                norm = math.sqrt(sum(w * w for _, w in vec))
                for term, w in vec:
                    rows.append(r)
                    columns.append(term)
                    weights.append(w / norm)
        self.rows = np.array(rows, dtype=np.int64)
        self.terms = np.array(columns, dtype=np.int64)
        self.weights = np.array(weights, dtype=np.float32)


def top_per_study(score: np.ndarray, eligible: np.ndarray, limit: int,
                  thread_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(study indices, thread ids, scores) of the `limit` best eligible threads per study."""
    rows, cols = np.nonzero(eligible)
    if rows.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    values = score[rows, cols].astype(np.float64)
    threads = thread_ids[rows]
    order = np.lexsort((threads, -values, cols))
    cols, threads, values = cols[order], threads[order], values[order]
    starts = np.r_[0, np.flatnonzero(np.diff(cols)) + 1]
    rank = np.arange(cols.size) - np.repeat(starts, np.diff(np.r_[starts, cols.size]))
    keep = rank < limit
    return cols[keep].astype(np.int64), threads[keep], values[keep]


def analyse_all(tagger: Tagger, threads: Iterable[ThreadText]) -> list[ThreadAnalysis]:
    """Analyse many threads (a convenience for evaluation and tests)."""
    return [analyse_thread(tagger, t) for t in threads]
