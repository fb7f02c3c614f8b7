"""hairlink's data layer: typed ORM entities, engine/session factory, storage, config.

This package imports nothing else of hairlink's; every other package builds on it. The
names below load on first use (PEP 562), so `models.config` alone stays light for the CLI.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "make_engine": "models.db",
    "session_factory": "models.db",
    "session_scope": "models.db",
    **{name: "models.entities" for name in (
        "Base", "CrawlRun", "Meta", "Reply", "ScoreSnapshot", "Source", "Study",
        "StudyStats", "StudyTreatment", "Thread", "ThreadStudyLink", "ThreadTreatment",
        "TopicCandidate", "Treatment")},
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'models' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
