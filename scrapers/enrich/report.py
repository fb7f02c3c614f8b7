"""What an enrichment run did: the counts and warnings `enrich` returns."""

from __future__ import annotations

from dataclasses import dataclass, field


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
