"""`hairlink import reddit-dump`: zstd and plain NDJSON dumps into threads and replies."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import zstandard
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import hairlink.cli  # noqa: F401  (registers the commands)
from hairlink.app import app
from models.db import make_engine
from models.entities import CrawlRun, Reply, ScoreSnapshot, Source, Thread
from scrapers.importers.reddit_dump import import_reddit_dumps
from scrapers.importers.reddit_dump_files import iter_records
from scrapers.pipelines.authors import hash_author, load_salt

T0 = 1700000000  # 2023-11-14T22:13:20Z


def submission(sid: str, title: str, *, score: int = 10, sub: str = "tressless",
               created: Any = None, **extra: Any) -> dict[str, Any]:
    record = {
        "id": sid, "name": f"t3_{sid}", "title": title, "selftext": "", "is_self": True,
        "author": f"user_{sid}", "subreddit": sub, "score": score, "num_comments": 3,
        "created_utc": T0 if created is None else created, "edited": False,
        "link_flair_text": "Minoxidil", "retrieved_on": T0 + 86400,
        "permalink": f"/r/{sub}/comments/{sid}/{title.lower().replace(' ', '_')}/",
        "url": f"https://www.reddit.com/r/{sub}/comments/{sid}/x/",
    }
    record.update(extra)
    return record


def comment(cid: str, thread: str, body: str, score: int, *, sub: str = "tressless",
            author: str = "commenter", created: int = T0 + 60) -> dict[str, Any]:
    return {"id": cid, "link_id": f"t3_{thread}", "parent_id": f"t3_{thread}", "body": body,
            "score": score, "author": author, "subreddit": sub, "created_utc": created,
            "edited": False}


def ndjson(records: list[Any]) -> bytes:
    lines = [r if isinstance(r, bytes) else json.dumps(r).encode() for r in records]
    return b"\n".join(lines) + b"\n"


def write_zst(path: Path, payload: bytes, window_log: int = 30) -> Path:
    params = zstandard.ZstdCompressionParameters.from_level(3, window_log=window_log,
                                                             enable_ldm=True)
    buffer = io.BytesIO()
    with zstandard.ZstdCompressor(compression_params=params).stream_writer(
            buffer, closefd=False) as writer:
        writer.write(payload)
    path.write_bytes(buffer.getvalue())
    return path


SUBMISSIONS = [
    submission("aa1", "Fin 1mg &amp; min 5% results", score=120,
               selftext="Study: [here](https://pubmed.ncbi.nlm.nih.gov/11111111/) &gt; quoted"),
    submission("aa2", "Dutasteride mesotherapy?", score=5, created=str(T0 + 100),
               edited=T0 + 500.0, link_flair_text="Finasteride/Dutasteride"),
    b'{"id": "broken", "title": ',
    submission("zz9", "Not our subreddit", sub="baldness"),
    submission("aa3", "Link to a paper", is_self=False, url="https://doi.org/10.1000/abc",
               author="[deleted]"),
    submission("aa4", ""),  # no title: skipped with a reason
]
COMMENTS = [comment(f"c{i:02d}", "aa1", f"reply number {i} &amp; more", score=i)
            for i in range(12)] + [
    comment("orphan", "nothere", "thread never imported", 50),
    comment("gone", "aa1", "[removed]", 99, author="[deleted]"),
    comment("other", "aa1", "other sub", 99, sub="baldness"),
    comment("d1", "aa2", "Try 0.5mg dut", 7),
]


@pytest.fixture
def dumps(tmp_path: Path) -> tuple[Path, Path]:
    rs = write_zst(tmp_path / "RS_2023-11.zst", ndjson(SUBMISSIONS))
    rc = tmp_path / "RC_2023-11.jsonl"
    rc.write_bytes(ndjson(COMMENTS))
    return rs, rc


def counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return (session.scalar(select(func.count()).select_from(Thread)) or 0,
                session.scalar(select(func.count()).select_from(Reply)) or 0,
                session.scalar(select(func.count()).select_from(ScoreSnapshot)) or 0)


def test_import_zst_and_jsonl(engine: Engine, dumps: tuple[Path, Path]) -> None:
    rs, rc = dumps
    # comment file first on purpose: the comment pass runs after every submission file
    stats = import_reddit_dumps(engine, [rc, rs], "tressless", subreddit="tressless",
                                replies=10)
    assert stats.threads.inserted == 3
    assert stats.malformed == 1
    assert any(":3: malformed line" in e and "RS_2023-11.zst" in e for e in stats.errors)
    assert stats.skipped["other_subreddit"] == 2
    assert stats.skipped["missing_title"] == 1
    assert stats.skipped["thread_not_stored"] == 1
    assert stats.skipped["deleted_comment"] == 1
    assert stats.skipped["below_top_replies"] == 2
    salt = load_salt(engine)  # before the session: one SQLite writer at a time
    with Session(engine) as session:
        threads = {t.external_id: t for t in session.scalars(select(Thread))}
        assert set(threads) == {"aa1", "aa2", "aa3"}
        fin = threads["aa1"]
        assert fin.title == "Fin 1mg & min 5% results"
        assert fin.body == "Study: here (https://pubmed.ncbi.nlm.nih.gov/11111111/) > quoted"
        assert fin.score == 120 and fin.num_comments == 3 and fin.category == "Minoxidil"
        assert fin.created_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
        assert fin.url.startswith("https://www.reddit.com/r/tressless/comments/aa1/")
        assert fin.author_hash == hash_author(salt, "user_aa1")
        assert threads["aa2"].edited_at == datetime.fromtimestamp(T0 + 500, UTC)
        assert threads["aa2"].category == "Finasteride/Dutasteride"
        assert threads["aa3"].body == "https://doi.org/10.1000/abc"
        assert threads["aa3"].author_hash is None
        replies = session.scalars(select(Reply).where(Reply.thread_id == fin.id)
                                  .order_by(Reply.position)).all()
        assert [r.external_id for r in replies] == [f"c{i:02d}" for i in range(11, 1, -1)]
        assert [r.position for r in replies] == list(range(10))
        assert replies[0].body == "reply number 11 & more"
        assert replies[0].author_hash == hash_author(salt, "commenter")
        assert replies[0].created_at == datetime.fromtimestamp(T0 + 60, UTC)
        dut = session.scalars(select(Reply).where(Reply.thread_id == threads["aa2"].id)).all()
        assert [r.body for r in dut] == ["Try 0.5mg dut"]
        assert session.scalar(select(Source.kind).where(Source.name == "tressless")) == "reddit"


def test_reimport_is_idempotent(engine: Engine, dumps: tuple[Path, Path]) -> None:
    rs, rc = dumps
    import_reddit_dumps(engine, [rs, rc], "tressless", subreddit="tressless")
    first = counts(engine)
    assert first == (3, 11, 3)
    again = import_reddit_dumps(engine, [rs, rc], "tressless", subreddit="tressless")
    assert counts(engine) == first
    assert again.threads.inserted == 0 and again.threads.unchanged == 3
    assert again.threads.snapshots == 0


def test_top_n_kept_across_small_batches(engine: Engine, tmp_path: Path) -> None:
    rs = tmp_path / "subs.ndjson"
    rs.write_bytes(ndjson([submission("t1", "One"), submission("t2", "Two")]))
    scores = [5, 1, 9, 3, 7, 2, 8, 0, 6, 4]
    rc = tmp_path / "RC_small.jsonl"
    rc.write_bytes(ndjson([comment(f"k{i}", "t1" if i % 2 else "t2", f"b{i}", s)
                           for i, s in enumerate(scores)]))
    stats = import_reddit_dumps(engine, [rs, rc], "r", replies=3, batch_size=2)
    assert stats.threads.inserted == 2
    with Session(engine) as session:
        top = {
            ext: [(r.score, r.position) for r in session.scalars(
                select(Reply).join(Thread).where(Thread.external_id == ext)
                .order_by(Reply.position))]
            for ext in ("t1", "t2")
        }
    assert top["t1"] == [(4, 0), (3, 1), (2, 2)]  # odd indexes: scores 1, 3, 2, 0, 4
    assert top["t2"] == [(9, 0), (8, 1), (7, 2)]  # even indexes: scores 5, 9, 7, 8, 6


def test_plain_mixed_file_and_corrupt_zst(engine: Engine, tmp_path: Path) -> None:
    mixed = tmp_path / "export.jsonl"
    mixed.write_bytes(ndjson([comment("m1", "s1", "before its thread", 3),
                              submission("s1", "Mixed file thread"),
                              b"\xff\xfe not utf8", [1, 2]]))
    good = write_zst(tmp_path / "RS_good.zst", ndjson([submission(f"g{i}", f"Good {i}")
                                                       for i in range(3000)]), window_log=20)
    broken = tmp_path / "RS_broken.zst"
    broken.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    stats = import_reddit_dumps(engine, [mixed, broken], "r")
    assert stats.malformed == 2
    assert [e.split(": ", 1)[0] for e in stats.errors if "malformed" in e] == [
        f"{mixed}:3", f"{mixed}:4"]
    assert stats.skipped["corrupt_file"] == 1
    assert stats.replies == 1
    with Session(engine) as session:
        stored = session.scalar(select(func.count()).select_from(Thread))
    assert stored is not None and 1 < stored < 3001  # the records before the break are kept
    assert sum(1 for _ in iter_records(good)) == 3000


def test_cli_reddit_dump(db_url: str, dumps: tuple[Path, Path], tmp_path: Path) -> None:
    rs, rc = dumps
    config = tmp_path / "hairlink.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n\n[[sources]]\nname = "tl"\n'
                      f'kind = "reddit"\nsubreddits = ["tressless"]\nreplies = 2\n')
    runner = CliRunner()
    result = runner.invoke(app, ["--config", str(config), "import", "reddit-dump", str(rs),
                                 str(rc), "--subreddit", "tressless", "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["source"] == "tl" and summary["status"] == "finished"
    assert summary["threads"] == 3 and summary["malformed"] == 1
    assert summary["skipped"]["thread_not_stored"] == 1
    assert "RS_2023-11.zst:3: malformed line" in result.stderr
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            run = session.scalars(select(CrawlRun)).one()
            assert (run.source_name, run.spider, run.status) == ("tl", "reddit-dump",
                                                                 "finished")
            assert run.errors == 1 and run.dropped["other_subreddit"] == 2
            per_thread = session.execute(select(Reply.thread_id, func.count())
                                         .group_by(Reply.thread_id)).all()
            assert sorted(n for _, n in per_thread) == [1, 2]  # `replies = 2` from config
    finally:
        engine.dispose()
    missing = runner.invoke(app, ["--config", str(config), "import", "reddit-dump",
                                  str(tmp_path / "RS_nope.zst")])
    assert missing.exit_code == 2 and "no such file" in " ".join(missing.stderr.split())
    wrong = runner.invoke(app, ["--config", str(config), "import", "reddit-dump", str(rs),
                                "--source", "tl", "--replies", "-1"])
    assert wrong.exit_code == 2


def test_bad_values_lose_only_their_own_record(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "RS_2024-01.jsonl"
    path.write_bytes(ndjson([
        submission("bb1", "Fine"),
        submission("bb2", "Score beyond any column", score=10**20),
        submission("bb3", "From the future", created=4102444800),  # 2100-01-01
        submission("bb4", "Long flair", link_flair_text="f" * 500),
        submission("bb5", "Fine too"),
    ]))
    comments = tmp_path / "RC_2024-01.jsonl"
    comments.write_bytes(ndjson([comment("k1", "bb1", "ok", 3),
                                 comment("k2", "bb1", "too many points", 2**40),
                                 comment("k3", "bb5", "from 2100", 1, created=4102444800)]))
    stats = import_reddit_dumps(engine, [path, comments], "tl", batch_size=100)
    with Session(engine) as session:
        threads = {t.external_id: t for t in session.scalars(select(Thread))}
        replies = {r.external_id: r for r in session.scalars(select(Reply))}
    assert sorted(threads) == ["bb1", "bb4", "bb5"]
    assert threads["bb4"].category is not None and len(threads["bb4"].category) == 200
    assert sorted(replies) == ["k1", "k3"] and replies["k3"].created_at is None
    assert stats.skipped["score_out_of_range"] == 1
    assert stats.skipped["created_at_out_of_range"] == 1
    assert stats.skipped["truncated_category"] == 1
    assert stats.skipped["reply_score_out_of_range"] == 1
    assert stats.skipped["cleared_reply_created_at"] == 1
