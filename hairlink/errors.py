"""The CLI's one error path: expected failures become one line `error: ...` and an exit code.

Exit codes: 2 when the command line or the configuration is wrong (an unknown name, a bad
option value, an unwritable `--out`, a file that is not what the command was told it is, a
bad config file); 1 when a correct command could not run (the database unreachable or not
initialised, a crawl or import that failed). `--debug` shows the traceback instead.

Only light imports at module level: this runs for every command, `--help` included.
"""

from __future__ import annotations

import difflib
import errno
import os
from collections.abc import Iterable
from pathlib import Path

USAGE = 2
RUNTIME = 1


class UserError(Exception):
    """An expected failure: `message` is the whole `error: ...` line, `code` the exit code."""

    def __init__(self, message: str, code: int = RUNTIME) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`; did you mean 'minoxidil'?` for the closest choices, or a short list of them."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(value.lower(), options, n=3, cutoff=0.6)
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    if not options:
        return ""
    shown = ", ".join(options[:8]) + (", ..." if len(options) > 8 else "")
    return f"; known: {shown}"


def unknown_name(what: str, value: str, choices: Iterable[str], option: str) -> UserError:
    """`unknown treatment 'minoxidill' (--treatment); did you mean 'minoxidil'?` (exit 2)."""
    return UserError(f"unknown {what} {value!r} ({option}){did_you_mean(value, choices)}",
                     USAGE)


def writable_dir(path: Path, option: str) -> Path:
    """`path` created if needed and checked writable; UserError (exit 2) naming `option`."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UserError(f"{option} {path}: exists and is not a folder; choose another "
                        "path", USAGE) from None
    except OSError as exc:
        raise UserError(f"{option} {path}: cannot create the folder ({_reason(exc)}); "
                        "choose a writable path", USAGE) from None
    if not path.is_dir():
        raise UserError(f"{option} {path}: not a folder; choose another path", USAGE)
    if not os.access(path, os.W_OK | os.X_OK):
        raise UserError(f"{option} {path}: the folder is not writable; choose a writable "
                        "path", USAGE)
    probe = path / f".hairlink-write-test-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UserError(f"{option} {path}: cannot write there ({_reason(exc)}); choose a "
                        "writable path", USAGE) from None
    return path


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    return (exc.strerror or str(exc)).lower()


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    line = lines[0] if lines else ""
    if line.startswith("(") and ") " in line:  # "(psycopg.OperationalError) ..." prefix
        line = line.split(") ", 1)[1]
    return line[:300]


def _database_message(exc: Exception, url: str | None) -> tuple[str, int]:
    text = str(getattr(exc, "orig", None) or exc)
    low = text.lower()
    where = f"the database {url}" if url else "the database"
    fix = "fix [database] url in the config or HAIRLINK_DATABASE_URL"
    if "no such table" in low or ("relation" in low and "does not exist" in low):
        return f"{where} has no hairlink tables: run `hairlink init`", RUNTIME
    if "unable to open database file" in low:
        return (f"cannot open {where}: its folder is missing or not writable; create the "
                f"folder or {fix}", RUNTIME)
    if "file is not a database" in low or "not a database" in low:
        return f"{where} is not a SQLite database file; {fix}", RUNTIME
    if "database is locked" in low:
        return f"{where} is locked by another process; try again", RUNTIME
    if "readonly database" in low or "read-only" in low:
        return f"{where} is read-only; make its file and folder writable", RUNTIME
    if "password authentication failed" in low or ("role" in low and "does not exist" in low):
        return f"cannot log in to {where}: {_first_line(text)}; {fix}", RUNTIME
    if any(s in low for s in ("connection refused", "could not connect", "connection failed",
                              "timeout expired", "timed out", "name or service not known",
                              "could not translate host", "nodename nor servname",
                              "no route to host", "network is unreachable",
                              "failed to resolve host")):
        return (f"cannot reach {where}: {_first_line(text)}; start the server or {fix}",
                RUNTIME)
    if "database" in low and "does not exist" in low:
        return f"{where} does not exist: create it, or {fix}", RUNTIME
    return f"database error: {_first_line(text)}", RUNTIME


def explain(exc: BaseException, database_url: str | None = None) -> tuple[str, int]:
    """The one-line message and exit code for an exception a command let escape."""
    from sqlalchemy import exc as sa_exc

    from models.config import ConfigError
    from models.schema_version import SchemaNotReady

    if isinstance(exc, UserError):
        return exc.message, exc.code
    if isinstance(exc, ConfigError):
        return f"configuration error: {exc}", USAGE
    if isinstance(exc, SchemaNotReady):
        return str(exc), RUNTIME
    if isinstance(exc, sa_exc.ArgumentError | sa_exc.NoSuchModuleError):
        return f"configuration error: bad database url: {_first_line(str(exc))}", USAGE
    if isinstance(exc, sa_exc.DBAPIError | sa_exc.OperationalError):
        return _database_message(exc, database_url)
    if type(exc).__module__.startswith("redis") and "Connection" in type(exc).__name__:
        return (f"cannot reach Redis: {_first_line(str(exc))}; start it or fix [redis] url "
                "or HAIRLINK_REDIS_URL", RUNTIME)
    if isinstance(exc, ModuleNotFoundError) and exc.name and "psycopg" in exc.name:
        return ("PostgreSQL support is not installed: pip install 'hairlink[postgres]'",
                USAGE)
    if isinstance(exc, OSError) and exc.filename:
        target = exc.filename if not exc.filename2 else f"{exc.filename} -> {exc.filename2}"
        return f"{target}: {_reason(exc)}", RUNTIME
    if isinstance(exc, OSError):
        return f"{_reason(exc)}", RUNTIME
    if isinstance(exc, MemoryError):
        return "out of memory", RUNTIME
    kind = type(exc).__name__
    return (f"unexpected {kind}: {_first_line(str(exc)) or 'no message'} (run again with "
            "--debug for the traceback, and please report it)", RUNTIME)
