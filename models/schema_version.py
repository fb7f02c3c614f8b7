"""Is the database at this version's schema? Checked by every command but `hairlink init`.

Light on purpose (no Alembic import): the stored revision is read with one SELECT from
`alembic_version`, the head revision from the `revision`/`down_revision` lines of the
migration files (Alembic's own answer when the files say something else than one head).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, inspect, text

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"
_ASSIGNMENT = r"^{name}(?:\s*:[^=\n]+)?\s*=\s*(.+)$"
_QUOTED = re.compile(r"""["']([^"']+)["']""")


class SchemaNotReady(RuntimeError):
    """The database has no hairlink schema, or one of another version: run `hairlink init`."""


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database (None: no hairlink schema yet)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


@lru_cache(maxsize=1)
def _shipped() -> tuple[frozenset[str], frozenset[str]]:
    """The revisions of the shipped migration files and the revisions they follow."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS_DIR.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        own = re.search(_ASSIGNMENT.format(name="revision"), source, re.MULTILINE)
        down = re.search(_ASSIGNMENT.format(name="down_revision"), source, re.MULTILINE)
        if own is None:
            continue
        revisions.update(_QUOTED.findall(own.group(1))[:1])
        if down is not None:
            parents.update(_QUOTED.findall(down.group(1)))
    return frozenset(revisions), frozenset(parents)


def require_known(revision: str | None, where: str) -> None:
    """SchemaNotReady when `revision` is none of the shipped migrations: a newer hairlink
    (or another program) made the database, and neither init nor any command can use it."""
    if revision is None or revision in _shipped()[0]:
        return
    from models.migrate import is_shipped  # odd files the regexes miss: ask Alembic

    if not is_shipped(revision):
        raise SchemaNotReady(f"the database {where} is at schema revision {revision}, which "
                             "this hairlink does not know (a newer hairlink made it?): "
                             "upgrade hairlink, or use another database")


@lru_cache(maxsize=1)
def shipped_head() -> str | None:
    """The newest revision of the migrations shipped with this version of hairlink."""
    revisions, parents = _shipped()
    heads = revisions - parents
    if len(heads) == 1:
        return next(iter(heads))
    from models.migrate import head_revision  # several heads or odd files: ask Alembic

    return head_revision()


def require_schema(engine: Engine) -> None:
    """Raise SchemaNotReady unless the database is at this version's head revision.

    Only `hairlink init`, the demo and the scheduler's start migrate; every other command
    checks with this and names the fix.
    """
    where = engine.url.render_as_string(hide_password=True)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:" and \
            not database.startswith("file:") and not Path(database).exists() and \
            Path(database).parent.is_dir():
        # Checked before connecting: SQLite would create the file, and a command that only
        # reads must not write (a missing folder fails on connecting, creating nothing).
        raise SchemaNotReady(f"no hairlink database at {database}: run `hairlink init`")
    current = stored_revision(engine)
    if current is None:
        raise SchemaNotReady(f"the database {where} has no hairlink tables: run "
                             "`hairlink init`")
    require_known(current, where)
    head = shipped_head()
    if current != head:
        raise SchemaNotReady(f"the database {where} is at schema revision {current}, this "
                             f"hairlink needs {head}: run `hairlink init` to upgrade it")
