"""Scheduler tests run jobs every second or two: lower the config's one-minute floor for
`every` intervals (`$HAIRLINK_MIN_INTERVAL`, inherited by the service child processes)."""

from __future__ import annotations

import pytest

from models.config_types import MIN_INTERVAL_ENV


@pytest.fixture(autouse=True)
def short_intervals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MIN_INTERVAL_ENV, "1")
