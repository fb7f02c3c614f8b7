"""Thread <-> study linking: citations by identifier, topics by treatments and text relevance.

Topical score of (thread, study), each part in [0, 1]:

    score = W_OVERLAP * overlap + W_TEXT * text + W_FORMS * forms + W_TITLE * title

- overlap: the study's treatments weighted by prominence in the study (title, mentions) and
  rarity across studies (IDF), summed over the treatments the thread is tagged with. A thread
  about the study's main treatment scores high; one about a comparator only scores low.
- title: the same, counting only treatments named in the thread title (its central topic).
- forms: share of the study's treatment forms (oral/topical...) the thread also has.
- text: TF-IDF cosine between the thread and the study's title, abstract, TLDR and MeSH
  terms (scikit-learn's CountVectorizer and TfidfTransformer: sublinear counts, IDF over
  the study catalogue, each study reduced to its `MAX_STUDY_TERMS` keywords; the tokens are
  ours, `aggregator.text`: forum stopwords and a light plural stemmer).

Scores for a block of threads against every study are computed with numpy and scipy sparse
products; nothing in the hot path loops in Python per (thread, study) pair.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import Final

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from aggregator.citations import Identifiers, doi_candidates, find_identifiers
from aggregator.link_types import StudyText, ThreadText
from aggregator.tagger import Mention, Tag, Tagger
from aggregator.text import content_token, tokens
from aggregator.topic_pool import trim
from models.identifiers import normalise_doi, normalise_pmcid, normalise_pmid

W_OVERLAP: Final = 0.55
W_TEXT: Final = 0.25
W_FORMS: Final = 0.10
W_TITLE: Final = 0.10
MAX_STUDY_TERMS: Final = 40
MAX_DF_SHARE: Final = 0.5  # terms in more than half of the studies carry no topical signal
MAIN_SHARE: Final = 0.6  # a main treatment weighs at least this share of the heaviest
CITATION_BONUS: Final = 1.0  # a citation link scores 1 + its topical score
DENSE_TEXT_CELLS = 2_000_000  # a block's keywords x studies up to this size go dense (16 MB)


@dataclass
class ThreadAnalysis:
    """A thread's tags, identifiers and normalised text (lower-case words and spaces)."""

    id: int
    tags: dict[str, Tag]
    identifiers: Identifiers
    norm: str = ""
    mentions: list[Mention] = field(default_factory=list)  # (start, end, treatment)
    terms: Counter[int] | None = None  # study-keyword counts, when counted already
    lowered: str = ""  # the lower-cased joined text (the outcome reader's input)


def analyse_thread(tagger: Tagger, thread: ThreadText) -> ThreadAnalysis:
    """Tag a thread and find its identifiers (its words are counted when it is scored)."""
    tags, lowered, norm, mentions = tagger.tag_text(thread.title, thread.body, thread.replies)
    identifiers = find_identifiers("\n".join((thread.title, thread.body, *thread.replies)))
    return ThreadAnalysis(thread.id, tags, identifiers, norm, mentions, lowered=lowered)


_NOT_MISSING: Final = (-1).__ne__  # a vocabulary index, not the -1 of a word that is none


class _TermOfWord(dict[str, int]):
    """Raw word -> vocabulary index of its content token (-1: none), filled on first use.

    A lookup of a known word stays in C (`dict.__getitem__`), so a thread's words are
    counted by term with `Counter(map(memo.__getitem__, words))` and no Python per word.
    """

    def __init__(self, vocab: dict[str, int], limit: int = 500_000) -> None:
        super().__init__()
        self.vocab = vocab
        self.limit = limit

    def __missing__(self, word: str) -> int:
        found = self.vocab.get(content_token(word), -1)
        if len(self) < self.limit:
            self[word] = found
        return found


def _given_tokens(tokens_: list[str]) -> list[str]:
    """The analyzer for documents that are already token lists."""
    return tokens_


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
        self._terms_by_study: sp.csr_matrix | None = None  # study_terms.T, made when first used
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
        """TF-IDF keyword vectors of the studies (scikit-learn): sublinear term counts
        times IDF over the catalogue, terms in more than `MAX_DF_SHARE` of the studies
        dropped, each study cut to its `MAX_STUDY_TERMS` heaviest terms, L2-normalised."""
        docs = [tokens(s.title) * 2 + tokens(s.abstract or "") + tokens(s.tldr or "")
                + tokens(" ".join(s.mesh_terms)) for s in self.studies]
        n = len(docs)
        counter = CountVectorizer(analyzer=_given_tokens,
                                  max_df=MAX_DF_SHARE if n >= 4 else 1.0)
        try:
            counts = counter.fit_transform(docs)
        except ValueError:  # no study has a usable term
            counts, counter = None, None
        if counts is None or counter is None or counts.shape[1] == 0:
            self.tfidf: TfidfTransformer | None = None
            self.study_terms = sp.csr_matrix((n, 0), dtype=np.float64)
            self.vocab: dict[str, int] = {}
            self._vocab_list: list[str] = []
            self.keywords: list[list[str]] = [[] for _ in range(n)]
            self._keyword_rank: list[dict[int, int]] = [{} for _ in range(n)]
            self._term_of_word = _TermOfWord(self.vocab)
            return
        self.tfidf = TfidfTransformer(sublinear_tf=True, norm=None).fit(counts)
        weights = self.tfidf.transform(counts).tocsr()
        vocab_list = [str(t) for t in counter.get_feature_names_out()]
        rows, cols, vals = [], [], []
        self.keywords = []
        self._keyword_rank = []
        for i in range(n):
            lo, hi = weights.indptr[i], weights.indptr[i + 1]
            terms, values = weights.indices[lo:hi], weights.data[lo:hi]
            # heaviest first; ties by term (the vocabulary is in alphabetical order)
            top = np.lexsort((terms, -values))[:MAX_STUDY_TERMS]
            rows.extend([i] * len(top))
            cols.extend(terms[top].tolist())
            vals.extend(values[top].tolist())
            self.keywords.append([vocab_list[j] for j in terms[top]])
            self._keyword_rank.append({int(j): r for r, j in enumerate(terms[top])})
        kept = sp.csr_matrix((vals, (rows, cols)), shape=weights.shape)
        self.study_terms = normalize(kept)  # rows of unit length: dot products are cosines
        # Threads are weighed over the study keywords only (any study's top terms).
        keyword_terms = set(cols)
        self.vocab = {t: j for t, j in counter.vocabulary_.items() if j in keyword_terms}
        self._vocab_list = vocab_list
        self._term_of_word = _TermOfWord(self.vocab)

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
        """TF-IDF cosine of each thread with each study (or the `columns` studies)."""
        studies = self.study_terms if columns is None else self.study_terms[columns]
        text = feats.text
        if text is None:
            return np.zeros((feats.count, studies.shape[0]), dtype=np.float32)
        used = np.unique(text.indices)
        if 0 < used.size * studies.shape[0] <= DENSE_TEXT_CELLS:
            # The block's keywords x studies as a dense array: a sparse x dense product
            # writes the result in place (no sparse result to build and densify). It adds
            # each thread's terms in the same order as the sparse x sparse product (the
            # extra terms are exact zeros), so the scores are the same to the bit.
            if columns is None:
                if self._terms_by_study is None:
                    self._terms_by_study = self.study_terms.T.tocsr()
                keywords = self._terms_by_study[used]
            else:
                keywords = studies.T.tocsr()[used]
            local = np.empty(studies.shape[1], dtype=text.indices.dtype)
            local[used] = np.arange(used.size, dtype=local.dtype)
            block = sp.csr_matrix((text.data, local[text.indices], text.indptr),
                                  shape=(text.shape[0], used.size))
            return np.asarray(block @ keywords.toarray(), dtype=np.float32)
        return np.asarray((text @ studies.T).todense(), dtype=np.float32)

    def term_of(self, word: str) -> int:
        """The vocabulary index of a raw word (-1: not a study keyword), memoised."""
        return self._term_of_word[word]

    def thread_terms(self, analysis: ThreadAnalysis) -> Counter[int]:
        """The thread's study-keyword counts, by vocabulary index (in the order each term
        first occurs in the text)."""
        if analysis.terms is not None:
            return analysis.terms
        terms = Counter(map(self._term_of_word.__getitem__, analysis.norm.split()))
        terms.pop(-1, None)
        return terms

    def terms_of_words(self, words: Counter[str]) -> Counter[int]:
        """`thread_terms` from the thread's word counts (one pass over its distinct words;
        the same terms in the same order)."""
        ids = list(map(self._term_of_word.__getitem__, words))  # in C, like the counts
        terms: Counter[int] = Counter()
        if ids.count(-1) == len(ids):
            return terms
        for term, count in compress(zip(ids, words.values(), strict=True),
                                    map(_NOT_MISSING, ids)):
            terms[term] += count
        return terms

    def shared_terms(self, terms: Iterable[int], index: int, limit: int = 5) -> list[str]:
        """The study's keywords among `terms` (vocabulary indices), most weighty first."""
        return list(map(self._vocab_list.__getitem__,
                        self.shared_term_ids(terms, index, limit)))

    def shared_term_ids(self, terms: Iterable[int], index: int, limit: int = 5) -> list[int]:
        """`shared_terms` as vocabulary indices."""
        rank = self._keyword_rank[index]  # distinct ranks: sorting by rank alone is exact
        hits = sorted(rank.keys() & terms, key=rank.__getitem__)
        if len(hits) > limit:
            del hits[limit:]
        return hits

    def vocab_word(self, term: int) -> str:
        """The word of a vocabulary index."""
        return self._vocab_list[term]


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
        counts: list[int] = []
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
            terms = model.thread_terms(thread)
            self.terms_of.append(terms)
            rows.extend([r] * len(terms))
            columns.extend(terms.keys())
            counts.extend(terms.values())
        # The same TF-IDF weighting as the studies' (the catalogue's IDF), L2-normalised.
        self.text: sp.csr_matrix | None = None
        if model.tfidf is not None:
            matrix = sp.csr_matrix((counts, (rows, columns)),
                                   shape=(n, model.study_terms.shape[1]), dtype=np.float64)
            self.text = normalize(model.tfidf.transform(matrix))


def top_per_study(score: np.ndarray, eligible: np.ndarray, limit: int,
                  thread_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(study indices, thread ids, scores) of the `limit` best eligible threads per study.

    When many pairs are eligible (the first blocks of a full run, before the studies'
    floors rise), only those scoring at least their study's `limit`-th best eligible score
    are sorted (a partition per study finds it).
    """
    n = score.shape[0]
    if 0 < limit < n and np.count_nonzero(eligible) > 3 * limit * score.shape[1]:
        masked = np.where(eligible, score, -np.inf).T.copy()  # one row per study
        kth = np.partition(masked, n - limit, axis=1)[:, n - limit]
        eligible = eligible & (score >= kth[None, :])
    rows, cols = np.nonzero(eligible)
    return trim(cols.astype(np.int64), thread_ids[rows].astype(np.int64),
                score[rows, cols].astype(np.float64), limit)
