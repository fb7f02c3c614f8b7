"""`[schedule]` and `[export]` settings: defaults, values, and errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.config import ConfigError, parse_config
from scheduler.settings import DEFAULT_GRACE, DEFAULT_TIME_LIMIT, load_settings


def settings_of(data: dict, path: Path | None = None):  # type: ignore[no-untyped-def]
    return load_settings(parse_config(data, path))


def test_defaults_aggregate_after_crawls_without_export() -> None:
    settings = settings_of({})
    assert settings.time_limit == DEFAULT_TIME_LIMIT and settings.grace == DEFAULT_GRACE
    assert settings.aggregate_after_crawls and settings.export is None


def test_values_and_relative_paths(tmp_path: Path) -> None:
    settings = settings_of({
        "schedule": {"time_limit": "90m", "grace": 10, "aggregate_cron": "15 * * * *",
                     "timezone": "Europe/Berlin", "log_dir": "logs", "max_parallel_crawls": 3},
        "export": {"dir": "out", "formats": ["md", "html"], "every": "1d"},
    }, tmp_path / "h.toml")
    assert settings.time_limit == 5400 and settings.grace == 10
    assert settings.aggregate_cron == "15 * * * *" and not settings.aggregate_after_crawls
    assert settings.log_dir == tmp_path / "logs" and settings.max_parallel_crawls == 3
    assert settings.export is not None and settings.export.directory == tmp_path / "out"
    assert settings.export.formats == ("md", "html") and settings.export.every == "1d"


def test_export_without_schedule_is_no_job() -> None:
    assert settings_of({"export": {"dir": "out"}}).export is None


def test_aggregate_false_disables_it() -> None:
    settings = settings_of({"schedule": {"aggregate": False}})
    assert not settings.aggregate and not settings.aggregate_after_crawls


@pytest.mark.parametrize(("data", "key"), [
    ({"schedule": {"time_limit": "soon"}}, "schedule.time_limit"),
    ({"schedule": {"grace": -1}}, "schedule.grace"),
    ({"schedule": {"max_parallel_crawls": 0}}, "schedule.max_parallel_crawls"),
    ({"schedule": {"aggregate_every": "1h", "aggregate_cron": "0 * * * *"}},
     "schedule.aggregate_cron"),
    ({"schedule": {"aggregate_cron": "every hour"}}, "schedule.aggregate_cron"),
    ({"schedule": {"timezone": "Mars/Olympus"}}, "schedule.timezone"),
    ({"schedule": {"colour": "red"}}, "schedule.colour"),
    ({"export": {"every": "1d"}}, "export.dir"),
    ({"export": {"dir": "x", "every": "1d", "formats": ["pdf"]}}, "export.formats"),
    ({"export": {"dir": "x", "every": "1d", "cron": "0 6 * * *"}}, "export.cron"),
])
def test_bad_values_name_the_key(tmp_path: Path, data: dict, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        settings_of(data, tmp_path / "h.toml")
    assert info.value.key == key
    assert str(tmp_path / "h.toml") in str(info.value)
