"""More bad input for the CLI's one error path (see test_cli_errors): files that are not
UTF-8, numbers too large for the database, crawl options the crawl children would fail on,
a database made by a newer hairlink, a driver that is not installed, a demo pointed at a
real project."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from hairlink.app import app
from tests.test_cli_errors import Case, database_url, runner

HUGE = "99999999999999999999999"


def _latin_config(tmp: Path) -> None:
    (tmp / "latin.toml").write_bytes(b'contact = "caf\xe9@example.org"\n')


def _lexicon_config(text: bytes) -> object:
    def setup(tmp: Path) -> None:
        (tmp / "lex.toml").write_bytes(text)
        (tmp / "l.toml").write_text('lexicon = "lex.toml"\n')
    return setup


def _reddit_config(tmp: Path) -> None:
    (tmp / "r.toml").write_text('[[sources]]\nname = "tl"\nkind = "reddit"\n'
                                'subreddits = ["tressless"]\n')


def _future_schema(tmp: Path) -> None:
    with sqlite3.connect(tmp / "h.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099future'")


def _foreign_project(tmp: Path) -> None:
    (tmp / "proj").mkdir()
    (tmp / "proj" / "hairlink.toml").write_text('contact = "me@example.org"\n')


def _foreign_database(tmp: Path) -> None:
    (tmp / "proj").mkdir()
    (tmp / "proj" / "hairlink.db").write_bytes(b"SQLite format 3\x00")


CASES = [
    Case("config-not-utf8", ["--config", "{tmp}/latin.toml", "sources"], "ready", 2,
         "latin.toml: not UTF-8 text", _latin_config),
    Case("lexicon-not-utf8", ["--config", "{tmp}/l.toml", "init"], "ready", 2,
         "lex.toml: not UTF-8 text", _lexicon_config(b"decoys = ['caf\xe9']\n")),
    Case("lexicon-misspelled-table", ["--config", "{tmp}/l.toml", "init"], "ready", 2,
         "unknown key 'treatments'; did you mean 'treatment'?",
         _lexicon_config(b'[[treatments]]\nid = "minoxidil"\naliases = ["mx"]\n')),
    Case("lexicon-misspelled-key", ["--config", "{tmp}/l.toml", "init"], "ready", 2,
         "treatment 'minoxidil': unknown key 'alias'; did you mean 'aliases'?",
         _lexicon_config(b'[[treatment]]\nid = "minoxidil"\nalias = ["mx"]\n')),
    Case("posts-huge-limit", ["posts", "--limit", HUGE], "ready", 2,
         "'--limit': 99999999999999999999999 is out of range"),
    Case("posts-huge-min-score", ["posts", "--min-score", "-" + HUGE], "ready", 2,
         "'--min-score'"),
    Case("treatments-huge-examples", ["treatments", "--examples", HUGE], "ready", 2,
         "'--examples'"),
    Case("enrich-infinite-delay", ["studies", "enrich", "--delay", "inf"], "ready", 2,
         "'--delay': inf is not a finite number"),
    Case("worker-infinite-idle", ["worker", "--exit-when-idle", "inf"], "ready", 2,
         "'--exit-when-idle': inf is not a finite number"),
    Case("show-huge-id", ["show", HUGE], "ready", 2, "too large for a PMID or an internal id"),
    Case("posts-huge-age", ["posts", "--since", "999999999d"], "ready", 2,
         "--since: bad time '999999999d': that age reaches before the year 1"),
    Case("posts-year-1-east", ["posts", "--since", "0001-01-01T00:00:00+05:00"], "ready", 2,
         "out of range in UTC"),
    Case("crawl-log-level", ["--config", "{tmp}/r.toml", "crawl", "tl", "--log-level", "LOUD"],
         "ready", 2, "--log-level: unknown level 'LOUD'", _reddit_config),
    Case("crawl-set-no-equals", ["--config", "{tmp}/r.toml", "crawl", "tl", "-s", "DELAY"],
         "ready", 2, "--set wants KEY=VALUE, got 'DELAY'", _reddit_config),
    Case("posts-future-schema", ["posts"], "ready", 1,
         "0099future, which this hairlink does not know", _future_schema),
    Case("init-future-schema", ["init"], "ready", 1,
         "0099future, which this hairlink does not know", _future_schema),
    Case("studies-folder", ["import", "studies", "{tmp}"], "ready", 2,
         "is a folder, not a study file"),
    Case("demo-foreign-config", ["demo", "--out", "{tmp}/proj"], "ready", 2,
         "holds a hairlink.toml that `hairlink demo` did not write", _foreign_project),
    Case("demo-foreign-database", ["demo", "--out", "{tmp}/proj"], "ready", 2,
         "holds a hairlink.db that `hairlink demo` did not make", _foreign_database),
]


def _run(case: Case, tmp: Path, monkeypatch: pytest.MonkeyPatch, url: str) -> list[str]:
    monkeypatch.chdir(tmp)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", url)
    if case.setup:
        case.setup(tmp)
    result = runner.invoke(app, [a.replace("{tmp}", str(tmp)) for a in case.args])
    assert result.exit_code == case.code, result.output
    assert "Traceback" not in result.output
    return [line for line in result.output.splitlines() if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_one_error_line(case: Case, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _run(case, tmp_path, monkeypatch, database_url(case.database, tmp_path))
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and case.says in lines[0], lines[0]


def test_a_bad_crawl_option_starts_no_crawl_run(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES[[c.name for c in CASES].index("crawl-log-level")]
    _run(case, tmp_path, monkeypatch, database_url("ready", tmp_path))
    with sqlite3.connect(tmp_path / "h.db") as connection:
        assert connection.execute("SELECT count(*) FROM crawl_run").fetchone() == (0,)


def test_the_demo_leaves_a_real_project_config_alone(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES[[c.name for c in CASES].index("demo-foreign-config")]
    _run(case, tmp_path, monkeypatch, database_url("ready", tmp_path))
    assert (tmp_path / "proj" / "hairlink.toml").read_text() == 'contact = "me@example.org"\n'
    assert not (tmp_path / "proj" / "hairlink.db").exists()


def test_a_database_url_without_its_driver_is_a_config_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = Case("mysql", ["posts"], "ready", 2, "no driver for mysql URLs")
    lines = _run(case, tmp_path, monkeypatch, "mysql://u@127.0.0.1:1/h")
    assert len(lines) == 1 and lines[0].startswith("error: configuration error: bad database "
                                                   "url: no driver for mysql URLs"), lines


def test_a_utf16_study_list_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Spreadsheets save "Unicode text" as UTF-16 with a byte-order mark: read, not a
    "no identifier column" problem."""
    (tmp_path / "list.csv").write_text("pmid,title\n12348,Minoxidil in UTF-16\n",
                                       encoding="utf-16")
    case = Case("utf16", ["import", "studies", "{tmp}/list.csv"], "ready", 0, "")
    lines = _run(case, tmp_path, monkeypatch, database_url("ready", tmp_path))
    assert lines == ["read 1 studies from 1 file(s): 1 new, 0 updated, 0 merged; 0 problem(s)"]


def test_until_the_last_day_there_is_lists_everything(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    case = Case("until-max", ["posts", "--until", "9999-12-31", "--format", "json"], "ready",
                0, "")
    assert _run(case, tmp_path, monkeypatch, database_url("ready", tmp_path)) == ["[]"]


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_is_a_config_error(url: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`init` into an in-memory database reported success and kept nothing; every other
    command then said `run hairlink init`."""
    case = Case("memory", ["init"], "ready", 2, "")
    lines = _run(case, tmp_path, monkeypatch, url)
    assert len(lines) == 1 and "is an in-memory SQLite database" in lines[0], lines


def test_an_api_key_with_a_line_break_inside_is_a_config_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It went into an HTTP header: `unexpected ValueError: Invalid header value`."""
    from scrapers.enrich.settings import EnrichSettings

    monkeypatch.setenv("HAIRLINK_S2_API_KEY", "key\r\n")  # pasted from a file: kept, trimmed
    assert EnrichSettings.from_env().s2_api_key == "key"
    monkeypatch.setenv("HAIRLINK_S2_API_KEY", "half\nkey")
    case = Case("s2-key", ["studies", "enrich", "--limit", "1"], "ready", 2, "")
    lines = _run(case, tmp_path, monkeypatch, database_url("ready", tmp_path))
    assert lines == ["error: configuration error: HAIRLINK_S2_API_KEY holds spaces, control "
                     "or non-ASCII characters: check the key"]


@pytest.mark.timeout(60)  # before the fix the scheduler started and ran until stopped
@pytest.mark.parametrize(("table", "says"), [
    ('[schedule]\nlog_dir = "afile/logs"\n', "[schedule] log_dir"),
    ('[export]\ndir = "afile/site"\nevery = "1d"\n', "[export] dir"),
])
def test_the_scheduler_checks_its_folders_at_start(table: str, says: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def setup(tmp: Path) -> None:
        (tmp / "afile").write_text("x")
        (tmp / "s.toml").write_text(table)

    case = Case("folders", ["--config", "{tmp}/s.toml", "schedule", "run"], "ready", 2, "",
                setup)
    lines = _run(case, tmp_path, monkeypatch, database_url("ready", tmp_path))
    assert len(lines) == 1 and lines[0].startswith(f"error: {says} ") and \
        "a part of the path is a file" in lines[0], lines


@pytest.mark.parametrize(("name", "refused"), [("sample-reddit", False), ("tressless", True)])
def test_a_demo_database_without_its_config_is_the_demos(name: str, refused: bool,
                                                          tmp_path: Path) -> None:
    """Its config says "safe to delete": a rerun takes the demo's database back, but not
    one holding other sources."""
    from hairlink.demo import check_out_dir
    from hairlink.errors import UserError

    with sqlite3.connect(tmp_path / "hairlink.db") as connection:
        connection.execute("CREATE TABLE source (name TEXT)")
        connection.execute("INSERT INTO source VALUES (?)", (name,))
    connection.close()
    if refused:
        with pytest.raises(UserError, match="did not make"):
            check_out_dir(tmp_path)
    else:
        check_out_dir(tmp_path)
