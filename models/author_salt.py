"""The author salt, kept outside the database it protects.

Author names are stored as sha256(salt + name). With the salt inside the same database,
anyone holding the database file could test guessed names; so the salt lives elsewhere:

1. `$HAIRLINK_AUTHOR_SALT`: the salt itself (e.g. from a secret store), else
2. the file `$HAIRLINK_AUTHOR_SALT_FILE`, else
3. for a SQLite database file, `<database file>.salt` next to it, else
4. (PostgreSQL) `$XDG_CONFIG_HOME/hairlink/salts/<host>-<port>-<database>.salt`
   (`~/.config/...` by default).

Files are created once, with mode 0600, by whoever first needs the salt (safe against two
creators). An unreadable or empty salt file is an error naming the file, never a silent new
salt (that would split every author's hash in two). An in-memory database gets a salt for
this process only. Migration `0006authorsalt` moves a salt stored by older versions (the
`meta` row `author_salt`) into the file.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SALT_ENV = "HAIRLINK_AUTHOR_SALT"
SALT_FILE_ENV = "HAIRLINK_AUTHOR_SALT_FILE"
_PROCESS_SALT = secrets.token_hex(32)


class SaltError(RuntimeError):
    """The author salt cannot be read or written: names the file and what to do."""


def salt_path(database_url: str | URL) -> Path | None:
    """Where the salt of this database is kept (None: an in-memory database)."""
    explicit = os.environ.get(SALT_FILE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    url = make_url(database_url)
    database = url.database or ""
    if url.get_backend_name() == "sqlite":
        if not database or database == ":memory:" or database.startswith("file::memory:"):
            return None
        path = Path(database.removeprefix("file:").split("?", 1)[0])
        return path.with_name(path.name + ".salt")
    home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    label = re.sub(r"[^A-Za-z0-9_.-]+", "_",
                   f"{url.host or 'local'}-{url.port or 'default'}-{database}")
    return home / "hairlink" / "salts" / f"{label}.salt"


def read_salt(path: Path) -> str | None:
    """The salt in `path`; None if there is no such file; SaltError if unusable."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise SaltError(f"cannot read the author salt file {path}: {reason} (it must be "
                        f"readable by the user running hairlink; mode 0600)") from None
    if not text:
        raise SaltError(f"the author salt file {path} is empty: restore it from a backup "
                        f"(a new salt would change every stored author hash)")
    return text


def write_salt(path: Path, salt: str) -> str:
    """Create `path` (mode 0600) holding `salt`; if another process created it first,
    its salt. Returns the salt in the file.

    The salt is written to a private temporary file first and published by a hard link,
    which fails when `path` exists: a process starting beside this one never reads a
    created but still empty file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise SaltError(f"cannot create the author salt file {path}: {exc.strerror}") from None
    try:
        try:
            os.write(fd, (salt + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.link(temporary, path)
    except FileExistsError:
        existing = read_salt(path)
        if existing is None:  # removed in between: try again
            return write_salt(path, salt)
        return existing
    except OSError as exc:
        raise SaltError(f"cannot create the author salt file {path}: {exc.strerror}") from None
    finally:
        temporary.unlink(missing_ok=True)
    return salt


def load_author_salt(database_url: str | URL, *, create: bool = True) -> str:
    """The author salt of this database: from the environment or its file (created on
    first use unless `create` is false: then SaltError when there is none)."""
    value = os.environ.get(SALT_ENV, "").strip()
    if value:
        return value
    path = salt_path(database_url)
    if path is None:
        return _PROCESS_SALT
    salt = read_salt(path)
    if salt is not None:
        return salt
    if not create:
        raise SaltError(f"no author salt file at {path}")
    return write_salt(path, secrets.token_hex(32))
