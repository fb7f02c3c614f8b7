"""The CLI's one error path: every expected failure is one line `error: ...`, exit 2 (usage,
config) or 1 (runtime), no traceback; `--debug` shows the traceback."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hairlink.cli  # noqa: F401  (registers every command)
from hairlink.app import app
from hairlink.errors import UserError, writable_dir
from models.db import make_engine
from models.migrate import upgrade

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Case:
    """One mistake: the command line (`{db}`/`{tmp}` filled in), the database it meets,
    the exit code and a fragment the error line must hold."""

    name: str
    args: list[str]
    database: str  # "ready", "empty", "missing-dir", "not-a-db", "refused"
    code: int
    says: str
    setup: Callable[[Path], None] | None = None


def _random_zst(tmp: Path) -> None:
    (tmp / "RS_2024-01.zst").write_bytes(os.urandom(4096))


def _garbage_jsonl(tmp: Path) -> None:
    (tmp / "dump.jsonl").write_text("this is not json\n")


def _a_file(tmp: Path) -> None:
    (tmp / "afile").write_text("x")


def _bad_config(tmp: Path) -> None:
    (tmp / "bad.toml").write_text('[[sources]]\nname = "x"\nkind = "nosuchkind"\n')


def _reddit_config(tmp: Path) -> None:
    (tmp / "r.toml").write_text('[[sources]]\nname = "tl"\nkind = "reddit"\n'
                                'subreddits = ["tressless"]\n')


CASES = [
    # the database: unreachable, missing, not a database, not initialised
    Case("posts-refused", ["posts"], "refused", 1, "cannot reach the database"),
    Case("digest-refused", ["digest", "--all", "--out", "{tmp}/site"], "refused", 1,
         "cannot reach the database"),
    Case("studies-refused", ["studies"], "refused", 1, "cannot reach the database"),
    Case("aggregate-refused", ["aggregate"], "refused", 1, "cannot reach the database"),
    Case("init-refused", ["init"], "refused", 1, "cannot reach the database"),
    Case("posts-missing-dir", ["posts"], "missing-dir", 1, "folder is missing"),
    Case("init-missing-dir", ["init"], "missing-dir", 1, "folder is missing"),
    Case("sources-not-a-db", ["sources"], "not-a-db", 1, "not a SQLite database"),
    Case("posts-empty", ["posts"], "empty", 1, "run `hairlink init`"),
    Case("studies-empty", ["studies"], "empty", 1, "run `hairlink init`"),
    Case("show-empty", ["show", "pmid:1"], "empty", 1, "run `hairlink init`"),
    Case("digest-empty", ["digest", "--all", "--out", "{tmp}/site"], "empty", 1,
         "run `hairlink init`"),
    Case("aggregate-empty", ["aggregate"], "empty", 1, "run `hairlink init`"),
    Case("import-empty", ["import", "studies", str(ROOT / "tests/fixtures/studies/studies.csv")],
         "empty", 1, "run `hairlink init`"),
    Case("schedule-status-empty", ["schedule", "status"], "empty", 1, "run `hairlink init`"),
    Case("crawl-empty", ["--config", "{tmp}/r.toml", "crawl", "tl"], "empty", 1,
         "run `hairlink init`", _reddit_config),
    Case("dump-empty", ["--config", "{tmp}/r.toml", "import", "reddit-dump",
                        "{tmp}/dump.jsonl"], "empty", 1, "run `hairlink init`",
         lambda t: (_reddit_config(t), (t / "dump.jsonl").write_text('{"id": "a"}\n'))),
    # paths that cannot be written
    Case("digest-out-proc", ["digest", "--all", "--out", "/proc/hairlink/site"], "ready", 2,
         "--out /proc/hairlink/site: cannot create the folder"),
    Case("digest-out-under-file", ["digest", "--all", "--out", "{tmp}/afile/site"], "ready",
         2, "a part of the path is a file", _a_file),
    Case("digest-out-is-file", ["digest", "--all", "--out", "{tmp}/afile"], "ready", 2,
         "exists and is not a folder", _a_file),
    Case("demo-out-under-file", ["demo", "--out", "{tmp}/afile/demo"], "ready", 2,
         "a part of the path is a file", _a_file),
    Case("demo-out-proc", ["demo", "--out", "/proc/self/hairlink-demo"], "ready", 2,
         "--out /proc/self/hairlink-demo"),
    # files that are not what the command was told
    Case("dump-random-zst", ["import", "reddit-dump", "{tmp}/RS_2024-01.zst", "--new-source",
                             "dumps"], "ready", 2, "not a zstd file", _random_zst),
    Case("dump-not-json", ["import", "reddit-dump", "{tmp}/dump.jsonl", "--new-source",
                           "dumps"], "ready", 2, "not a Reddit dump", _garbage_jsonl),
    Case("dump-missing", ["import", "reddit-dump", "{tmp}/RS_nope.zst", "--new-source", "d"],
         "ready", 2, "no such file"),
    Case("studies-missing-file", ["import", "studies", "{tmp}/nope.ris"], "ready", 2,
         "no such file"),
    Case("studies-unknown-extension", ["import", "studies", "{tmp}/afile"], "ready", 2,
         "cannot tell the format", _a_file),
    # names
    Case("dump-unconfigured-source", ["--config", "{tmp}/r.toml", "import", "reddit-dump",
                                      "{tmp}/RS_2024-01.zst", "--source", "nosuch"], "ready",
         2, "--new-source nosuch", lambda t: (_reddit_config(t), _random_zst(t))),
    Case("posts-treatment-typo", ["posts", "--treatment", "minoxxidil"], "ready", 2,
         "did you mean 'minoxidil'"),
    Case("studies-treatment-typo", ["studies", "--treatment", "finasteridd"], "ready", 2,
         "did you mean 'finasteride'"),
    Case("posts-source-typo", ["posts", "--source", "nosuchsource"], "ready", 2,
         "unknown source 'nosuchsource'"),
    Case("posts-window", ["posts", "--since", "2025-06-01", "--until", "2025-01-01"], "ready",
         2, "--since (2025-06-01 00:00) is not before --until"),
    Case("posts-sort", ["posts", "--sort", "scores"], "ready", 2, "did you mean 'score'"),
    Case("posts-bad-time", ["posts", "--since", "yesterday"], "ready", 2, "--since"),
    Case("show-unknown-study", ["show", "pmid:99100007"], "ready", 2, "no study with"),
    Case("show-bad-key", ["show", "banana"], "ready", 2, "bad study key"),
    Case("digest-format", ["digest", "--all", "--format", "pdf"], "ready", 2, "--format"),
    Case("crawl-unknown-source", ["crawl", "nosuch"], "ready", 2, "nosuch"),
    Case("unknown-command", ["postz"], "ready", 2, "No such command"),
    Case("unknown-option", ["posts", "--colour"], "ready", 2, "No such option"),
    Case("unknown-global-option", ["--colour", "posts"], "ready", 2, "No such option"),
    Case("bad-int", ["posts", "--limit", "many"], "ready", 2, "--limit"),
    # the configuration
    Case("bad-config", ["--config", "{tmp}/bad.toml", "posts"], "ready", 2,
         "configuration error", _bad_config),
    Case("missing-config", ["--config", "{tmp}/nope.toml", "sources"], "ready", 2,
         "nope.toml"),
]


def database_url(kind: str, tmp: Path) -> str:
    """The database a case meets."""
    if kind == "refused":  # nothing listens on port 1
        return "postgresql://hairlink@127.0.0.1:1/hairlink"
    if kind == "missing-dir":
        return f"sqlite:///{tmp / 'no' / 'such' / 'dir' / 'h.db'}"
    if kind == "not-a-db":
        (tmp / "notes.db").write_text("these are not the tables you are looking for\n" * 40)
        return f"sqlite:///{tmp / 'notes.db'}"
    url = f"sqlite:///{tmp / 'h.db'}"
    if kind == "ready":
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
    return url


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_an_expected_failure_is_one_error_line(case: Case, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HAIRLINK_CONFIG", raising=False)
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", database_url(case.database, tmp_path))
    if case.setup:
        case.setup(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in case.args]
    result = runner.invoke(app, args)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == case.code, result.output
    assert "Traceback" not in result.output
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and case.says in lines[0], lines[0]


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", f"sqlite:///{tmp_path / 'no' / 'h.db'}")
    result = runner.invoke(app, ["--debug", "posts"])
    assert result.exit_code == 1
    assert result.exception is not None and "unable to open database" in str(result.exception)


def test_the_installed_command_prints_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "HAIRLINK_DATABASE_URL": "postgresql://hairlink@127.0.0.1:1/h"}
    env.pop("HAIRLINK_CONFIG", None)
    done = subprocess.run([sys.executable, "-m", "hairlink", "posts"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert done.stdout == "" and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("error: cannot reach the database")


def test_writable_dir_names_a_read_only_folder(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(self: Path, data: bytes) -> int:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "write_bytes", read_only)
    with pytest.raises(UserError) as caught:
        writable_dir(tmp_path / "site", "--out")
    assert caught.value.code == 2
    assert "read-only file system" in caught.value.message and "--out" in caught.value.message


def test_postgresql_connections_give_up_in_seconds() -> None:
    from sqlalchemy import event

    seen: list[dict[str, object]] = []
    for url in ("postgresql://u@db.invalid/h", "postgresql://u@db.invalid/h?connect_timeout=3"):
        engine = make_engine(url)

        @event.listens_for(engine, "do_connect")
        def capture(dialect: object, record: object, cargs: object,
                    cparams: dict[str, object]) -> None:
            seen.append(dict(cparams))
            raise ConnectionRefusedError("captured")

        with pytest.raises(Exception, match="captured"):
            engine.connect()
        engine.dispose()
    assert seen[0]["connect_timeout"] == 10
    assert seen[1]["connect_timeout"] == "3"  # the URL's own value wins


def test_unreachable_redis_is_one_line() -> None:
    import redis

    from hairlink.errors import explain

    with pytest.raises(redis.ConnectionError) as caught:
        redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=2).ping()
    message, code = explain(caught.value)
    assert code == 1 and message.startswith("cannot reach Redis") and "\n" not in message


@pytest.mark.parametrize("args", [["posts"], ["studies"], ["sources"], ["treatments"]])
def test_a_read_only_command_creates_no_database(args: list[str], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading commands check the schema and never write: no SQLite file appears."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "h.db"
    monkeypatch.setenv("HAIRLINK_DATABASE_URL", f"sqlite:///{path}")
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.output.strip() == f"error: no hairlink database at {path}: run `hairlink init`"
    assert not path.exists()
