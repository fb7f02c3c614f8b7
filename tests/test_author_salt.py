"""The author salt lives outside the database: a 0600 file (or the environment), moved out
of older databases by a migration; an unreadable salt file is a clear error."""

from __future__ import annotations

import multiprocessing
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import author_salt
from models.author_salt import (
    SALT_ENV,
    SALT_FILE_ENV,
    SaltError,
    load_author_salt,
    read_salt,
    salt_path,
    write_salt,
)
from models.db import make_engine
from models.entities import Meta
from models.migrate import upgrade
from scrapers.database import CrawlDatabase
from scrapers.pipelines.authors import AuthorHashPipeline, hash_author, load_salt


def meta_salt(db_url: str) -> str | None:
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            return session.scalar(select(Meta.value).where(Meta.key == "author_salt"))
    finally:
        engine.dispose()


def test_sqlite_salt_is_a_private_file_next_to_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    engine = make_engine(url)
    upgrade(engine)
    salt = load_salt(engine)
    path = tmp_path / "h.db.salt"
    assert salt_path(url) == path and path.read_text().strip() == salt and len(salt) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_salt(engine) == salt and meta_salt(url) is None
    engine.dispose()


def test_postgresql_salt_is_in_the_config_directory(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = salt_path("postgresql://u:secret@db.example:5433/hairlink")
    assert path == tmp_path / "hairlink" / "salts" / "db.example-5433-hairlink.salt"
    monkeypatch.setenv(SALT_FILE_ENV, str(tmp_path / "my.salt"))
    assert salt_path("postgresql://db.example/hairlink") == tmp_path / "my.salt"
    monkeypatch.setenv(SALT_ENV, "from-the-environment")
    assert load_author_salt("postgresql://db.example/hairlink") == "from-the-environment"
    assert not (tmp_path / "my.salt").exists()


def test_the_migration_moves_an_old_salt_out_and_back(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0002topic")
    with Session(engine) as session, session.begin():
        session.add(Meta(key="author_salt", value="a1" * 32))
    upgrade(engine)
    assert meta_salt(db_url) is None
    assert load_salt(engine) == "a1" * 32  # hashes stay what they were
    path = salt_path(engine.url)
    assert path is not None and stat.S_IMODE(path.stat().st_mode) == 0o600
    from alembic import command

    from models.migrate import alembic_config

    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0002topic")
    assert meta_salt(db_url) == "a1" * 32
    engine.dispose()


def test_a_conflicting_salt_file_stops_the_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    engine = make_engine(url)
    upgrade(engine, "0002topic")
    with Session(engine) as session, session.begin():
        session.add(Meta(key="author_salt", value="b2" * 32))
    (tmp_path / "h.db.salt").write_text("c3" * 32)
    with pytest.raises(SaltError, match="differs"):
        upgrade(engine)
    assert meta_salt(url) == "b2" * 32  # nothing lost
    engine.dispose()


def test_an_unreadable_salt_file_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    (tmp_path / "h.db.salt").mkdir()  # unreadable as a file, even for root
    with pytest.raises(SaltError, match=r"cannot read the author salt file .*h\.db\.salt"):
        load_author_salt(url)
    (tmp_path / "h.db.salt").rmdir()
    (tmp_path / "h.db.salt").write_text("\n")
    with pytest.raises(SaltError, match="is empty"):
        load_author_salt(url)
    engine = make_engine(url)
    pipeline = AuthorHashPipeline(CrawlDatabase(engine=engine))
    with pytest.raises(SaltError):
        pipeline.open_spider()
    engine.dispose()


def test_hashes_depend_on_the_salt_only() -> None:
    assert hash_author("s1", "alice") != hash_author("s2", "alice")


def test_a_salt_file_is_never_seen_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers starting together: while one writes the new salt, the other finds no
    file (and creates its own, then takes the first one published), never an empty one."""
    path = tmp_path / "h.db.salt"
    seen: list[str | None] = []
    fsync = os.fsync

    def fsync_and_look(fd: int) -> None:
        seen.append(read_salt(path))  # what a process starting now would read
        fsync(fd)

    monkeypatch.setattr(author_salt.os, "fsync", fsync_and_look)
    assert write_salt(path, "c3" * 32) == "c3" * 32
    assert seen == [None]
    assert read_salt(path) == "c3" * 32
    assert [p.name for p in tmp_path.iterdir()] == ["h.db.salt"]  # no temporary file left
    assert write_salt(path, "d4" * 32) == "c3" * 32  # the first published salt wins
    assert [p.name for p in tmp_path.iterdir()] == ["h.db.salt"]


def _salt_of(url: str) -> str:
    return load_author_salt(url)


def test_workers_starting_together_share_one_salt(tmp_path: Path) -> None:
    urls = [f"sqlite:///{tmp_path / f'h{i}.db'}" for i in range(20)]
    with multiprocessing.get_context("fork").Pool(4) as pool:
        salts = pool.map(_salt_of, [url for url in urls for _ in range(4)])
    assert [len(set(salts[i:i + 4])) for i in range(0, len(salts), 4)] == [1] * len(urls)
