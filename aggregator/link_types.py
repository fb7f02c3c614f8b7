"""What the linker reads and how it is tuned: thread and study texts, link settings.

Plain dataclasses, kept apart from `aggregator.linker` (which loads numpy, scipy and
scikit-learn) so that the store and the command line can use them cheaply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aggregator.lexicon import Lexicon, load_lexicon
from models.config import Config

# Keep a topic link when its score reaches this (docs/aggregator.md, "Which topic links are
# kept, and why", gives the reasoning)
DEFAULT_TOPIC_THRESHOLD = 0.35
DEFAULT_MAX_TOPIC_LINKS = 50  # per study


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


def aggregate_settings(config: Config) -> tuple[Lexicon, LinkSettings]:
    """The lexicon (`lexicon` key) and link settings (`[aggregate]`) a config asks for.

    Raises ValueError (a LexiconError is one) naming what is wrong.
    """
    return load_lexicon(config.lexicon), LinkSettings.from_section(config.section("aggregate"))
