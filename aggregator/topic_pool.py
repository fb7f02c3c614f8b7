"""The best topic candidates per study, and what a run writes of them.

Per study the aggregator keeps `keep` topic links and, below them, `limit - keep` topic
candidates. A study's *floor* is the best score a thread that is neither can have (None:
every thread above the threshold is kept). An incremental run ranks the stored links and
candidates of unchanged threads together with the fresh scores of changed ones; a study
whose last link would fall below its floor may be missing a thread that was never kept,
and is relinked against every thread (`TopicPlan.short`).

Entries are parallel numpy arrays: study index `s`, thread id `t`, score `v`, ordered by
study, score descending, thread id ascending.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SCORE_DIGITS = 6  # scores are stored rounded to this; everything ranks on rounded scores
Arrays = tuple[np.ndarray, np.ndarray, np.ndarray]


def trim(s: np.ndarray, t: np.ndarray, v: np.ndarray, limit: int,
         rounded: bool = False) -> Arrays:
    """Sort entries and keep the `limit` best (score desc, thread id asc) per study.

    `rounded`: the scores are rounded to `SCORE_DIGITS` (then one sort of a packed key
    often does, instead of a three-key `lexsort`: the same order)."""
    if s.size == 0:
        return s, t, v
    order = _packed_order(s, t, v) if rounded else None
    if order is None:
        order = np.lexsort((t, -v, s))
    s, t, v = s[order], t[order], v[order]
    keep = _ranks(s) < limit
    return s[keep], t[keep], v[keep]


def _packed_order(s: np.ndarray, t: np.ndarray, v: np.ndarray) -> np.ndarray | None:
    """`np.lexsort((t, -v, s))` as one stable sort of study, reversed score (as integers:
    the scores are rounded to `SCORE_DIGITS`, so distinct scores stay distinct) and thread
    id packed in one int64; None when they do not fit in 63 bits."""
    q = np.rint(v * 10.0**SCORE_DIGITS)
    if not np.isfinite(q).all() or s.min() < 0:
        return None
    q_low, t_low = q.min(), t.min()
    spans = [int(s.max()) + 1, int(q.max() - q_low) + 1, int(t.max() - t_low) + 1]
    bits = [span.bit_length() for span in spans]
    if sum(bits) > 63:
        return None
    key = s.astype(np.int64) << (bits[1] + bits[2])
    key |= (spans[1] - 1 - (q - q_low).astype(np.int64)) << bits[2]
    key |= t.astype(np.int64) - int(t_low)
    return np.argsort(key, kind="stable")


def _ranks(s: np.ndarray) -> np.ndarray:
    """Each entry's position within its study (entries sorted by study)."""
    starts = np.r_[0, np.flatnonzero(np.diff(s)) + 1]
    return np.arange(s.size) - np.repeat(starts, np.diff(np.r_[starts, s.size]))


class CandidatePool:
    """The best `limit` topic entries per study, merged block by block.

    New blocks are buffered and merged once the buffer is about as large as the pool, so
    each entry is sorted a few times rather than once per block.
    """

    def __init__(self, limit: int, n_studies: int) -> None:
        self.limit = limit
        self.s = np.zeros(0, dtype=np.int64)
        self.t = np.zeros(0, dtype=np.int64)
        self.v = np.zeros(0, dtype=np.float64)
        self._buffer: list[Arrays] = []
        self._buffered = 0
        # The score a new entry must beat per study (the pool's worst once full); it may
        # lag behind the buffer, which only lets more entries through.
        self.floor = np.full(n_studies, -np.inf)

    def add(self, s: np.ndarray, t: np.ndarray, v: np.ndarray) -> None:
        """Merge entries in (scores rounded as stored, so stored ones rank the same)."""
        if s.size == 0:
            return
        self._buffer.append((s.astype(np.int64), t.astype(np.int64),
                             np.round(v.astype(np.float64), SCORE_DIGITS)))
        self._buffered += s.size
        if self._buffered >= max(self.s.size, self.floor.size * self.limit // 4, 1):
            self._merge()

    def thread_ids(self) -> set[int]:
        """The threads of every entry kept or buffered."""
        return set(np.unique(np.concatenate([self.t, *(t for _, t, _ in self._buffer)]))
                   .tolist())

    def arrays(self) -> Arrays:
        """Every kept entry, sorted."""
        self._merge()
        return self.s, self.t, self.v

    def _merge(self) -> None:
        if not self._buffer:
            return
        parts = [(self.s, self.t, self.v), *self._buffer]
        self._buffer, self._buffered = [], 0
        self.s, self.t, self.v = trim(*(np.concatenate(x) for x in zip(*parts, strict=True)),
                                      self.limit, rounded=True)
        if self.limit and self.s.size:
            counts = np.bincount(self.s, minlength=self.floor.size)
            full = np.flatnonzero(counts >= self.limit)
            if full.size:
                self.floor[full] = _worst(self.s, self.v, self.floor.size)[full]


def _worst(s: np.ndarray, v: np.ndarray, n_studies: int) -> np.ndarray:
    """Each study's lowest kept score (-inf for a study without entries)."""
    worst = np.full(n_studies, -np.inf)
    if s.size:
        last = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]
        worst[s[last]] = v[last]
    return worst


Entry = tuple[int, int, float]  # (study index, thread id, score)
Pair = tuple[int, int]  # (thread id, study id)


@dataclass
class TopicPlan:
    """What a run writes: new rows, rows moved between links and candidates, rows
    dropped, each study's new floor, and the studies to relink from scratch."""

    new_links: list[Entry] = field(default_factory=list)
    new_candidates: list[Entry] = field(default_factory=list)
    promoted: list[Pair] = field(default_factory=list)
    demoted: list[Pair] = field(default_factory=list)
    dropped_links: list[Pair] = field(default_factory=list)
    dropped_candidates: list[Pair] = field(default_factory=list)
    floors: dict[int, float | None] = field(default_factory=dict)
    short: set[int] = field(default_factory=set)


def plan_topics(final: Arrays, seeded: Arrays, seeded_link: np.ndarray,
                study_ids: np.ndarray, keep: int, limit: int,
                old_floors: dict[int, float], changed: set[int]) -> TopicPlan:
    """Split the final entries into links (the `keep` best per study) and candidates.

    `seeded` are the stored entries the run started from (`seeded_link`: stored as a
    link, else as a candidate); `changed` the studies ranked against every thread.
    """
    s, t, v = final
    ss, st, _ = seeded
    rank = _ranks(s)
    link = rank < keep
    width = int(max(t.max(initial=0), st.max(initial=0))) + 1
    keys, seeded_keys = s * width + t, ss * width + st
    order = np.argsort(seeded_keys)
    sorted_keys, sorted_link = seeded_keys[order], seeded_link[order].astype(bool)
    found = np.zeros(s.size, dtype=bool)
    before = np.zeros(s.size, dtype=bool)
    if sorted_keys.size:
        pos = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
        found = sorted_keys[pos] == keys
        before = found & sorted_link[pos]
    dropped = ~np.isin(seeded_keys, keys)

    def entries(mask: np.ndarray) -> list[Entry]:
        return list(zip(s[mask].tolist(), t[mask].tolist(), v[mask].tolist(), strict=True))

    def pairs(ts: np.ndarray, si: np.ndarray) -> list[Pair]:
        return list(zip(ts.tolist(), study_ids[si].tolist(), strict=True))

    plan = TopicPlan(
        new_links=entries(~found & link), new_candidates=entries(~found & ~link),
        promoted=pairs(t[found & ~before & link], s[found & ~before & link]),
        demoted=pairs(t[before & ~link], s[before & ~link]),
        dropped_links=pairs(st[dropped & seeded_link], ss[dropped & seeded_link]),
        dropped_candidates=pairs(st[dropped & ~seeded_link], ss[dropped & ~seeded_link]))

    n = study_ids.size
    counts = np.bincount(s, minlength=n) if s.size else np.zeros(n, dtype=np.int64)
    worst = _worst(s, v, n)
    last_link = np.full(n, -np.inf)
    at_keep = rank == keep - 1
    last_link[s[at_keep]] = v[at_keep]
    for index, study_id in enumerate(study_ids.tolist()):
        old = old_floors.get(study_id)
        floor = None if study_id in changed else old
        if limit and counts[index] >= limit:  # full: whatever fell off scored lower
            floor = float(worst[index]) if floor is None else max(floor, float(worst[index]))
        if floor != old:
            plan.floors[study_id] = floor
        # On a tie with the floor the kept thread ranked first when the other fell off.
        if old is not None and keep and study_id not in changed and (
                counts[index] < keep or last_link[index] < old):
            plan.short.add(study_id)
    return plan
