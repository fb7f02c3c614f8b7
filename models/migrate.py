"""Create or upgrade the schema with the Alembic migrations kept in this package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from models.fulltext import FULLTEXT_TABLES, PG_INDEX

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Tables owned by other libraries in the same database (APScheduler's job store).
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})


def include_name(name: str | None, type_: str, _parents: dict[str, Any]) -> bool:
    """Leave tables that hairlink does not own, and the full-text objects it keeps outside
    the ORM metadata (models.fulltext), out of autogenerate."""
    if type_ == "table":
        return name not in FOREIGN_TABLES and name not in FULLTEXT_TABLES
    return not (type_ == "index" and name == PG_INDEX)


def alembic_config(url: str | None = None) -> AlembicConfig:
    """An Alembic config pointing at hairlink's migrations."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind `engine` to `revision` (creating it from empty)."""
    from models.schema_version import require_known

    cfg = alembic_config()
    with engine.begin() as connection:
        require_known(MigrationContext.configure(connection).get_current_revision(),
                      engine.url.render_as_string(hide_password=True))
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with this version of hairlink."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_shipped(revision: str) -> bool:
    """Is `revision` one of the migrations shipped with this version of hairlink?"""
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False
