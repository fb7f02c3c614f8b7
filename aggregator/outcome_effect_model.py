"""The effect model: a multinomial logistic regression over what the cue rules read about a
(thread, treatment), which picks the pair's effect (improved, no_effect, mixed, none).

The rules (`outcome_reading`) read the thread with their notes on. The model's features
(`effect_tokens`) are a few thread facts, the rules' own effect, where and how often the
treatment is named, each effect cue the rules counted for it (its speaker, its words and the
word 1-2-grams of its sentence), the rules' per-speaker directions, and the words of the
sentences and posts naming the treatment (as they are and tagged with their speaker), hashed
as scikit-learn's stateless `FeatureHasher` does (no vocabulary file). Where the thread holds
no cue the rules' `none` stands. Side effects stay the rules' (less what the side-effect
filter drops).

The weights are data (`outcome_effect_model.npz`: plain arrays, no pickle), trained on every
labelled corpus up to `outcomes_zl` by `python benchmarks/outcomes_learned.py --write-effect
FILE` (setting S4, `GRID[6]`). See docs/aggregator.md, "The effect model".
"""

from __future__ import annotations

import copy
import hashlib
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice, pairwise, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, Final

import numpy as np

from aggregator.hashed_weights import hashed_column, read_arrays, save_arrays, weights_digest
from aggregator.outcome_cue_file import OutcomeCues
from aggregator.outcome_reading import Mention, _Extraction
from aggregator.outcome_side_filter import WORD, Note, bucket, grams
from aggregator.outcome_types import EFFECTS, Outcome

PACKAGED_EFFECT_MODEL: Final = Path(__file__).with_name("outcome_effect_model.npz")
# the version of the features below: part of `EffectModel.digest` (a change re-reads stored
# outcomes even with the same weights, and needs new weights)
FEATURES: Final = 1
# the rules' effect directions whose cues are features (a side effect's cues are not)
DIRECTIONS: Final = ("improved", "no_effect", "unchanged", "declined")
# rows remembered (every kind of key together): a full table starts again empty
_CACHE_LIMIT: Final = 100_000
# keys looked up at once at most (before the next thread's): the threads of a batch are
# scored a chunk at a time, which bounds the arrays of one look-up
_CHUNK_KEYS: Final = 16_384


class _Rows:
    """The summed weights of the tokens a key stands for, remembered: one table of rows
    (one weight per effect) shared by a few kinds of key, each kind a dict from key to row
    and the prefixes it stands behind. A key is a token (kind "tokens", no prefix), or a
    word or pair of words in a cue's sentence (`c:`), a poster's or a replier's naming
    sentence (`m:` and `w:o:` / `w:r:`) or post (`u:o:` / `u:r:`); a pair is the token
    `prefix + "a_b"`. Words recur across threads, so a thread's weights are a look-up per
    key and a few numpy calls; the keys not seen yet get their rows together, in one numpy
    step. Row 0 (zeros) is what a look-up of a key not seen yet gives."""

    KINDS: Final = {"tokens": ("",), "c": ("c:",), "s:o": ("m:", "w:o:"),
                    "s:r": ("m:", "w:r:"), "u:o": ("u:o:",), "u:r": ("u:r:",)}

    def __init__(self, model: EffectModel) -> None:
        self.model = model
        self.ids: dict[str, dict[Any, int]] = {kind: {} for kind in self.KINDS}
        self.table = np.zeros((4096, len(EFFECTS)))
        self.used = 1

    def sums(self, texts: list[tuple[str, list[Any]]]) -> np.ndarray:
        """Per text (a kind and its keys), the summed weights of its keys' tokens."""
        lengths = np.fromiter((len(keys) for _, keys in texts), np.intp, len(texts))
        starts = np.zeros(len(texts), np.intp)
        np.cumsum(lengths[:-1], out=starts[1:])
        n = int(lengths.sum())
        # (a zero row last, row 0: a start at the end is then an index)
        rows = np.fromiter(chain(chain.from_iterable(
            map(self.ids[kind].get, keys, repeat(0)) for kind, keys in texts), (0,)),
            np.intp, n + 1)
        missing = np.flatnonzero(rows[:n] == 0)
        if len(missing):
            if self.used + len(missing) >= _CACHE_LIMIT:  # full: start again empty
                for ids in self.ids.values():
                    ids.clear()
                self.used = 1
                missing = np.arange(n)
            self._add(texts, starts, rows, missing)
        return self._summed(rows, starts, lengths)

    def _summed(self, rows: np.ndarray, starts: np.ndarray, lengths: np.ndarray
                ) -> np.ndarray:
        # (reduceat gives an empty segment the row at its start, so those are zeroed)
        sums = np.add.reduceat(self.table[rows], starts)
        sums[lengths == 0] = 0.0
        return sums

    def _add(self, texts: list[tuple[str, list[Any]]], starts: np.ndarray, rows: np.ndarray,
             missing: np.ndarray) -> None:
        """Rows for the keys at the flat positions `missing`: a key not seen yet gets the
        next row, the sum of its tokens' columns; `rows` gets each position's row."""
        column, kinds = self.model._column, self.KINDS
        one: tuple[list[int], list[int]] = ([], [])  # a kind with one prefix: rows, columns
        two: tuple[list[int], list[int], list[int]] = ([], [], [])  # two prefixes
        found = []
        for position, t in zip(missing.tolist(),
                               (np.searchsorted(starts, missing, "right") - 1).tolist(),
                               strict=True):
            kind, keys = texts[t]
            key = keys[position - starts[t]]
            ids = self.ids[kind]
            row = ids.get(key)
            if row is None:
                row = ids[key] = self.used
                self.used += 1
                text = key if isinstance(key, str) else f"{key[0]}_{key[1]}"
                prefixes = kinds[kind]
                if len(prefixes) == 1:
                    one[0].append(row)
                    one[1].append(column(prefixes[0] + text))
                else:
                    two[0].append(row)
                    two[1].append(column(prefixes[0] + text))
                    two[2].append(column(prefixes[1] + text))
            found.append(row)
        rows[missing] = found
        if self.used > len(self.table):
            grown = np.zeros((max(2 * len(self.table), self.used), len(EFFECTS)))
            grown[:len(self.table)] = self.table
            self.table = grown
        weights = self.model.coef.T
        self.table[one[0]] = weights[one[1]]
        self.table[two[0]] = weights[two[1]] + weights[two[2]]


class _Chunk:
    """Some threads' pairs as the texts to look up: per pair its own tokens, and per cue
    sentence, naming sentence and post a text of keys (words, and for sentences word pairs),
    shared by the thread's pairs that read it; `members` lists each pair's texts (a text as
    often as it counts) from `bounds[i]` on."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, list[Any]]] = []
        self.members: list[int] = []
        self.bounds: list[int] = []
        self.pairs: list[int] = []  # per thread, its number of pairs
        self.keys = 0

    def add(self, pairs: Sequence[PairFeatures]) -> None:
        """Add a thread's pairs."""
        texts, members = self.texts, self.members
        seen: dict[tuple[str, int, int], int] = {}

        def member(kind: str, text: str, start: int, end: int) -> None:
            index = seen.get((kind, start, end))
            if index is None:
                index = seen[(kind, start, end)] = len(texts)
                words: list[Any] = WORD.findall(text, start, end)
                keys = words if kind[0] == "u" else words + list(pairwise(words))
                texts.append((kind, keys))
                self.keys += len(keys)
            members.append(index)

        for features in pairs:
            self.bounds.append(len(members))
            members.append(len(texts))
            texts.append(("tokens", features.tokens))
            self.keys += len(features.tokens)
            text = features.text
            for start, end in features.cue_sentences:
                member("c", text, start, end)
            for who, start, end, u_start, u_end in features.sentences:
                member(f"s:{who}", text, start, end)
                member(f"u:{who}", text, u_start, u_end)  # (once per naming sentence in it)
        self.pairs.append(len(pairs))


class EffectModelError(ValueError):
    """The weights file is missing, unreadable or of the wrong shape (one line, naming it)."""


@dataclass(frozen=True, eq=False)
class EffectModel:
    """The model's weights: one row of coefficients per effect (in `EFFECTS` order) over the
    hashed columns, and one intercept per effect."""

    n_features: int
    coef: np.ndarray  # (len(EFFECTS), n_features)
    intercept: np.ndarray  # (len(EFFECTS),)
    # the weights of the keys seen (see `_Rows`)
    _rows: _Rows = field(init=False, repr=False)
    # the column FeatureHasher puts a token in (`hashed_weights.hashed_column`)
    _column: Callable[[str], int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_column", hashed_column(self.n_features))
        object.__setattr__(self, "_rows", _Rows(self))

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays of the weights file."""
        return {"n_features": np.array(self.n_features), "effects": np.array(EFFECTS),
                "effect_coef": self.coef, "effect_intercept": self.intercept}

    def effects(self, pairs: Sequence[PairFeatures]) -> list[str]:
        """The effect with the highest score for each pair of a thread (`effects_of`)."""
        return self.effects_of([pairs])[0]

    def effects_of(self, threads: Iterable[Sequence[PairFeatures]]) -> list[list[str]]:
        """Per thread, the effect with the highest score for each of its pairs: the summed
        weights of its tokens' columns (each token counted as often as it occurs, as
        `PairFeatures.all_tokens` lists them) plus the intercept. A sentence or post read
        for several of a thread's treatments is split into words once; the threads' keys are
        looked up together, a chunk of about `_CHUNK_KEYS` at a time."""
        out: list[list[str]] = []
        chunk = _Chunk()
        for pairs in threads:
            chunk.add(pairs)
            if chunk.keys >= _CHUNK_KEYS:
                out += self._scored(chunk)
                chunk = _Chunk()
        return out + self._scored(chunk)

    def _scored(self, chunk: _Chunk) -> list[list[str]]:
        if not chunk.bounds:
            return [[] for _ in chunk.pairs]
        sums = self._rows.sums(chunk.texts)
        scores = np.add.reduceat(sums[chunk.members], chunk.bounds) + self.intercept
        effects = iter([EFFECTS[i] for i in np.argmax(scores, axis=1).tolist()])
        return [list(islice(effects, n)) for n in chunk.pairs]

    def digest(self) -> str:
        """A hash of the weights and of the features' version (stored outcomes are re-read
        when it changes)."""
        return weights_digest(f"effect features {FEATURES}", self.arrays())


def save_effect_model(model: EffectModel, path: Path) -> None:
    """Write the weights file (numpy's `.npz`: plain arrays, no pickle)."""
    save_arrays(model.arrays(), path)


def load_effect_model(path: Path | str) -> EffectModel:
    """Read and check a weights file. Raises EffectModelError naming the file."""
    arrays = read_arrays(path, "effect model", EffectModelError)
    try:
        n = int(arrays["n_features"])
        effects = tuple(str(e) for e in arrays["effects"])
        coef = arrays["effect_coef"].astype(np.float64)
        intercept = arrays["effect_intercept"].astype(np.float64)
    except (KeyError, TypeError, ValueError) as exc:
        raise EffectModelError(f"{path}: effect model lacks or garbles {exc}") from None
    if effects != EFFECTS or n <= 0 or coef.shape != (len(EFFECTS), n) or \
            intercept.shape != (len(EFFECTS),):
        raise EffectModelError(f"{path}: effect model arrays have the wrong shape or effects")
    if not (np.isfinite(coef).all() and np.isfinite(intercept).all()):
        raise EffectModelError(f"{path}: effect model weights are not finite")
    return EffectModel(n, coef, intercept)


@dataclass(frozen=True)
class PairFeatures:
    """A pair's features before its sentences are split into tokens: its own tokens, the
    sentence of each effect cue the rules counted for it (`c:` 1-2-grams, once per cue),
    and the sentences naming the treatment (speaker "o" the poster or "r" a replier, the
    sentence's and its post's offsets in `text`, the thread's lowered text)."""

    tokens: list[str]
    cue_sentences: list[tuple[int, int]]
    sentences: list[tuple[str, int, int, int, int]]
    text: str

    def all_tokens(self) -> list[str]:
        """Every token (what the model was trained on): the own tokens, each cue sentence's
        word 1-2-grams (`c:`), then per naming sentence its word 1-2-grams (`m:`), the same
        tagged with the speaker (`w:o:` / `w:r:`) and the words of its post tagged likewise
        (`u:o:` / `u:r:`)."""
        tokens, text = list(self.tokens), self.text
        for start, end in self.cue_sentences:
            tokens += grams("c:", text[start:end])
        for who, start, end, u_start, u_end in self.sentences:
            tokens += grams("m:", text[start:end])
            tokens += grams(f"w:{who}:", text[start:end])
            tokens += [f"u:{who}:" + w for w in WORD.findall(text, u_start, u_end)]
        return tokens


def pair_features(reading: _Extraction, mentions: Sequence[Mention], treatment: str,
                  rules: Outcome, facts: list[str], title_end: int) -> PairFeatures:
    """The effect model's features for `treatment` (`reading` run with `notes` on; `facts`
    the thread's, `outcome_side_filter.thread_facts`; `title_end` the title's length):
    the thread facts, the rules' effect, how often and whether in the title the treatment
    is named, per effect cue the rules counted its speaker, words and sentence, the
    speakers per direction, the rules' shared directions, and the sentences naming the
    treatment."""
    own = [m for m in mentions if m[2] == treatment]
    tokens = [*facts, f"rule={rules.effect}", f"mentions={bucket(len(own))}"]
    if any(m[0] < title_end for m in own):
        tokens.append("in_title")
    notes: list[Note] = reading.notes or []
    lowered = reading.lowered
    speakers: dict[str, set[int]] = {}
    cue_sentences = []
    for t, label, c_start, c_end, s_start, s_end, speaker in notes:
        if t != treatment or label not in DIRECTIONS:
            continue
        who = "op" if speaker == 0 else "rep"
        speakers.setdefault(label, set()).add(speaker)
        tokens += [f"{who}:{label}", f"cue:{label}:{lowered[c_start:c_end]}"]
        cue_sentences.append((s_start, s_end))
    for label, who_spoke in speakers.items():
        tokens.append(f"nspk:{label}={bucket(len(who_spoke))}")
    if treatment in reading.reports:
        for speaker, directions in reading.reports[treatment].shared.items():
            tokens += [f"shared:{'op' if speaker == 0 else 'rep'}:{d}" for d in directions]
    return PairFeatures(tokens, cue_sentences, mention_sentences(reading, own), lowered)


def effect_tokens(reading: _Extraction, mentions: Sequence[Mention], treatment: str,
                  rules: Outcome, facts: list[str], title_end: int) -> list[str]:
    """Every token of `pair_features` (the training harness's input)."""
    return pair_features(reading, mentions, treatment, rules, facts, title_end).all_tokens()


def mention_sentences(reading: _Extraction, own: list[Mention]
                      ) -> list[tuple[str, int, int, int, int]]:
    """The sentences (of the units holding a cue) that name the treatment, each with its
    speaker ("o" the poster, "r" a replier), its offsets and those of the whole unit (post
    or reply) it is in; a sentence whose text an earlier one has is left out."""
    found: list[tuple[str, int, int, int, int]] = []
    texts: set[str] = set()
    lowered = reading.lowered
    for start, _, _ in own:
        for u_start, u_end, speaker in reading.units:
            if u_start <= start <= u_end:
                sentences = reading._sentences(u_start, u_end)
                i = bisect_right(sentences, start, key=itemgetter(0)) - 1
                if i >= 0:
                    s_start, s_end = sentences[i][0], sentences[i][1]
                    text = lowered[s_start:s_end]
                    if text not in texts:
                        texts.add(text)
                        found.append(("o" if speaker == 0 else "r", s_start, s_end,
                                      u_start, u_end))
                break
    return found


def with_effect_model(cues: OutcomeCues, model: EffectModel) -> OutcomeCues:
    """A copy of the cues carrying the effect model `aggregator.outcomes.extract_outcomes`
    applies; its `version_hash` names the weights too, so stored outcomes are re-read when
    either changes. Cues that already carry a model are refused (ValueError)."""
    if cues.effect_model is not None:
        raise ValueError("these outcome cues already carry an effect model")
    learned = copy.copy(cues)
    learned.effect_model = model
    learned.version_hash = hashlib.sha1(
        f"{cues.version_hash}:effect:{model.digest()}".encode(), usedforsecurity=False
    ).hexdigest()
    return learned
