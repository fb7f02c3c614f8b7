"""The declarative config schema: a misspelled key in any table or source names the file, the
table or source and the key (with "did you mean"), an unknown kind likewise, values outside
their bounds are refused naming the key, and the command line says so in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hairlink.app import app
from hairlink.cli import main  # noqa: F401  (registers every command)
from models.config import ConfigError, load_config, parse_interval
from models.config_types import MIN_INTERVAL_ENV

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {
    "reddit": 'kind = "reddit"\nsubreddits = ["tressless"]\n',
    "discourse": 'kind = "discourse"\nbase_url = "https://d.example"\n',
    "xenforo": 'kind = "xenforo"\nbase_url = "https://x.example"\nforums = ["fin.4"]\n',
    "phpbb": 'kind = "phpbb"\nbase_url = "https://p.example"\nforums = [2]\n',
    "pubmed": 'kind = "pubmed"\nterm = "minoxidil"\n',
}


def error_of(tmp_path: Path, text: str) -> ConfigError:
    path = tmp_path / "hairlink.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert info.value.path == path and message.startswith(f"{path}: ")
    assert "\n" not in message
    return info.value


def source(kind: str, extra: str = "", name: str = "s1") -> str:
    return f'[[sources]]\nname = "{name}"\n{SOURCES[kind]}{extra}'


# -- misspelled keys ----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "key", "suggestion"), [
    ('databse = 1\n', "databse", "database"),
    ('[sorces]\n', "sorces", "sources"),
    ('contcat = "me@example.org"\n', "contcat", "contact"),
    ('[database]\nulr = "sqlite:///x.db"\n', "database.ulr", "url"),
    ('[redis]\nuri = "redis://127.0.0.1:6379/0"\n', "redis.uri", "url"),
    ('[aggregate]\ntopic_treshold = 0.4\n', "aggregate.topic_treshold", "topic_threshold"),
    ('[aggregate]\nmax_topic_link = 5\n', "aggregate.max_topic_link", "max_topic_links"),
    ('[schedule]\ntime_limt = "1h"\n', "schedule.time_limt", "time_limit"),
    ('[schedule]\naggregate_evry = "1h"\n', "schedule.aggregate_evry", "aggregate_every"),
    ('[export]\ndirectory = "out"\n', "export.directory", "dir"),
    ('[export]\nformat_list = ["md"]\n', "export.format_list", "formats"),
    ('[enrich]\ns2url = "https://s2.example"\n', "enrich.s2url", "s2_url"),
    ('[enrich]\nbatchsize = 10\n', "enrich.batchsize", "batch_size"),
])
def test_a_misspelled_table_key_names_file_table_key_and_suggestion(
        tmp_path: Path, text: str, key: str, suggestion: str) -> None:
    error = error_of(tmp_path, text)
    assert error.key == key and error.source is None
    assert f"key {key!r}" in str(error)
    assert f"did you mean {suggestion!r}?" in str(error)


def test_a_crawl_table_is_an_unknown_table(tmp_path: Path) -> None:
    """`[crawl]` was reserved and read nowhere: it is refused like any unknown table."""
    error = error_of(tmp_path, '[crawl]\ntime_limit = "1h"\n')
    assert error.key == "crawl" and "unknown top-level key" in str(error)


def test_export_takes_formats_not_format(tmp_path: Path) -> None:
    error = error_of(tmp_path, '[export]\nformat = "md"\n')
    assert error.key == "export.format" and "did you mean 'formats'?" in str(error)


@pytest.mark.parametrize(("kind", "typo", "suggestion"), [
    ("reddit", 'subreddit = ["x"]', "subreddits"),
    ("reddit", 'user_agnet = "me"', "user_agent"),
    ("discourse", 'categorys = ["a/1"]', "categories"),
    ("xenforo", 'forum = ["a.1"]', "forums"),
    ("phpbb", 'time_zone = "UTC"', "timezone"),
    ("phpbb", "dealy = 2", "delay"),
    ("pubmed", 'min_date = "2000"', "mindate"),
    ("pubmed", "timout = 2", "timeout"),
])
def test_a_misspelled_source_key_names_the_source_and_suggests(
        tmp_path: Path, kind: str, typo: str, suggestion: str) -> None:
    error = error_of(tmp_path, source(kind, typo + "\n"))
    wrong = typo.split(" = ")[0]
    assert (error.source, error.key) == ("s1", wrong)
    assert f"source 's1': key {wrong!r}: unknown key for a {kind} source" in str(error)
    assert f"did you mean {suggestion!r}?" in str(error)


@pytest.mark.parametrize("key", ["replies = 3", "refresh_days = 1", "max_pages = 2",
                                 "concurrency = 2"])
def test_a_pubmed_source_refuses_the_forum_tuning_keys(tmp_path: Path, key: str) -> None:
    """A PubMed search has no replies, no listing pages and one request at a time."""
    error = error_of(tmp_path, source("pubmed", key + "\n"))
    assert error.key == key.split(" = ")[0]
    assert "unknown key for a pubmed source" in str(error)


def test_a_pubmed_source_keeps_delay_and_timeout(tmp_path: Path) -> None:
    path = tmp_path / "hairlink.toml"
    path.write_text(source("pubmed", "delay = 2\ntimeout = 9\n"), encoding="utf-8")
    pubmed = load_config(path).source("s1")
    assert (pubmed.get("delay"), pubmed.get("timeout"), pubmed.get("replies")) == (2, 9, None)


def test_a_key_of_another_kind_lists_the_known_keys(tmp_path: Path) -> None:
    error = error_of(tmp_path, source("discourse", 'subreddits = ["x"]\n'))
    assert error.key == "subreddits" and "(known: " in str(error)
    assert "categories" in str(error) and "did you mean" not in str(error)


@pytest.mark.parametrize(("kind", "suggestion"), [
    ("phbb", "phpbb"), ("xenfor", "xenforo"), ("Reddit", "reddit"), ("discource", "discourse")])
def test_an_unknown_kind_suggests_the_close_one(tmp_path: Path, kind: str,
                                                suggestion: str) -> None:
    error = error_of(tmp_path, f'[[sources]]\nname = "s1"\nkind = "{kind}"\n')
    assert (error.source, error.key) == ("s1", "kind")
    assert f"unknown kind {kind!r}; did you mean {suggestion!r}?" in str(error)


def test_an_unrelated_kind_lists_the_registered_ones(tmp_path: Path) -> None:
    error = error_of(tmp_path, '[[sources]]\nname = "s1"\nkind = "myspace"\n')
    assert "known: " in str(error) and "phpbb" in str(error)


# -- bounds -------------------------------------------------------------------------------
@pytest.mark.parametrize(("extra", "key", "words"), [
    ("delay = -5", "delay", "must be at least 0 (got -5)"),
    ("delay = 1e308", "delay", "must be at most 3600"),
    ("delay = inf", "delay", "finite"),
    ("delay = nan", "delay", "finite"),
    ("concurrency = -1", "concurrency", "must be at least 1 (got -1)"),
    ("concurrency = 0", "concurrency", "must be at least 1"),
    ("concurrency = 1000", "concurrency", "must be at most 64"),
    ('every = "0s"', "every", "at least 1m"),
    ('every = "59s"', "every", "at least 1m"),
    ('every = "400d"', "every", "at most 366d"),
    ("timeout = 0", "timeout", "greater than 0"),
    ("timeout = -3", "timeout", "greater than 0"),
    ("max_pages = 0", "max_pages", "at least 1"),
    ("replies = -1", "replies", "at least 0"),
    ("refresh_days = -1", "refresh_days", "at least 0"),
    ("concurrency = 2.5", "concurrency", "must be an integer"),
    ("delay = true", "delay", "must be a number"),
    ("forums = [0]", "forums", "item 1: must be at least 1"),
])
def test_source_values_outside_their_bounds_name_the_key(tmp_path: Path, extra: str, key: str,
                                                         words: str) -> None:
    text = source("phpbb").replace("forums = [2]\n", "") if key == "forums" else source("phpbb")
    error = error_of(tmp_path, text + extra + "\n")
    assert (error.source, error.key) == ("s1", key)
    assert words in str(error)


@pytest.mark.parametrize(("text", "key"), [
    ('[schedule]\ntime_limit = "0s"\n', "schedule.time_limit"),
    ("[schedule]\ngrace = -1\n", "schedule.grace"),
    ('[schedule]\ntime_limit = "90d"\n', "schedule.time_limit"),
    ("[schedule]\nmax_parallel_crawls = 0\n", "schedule.max_parallel_crawls"),
    ('[schedule]\naggregate_every = "0s"\n', "schedule.aggregate_every"),
    ('[schedule]\nenrich_every = "30s"\n', "schedule.enrich_every"),
    ('[export]\ndir = "out"\nevery = "0s"\n', "export.every"),
    ("[enrich]\ndelay = -1\n", "enrich.delay"),
    ("[enrich]\nbatch_size = 0\n", "enrich.batch_size"),
    ("[aggregate]\nmax_topic_links = -1\n", "aggregate.max_topic_links"),
    ("[aggregate]\ntopic_threshold = 1.5\n", "aggregate.topic_threshold"),
    ('[redis]\nurl = "http://127.0.0.1:6379"\n', "redis.url"),
    ('[database]\nurl = ""\n', "database.url"),
])
def test_table_values_outside_their_bounds_name_the_key(tmp_path: Path, text: str,
                                                        key: str) -> None:
    assert error_of(tmp_path, text).key == key


def test_values_at_the_bounds_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "hairlink.toml"
    path.write_text(source("phpbb", 'delay = 0\nconcurrency = 64\nevery = "1m"\ntimeout = 0.5\n'
                           "max_pages = 1\nreplies = 0\n")
                    + source("xenforo", "delay = 3600\nconcurrency = 1\n", name="s2")
                    + '[schedule]\naggregate_delay = 0\naggregate_every = "1m"\n',
                    encoding="utf-8")
    config = load_config(path)
    first = config.source("s1")
    assert first.get("delay") == 0 and first.get("concurrency") == 64
    assert parse_interval(first.every) == 60 and first.get("max_pages") == 1
    assert config.source("s2").get("delay") == 3600
    assert config.section("schedule") == {"aggregate_delay": 0, "aggregate_every": "1m"}


def test_the_interval_floor_can_be_lowered_but_not_to_zero(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MIN_INTERVAL_ENV, "1")
    path = tmp_path / "hairlink.toml"
    path.write_text(source("phpbb", 'every = "2s"\n'), encoding="utf-8")
    assert parse_interval(load_config(path).source("s1").every) == 2
    monkeypatch.setenv(MIN_INTERVAL_ENV, "0")
    assert error_of(tmp_path, source("phpbb", 'every = "0s"\n')).key == "every"


def test_the_example_config_and_env_overrides_still_work(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", "postgresql://db.example/hairlink")
    monkeypatch.setenv("HAIRLINK_REDIS_URL", "redis://127.0.0.1:6379/9")
    config = load_config(ROOT / "hairlink.example.toml")
    assert config.database_url == "postgresql://db.example/hairlink"
    assert config.redis_url == "redis://127.0.0.1:6379/9"
    assert config.source("regrowth-board").settings is not None


# -- the command line ---------------------------------------------------------------------
@pytest.mark.parametrize(("text", "words"), [
    (source("phpbb", "delay = -5\n"), "key 'delay': must be at least 0"),
    (source("phpbb", "concurrency = -1\n"), "key 'concurrency': must be at least 1"),
    (source("phpbb", "delay = 1e308\n"), "key 'delay': must be at most 3600"),
    (source("phpbb", 'every = "0s"\n'), "key 'every': must be at least 1m"),
    ('[schedule]\ntime_limt = "1h"\n', "did you mean 'time_limit'?"),
    ('[[sources]]\nname = "s1"\nkind = "phbb"\n', "did you mean 'phpbb'?"),
])
def test_the_cli_prints_one_line_and_exits_2(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "a-rather-long-directory-name-so-the-line-is-longer-than-a-terminal"
    path.mkdir()
    cfg = path / "hairlink.toml"
    cfg.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(cfg), "sources"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: configuration error: ")
    assert str(cfg) in lines[0] and words in lines[0]
    assert "Traceback" not in result.output


def test_the_crawl_subprocess_says_it_in_one_line_too(tmp_path: Path) -> None:
    cfg = tmp_path / "hairlink.toml"
    cfg.write_text(source("phpbb", "concurrency = -1\n"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "scrapers.run", "s1", "--config", str(cfg)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"error: configuration error: {cfg}: source 's1': key 'concurrency': must be at least 1"
        " (got -1)"]


def test_a_union_value_reports_the_check_that_failed_not_every_member() -> None:
    from typing import Annotated, Literal

    from pydantic import Field, ValidationError

    from models.config import _first_problem
    from models.config_types import matching
    from models.source_kinds import ForumId, SourceModel

    class Board(SourceModel):
        kind: Literal["board"]
        forums: list[ForumId | Annotated[str, matching(r"\w+(/\w+)*", "a forum path")]] = \
            Field(min_length=1)

    def problem(forums: list[object]) -> tuple[str, str]:
        with pytest.raises(ValidationError) as info:
            Board.model_validate({"name": "b", "kind": "board", "forums": forums})
        return _first_problem(info.value, Board, "unknown key")

    assert problem([1, "hair/loss", "x y"]) == ("forums", "item 3: expected a forum path, "
                                                          "got 'x y'")
    assert problem([0]) == ("forums", "item 1: must be at least 1 (got 0)")
    assert problem([1.5]) == ("forums", "item 1: must be an integer or a string (got 1.5)")
