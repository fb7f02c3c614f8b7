"""What an `aggregate()` run did (`aggregator.run`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class AggregateStats:
    """What a run did."""

    full: bool = False
    lexicon_changed: bool = False
    lexicon_hash: str = ""
    studies: int = 0
    studies_changed: int = 0
    threads_scanned: int = 0
    threads_tagged: int = 0
    thread_treatments: int = 0
    citation_links: int = 0
    topic_links_added: int = 0
    topic_links_removed: int = 0
    topic_links_total: int = 0
    studies_refilled: int = 0
    lexicon_partial: bool = False  # the lexicon change touched only some threads
    lexicon_threads: int = 0  # threads re-tagged because of it
    cues_changed: bool = False  # the outcome cue file changed: every tagged thread re-read
    outcomes_reread: int = 0  # threads whose outcomes alone were re-read (a cue change)
    outcomes_changed: int = 0  # of those, threads whose stored outcomes changed
    summaries_changed: bool = False  # a new summariser version: every thread redone
    study_stats: int = 0  # studies whose stored counts were written (models.study_stats)
    similar_updated: int = 0  # studies whose similar research changed
    similar_skipped: bool = False  # nothing similarity reads had changed
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """The stats as a plain dict (for JSON output)."""
        return asdict(self)

    def add_refill(self, again: AggregateStats, studies: int) -> None:
        """Count the second pass that relinked `studies` studies from scratch."""
        self.studies_refilled = studies
        self.threads_scanned += again.threads_scanned
        self.citation_links += again.citation_links
        self.topic_links_added += again.topic_links_added
        self.topic_links_removed += again.topic_links_removed
        self.topic_links_total = again.topic_links_total
        self.study_stats += again.study_stats

    def summary(self) -> str:
        """One line: what kind of run it was and what it did."""
        if self.full:
            reason = "full run"
        elif self.lexicon_partial:
            reason = f"lexicon changed: {self.lexicon_threads} threads affected"
        else:
            reason = "lexicon changed: full run" if self.lexicon_changed else "incremental"
        return (f"{reason}: {self.threads_tagged} threads tagged ({self.thread_treatments} "
                f"treatment tags), {self.threads_scanned} scanned for links, "
                f"{self.studies_changed} of {self.studies} studies re-tagged; "
                f"{self.citation_links} citation links, +{self.topic_links_added}/"
                f"-{self.topic_links_removed} topic links ({self.topic_links_total} stored)"
                + (f", {self.studies_refilled} studies relinked from scratch"
                   if self.studies_refilled else "")
                + (f"; outcomes of {self.outcomes_reread} threads re-read "
                   f"({self.outcomes_changed} changed)" if self.outcomes_reread else "")
                + ("; similar research unchanged" if self.similar_skipped else
                   f"; similar research of {self.similar_updated} studies updated")
                + f" in {self.seconds:.1f}s")
