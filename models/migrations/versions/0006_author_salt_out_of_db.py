"""author salt out of the database

The author salt moves from the `meta` row `author_salt` to where `models.author_salt` keeps
it (the environment, or a 0600 file next to the SQLite database / in the user's config
directory), so a copy of the database alone cannot be used to test guessed author names.
A salt file (or `HAIRLINK_AUTHOR_SALT`) that already holds a different salt stops the
upgrade with a message rather than lose either. Downgrade puts the salt back in `meta`.

Revision ID: 0006authorsalt
Revises: 0004references
Create Date: 2026-12-02 01:30:00
"""
import os
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.author_salt import SALT_ENV, SaltError, load_author_salt, read_salt, salt_path
from models.author_salt import write_salt as write_salt_file

revision: str = '0006authorsalt'
down_revision: str | None = '0004references'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SALT_KEY = "author_salt"
meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))


def upgrade() -> None:
    bind = op.get_bind()
    stored = bind.execute(sa.select(meta.c.value).where(meta.c.key == SALT_KEY)).scalar()
    if not stored:
        return
    from_env = os.environ.get(SALT_ENV, "").strip()
    path = salt_path(bind.engine.url)
    if from_env:
        kept, where = from_env, f"${SALT_ENV}"
    elif path is None:
        return  # an in-memory database: nothing outlives the process anyway
    else:
        kept, where = write_salt_file(path, stored), str(path)
    if kept != stored:
        raise SaltError(f"the database holds an author salt that differs from the one in "
                        f"{where}; keep one: remove {where} to move the database's salt "
                        f"out, or delete the meta row 'author_salt' to keep {where}")
    bind.execute(sa.delete(meta).where(meta.c.key == SALT_KEY))


def downgrade() -> None:
    bind = op.get_bind()
    path = salt_path(bind.engine.url)
    salt = None
    if path is not None:
        salt = read_salt(path)
    if salt is None:
        try:
            salt = load_author_salt(bind.engine.url, create=False)
        except SaltError:
            return
    bind.execute(sa.delete(meta).where(meta.c.key == SALT_KEY))
    bind.execute(sa.insert(meta).values(key=SALT_KEY, value=salt))
