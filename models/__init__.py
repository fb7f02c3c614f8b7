"""hairlink's data layer: typed ORM entities, engine/session factory, storage, config.

This package imports nothing else of hairlink's; every other package builds on it.
"""

from models.db import make_engine, session_factory, session_scope
from models.entities import (
    Base,
    CrawlRun,
    Meta,
    Reply,
    ScoreSnapshot,
    Source,
    Study,
    StudyTreatment,
    Thread,
    ThreadStudyLink,
    ThreadTreatment,
    TopicCandidate,
    Treatment,
)

__all__ = [
    "Base",
    "CrawlRun",
    "Meta",
    "Reply",
    "ScoreSnapshot",
    "Source",
    "Study",
    "StudyTreatment",
    "Thread",
    "ThreadStudyLink",
    "ThreadTreatment",
    "TopicCandidate",
    "Treatment",
    "make_engine",
    "session_factory",
    "session_scope",
]
