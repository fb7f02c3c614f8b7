"""What an enrichment run did: the counts and warnings `enrich` returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReferencesReport:
    """What fetching reference lists did (studies, then the entries of their lists)."""

    asked: int = 0
    from_s2: int = 0
    from_epmc: int = 0
    none: int = 0  # no service had a list (stored as fetched, not asked again)
    s2_unknown: int = 0  # Semantic Scholar answered 404 for the paper
    s2_empty: int = 0  # Semantic Scholar knew the paper but listed no references
    failed: int = 0  # a service failed: the study is asked again next run
    received: int = 0
    stored: int = 0
    in_catalogue: int = 0
    outside: int = 0
    without_identifier: int = 0
    self_references: int = 0
    duplicates: int = 0
    empty_entries: int = 0
    messages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the command line."""
        return (f"references of {self.asked} studies: {self.from_s2} from Semantic Scholar, "
                f"{self.from_epmc} from Europe PMC, {self.none} without a list "
                f"({self.s2_unknown} unknown to Semantic Scholar, {self.s2_empty} empty), "
                f"{self.failed} failed; {self.stored} of {self.received} entries stored "
                f"({self.in_catalogue} in the catalogue, {self.outside} outside, "
                f"{self.without_identifier} without identifier), {self.self_references} "
                f"self-references, {self.duplicates} duplicates and {self.empty_entries} "
                "empty entries skipped")

    def as_dict(self) -> dict[str, int]:
        """The counts (no messages), for JSON output."""
        return {key: value for key, value in vars(self).items() if isinstance(value, int)}


@dataclass
class EnrichReport:
    """What an enrichment run did."""

    asked: int = 0
    from_s2: int = 0
    from_epmc: int = 0
    from_crossref: int = 0
    not_found: int = 0
    failed: int = 0
    requests: int = 0
    retries: int = 0
    messages: list[str] = field(default_factory=list)
    references: ReferencesReport = field(default_factory=ReferencesReport)
