"""The benchmark database of `benchmarks/web.py`: N threads over 3 sources, titles and
bodies drawn from a 30,000-word Zipf vocabulary, ~1.6 treatment tags per thread with reported
effects and side effects, summaries on 10 %, 1-3 stored replies on 30 %, 1,000 studies and
~170k thread-study links, bulk inserted with executemany and the full-text index filled once
at the end; copied into PostgreSQL with COPY; each study's counts stored as `hairlink
aggregate` stores them."""

from __future__ import annotations

import json
import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from benchmarks.query import (
    CATEGORIES,
    CHOICES,
    N_STUDIES,
    RARE,
    TREATMENTS,
    WEIGHTS,
    _ts,
    bulk_connection,
    insert_sources,
)
from models.db import make_engine, normalise_url
from models.entities import Study, StudyStats
from models.fulltext import create_fulltext, drop_fulltext, rebuild_fulltext
from models.migrate import alembic_config, upgrade
from models.study_stats import refresh_study_stats

# The domain words people search for; they sit among the commoner words of a Zipf-distributed
# vocabulary (rank r drawn with weight 1 / r**1.05), as words of real forum text do: a few
# function words are in every post, the domain words in a few per cent, and the long tail of
# VOCABULARY synthetic words each in a handful.
WORDS = [
    "minoxidil", "finasteride", "dutasteride", "shedding", "regrowth", "crown", "temples",
    "hairline", "progress", "month", "year", "dose", "topical", "oral", "foam", "tablet",
    "microneedling", "derma", "roller", "ketoconazole", "shampoo", "side", "effects", "libido",
    "brain", "fog", "results", "thicker", "thinner", "density", "vertex", "photos", "update",
    "question", "study", "trial", "doctor", "dermatologist", "transplant", "graft", "rosemary",
    "oil", "caffeine", "biotin", "zinc", "iron", "vitamin", "spironolactone", "women", "men",
    "norwood", "diffuse", "miniaturisation", "sebum", "itch", "dandruff", "inflammation", "prp",
    "exosomes", "laser", "cap",
]
FUNCTION_WORDS = [
    "i", "the", "and", "to", "my", "a", "it", "of", "is", "on", "for", "in", "this", "was",
    "have", "with", "but", "that", "been", "so", "at", "hair", "after", "now", "just", "be",
]
VOCABULARY = 30_000
EFFECTS = ["none"] * 12 + ["improved"] * 4 + ["no_effect"] * 3 + ["mixed"] * 2
SIDE_EFFECTS = ["sexual", "mood", "shedding", "skin", "cardio", "body_hair", "breast", "other"]
TABLES = ("source", "treatment", "thread", "reply", "thread_treatment", "study",
          "study_treatment", "thread_study_link")


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Words by rank and their cumulative Zipf weights: function words first, the domain
    words spread over ranks 30-400, then synthetic words (pronounceable, distinct)."""
    syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
    tail: list[str] = []
    seen = set(FUNCTION_WORDS) | set(WORDS)
    while len(tail) < VOCABULARY:
        word = "".join(rng.choice(syllables) for _ in range(rng.randrange(2, 5)))
        if word not in seen:
            seen.add(word)
            tail.append(word)
    words = list(FUNCTION_WORDS) + tail
    for i, word in enumerate(WORDS):
        words.insert(30 + i * 6, word)
    cumulative: list[float] = []
    total = 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank ** 1.05
        cumulative.append(total)
    return words, cumulative


def _sentence(rng: random.Random, words: list[str], cumulative: list[float], n: int) -> str:
    return " ".join(rng.choices(words, cum_weights=cumulative, k=n)).capitalize() + "."


def generate(path: Path, n_threads: int, seed: int = 11) -> None:
    """The schema from SQLAlchemy, rows with executemany, the FTS index rebuilt at the end."""
    con = bulk_connection(path, without_fulltext=True)
    rng = random.Random(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    started = time.perf_counter()
    words, cumulative = vocabulary(rng)
    sentences = [_sentence(rng, words, cumulative, rng.randrange(6, 16)) for _ in range(50_000)]
    titles = [_sentence(rng, words, cumulative, rng.randrange(3, 9))[:-1]
              for _ in range(20_000)]
    with con:
        insert_sources(con, now)
        con.executemany("INSERT INTO treatment (id, name, category) VALUES (?,?,?)",
                        [(t, t.replace("_", " ").title(), "drug") for t in TREATMENTS])
        batch: list[tuple[object, ...]] = []
        replies: list[tuple[object, ...]] = []
        reply_base = 0
        for i in range(1, n_threads + 1):
            src = 1 + (i % 3)
            created = now - timedelta(seconds=rng.randrange(0, 4 * 365 * 86400))
            score = None if src == 3 else int(rng.paretovariate(1.2)) - 1
            body = " ".join(rng.choices(sentences, k=rng.randrange(1, 6)))
            summary = rng.choice(sentences) if rng.random() < 0.1 else None
            batch.append((i, src, f"t{i}", f"https://forum.example/t/{i}",
                          f"{rng.choice(titles)} #{i}", body, rng.choice(CATEGORIES), score,
                          rng.randrange(0, 200), _ts(created), _ts(now), _ts(now), "0" * 40,
                          summary))
            if rng.random() < 0.3:  # 1-3 stored replies
                for position in range(rng.randrange(1, 4)):
                    replies.append((len(replies) + reply_base + 1, i, f"r{i}-{position}",
                                    rng.choice(sentences),
                                    None if src == 3 else int(rng.paretovariate(1.5)) - 1,
                                    _ts(created), position))
            if len(batch) == 50_000:
                _insert(con, "thread", batch)
                _insert(con, "reply", replies)
                reply_base += len(replies)
                batch, replies = [], []
        if batch:
            _insert(con, "thread", batch)
            _insert(con, "reply", replies)
        tags: list[tuple[object, ...]] = []
        for i in range(1, n_threads + 1):
            k = rng.choice((0, 1, 1, 2, 2, 3))
            for treatment in set(rng.choices(CHOICES, WEIGHTS, k=k)):
                sides = (sorted(set(rng.choices(SIDE_EFFECTS, k=rng.randrange(1, 3))))
                         if rng.random() < 0.08 else [])
                tags.append((i, treatment, rng.randrange(1, 5), "[]", '["body"]',
                             rng.choice(EFFECTS), json.dumps(sides)))
            if i % 10_007 == 0:
                tags.append((i, RARE, 1, "[]", '["title"]', "none", "[]"))
            if len(tags) >= 100_000:
                _insert(con, "thread_treatment", tags)
                tags = []
        if tags:
            _insert(con, "thread_treatment", tags)
        con.executemany(
            "INSERT INTO study (id, pmid, doi, title, authors, journal, pub_year, abstract,"
            " tldr, mesh_terms, publication_types, created_at, updated_at, content_hash)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(s, str(30_000_000 + s), f"10.1000/bench.{s}", f"Study {s}: {rng.choice(titles)}",
              '["A. Author", "B. Author"]', "J Bench", 2000 + s % 26,
              " ".join(rng.choices(sentences, k=8)), rng.choice(sentences), "[]", "[]",
              _ts(now), _ts(now), "") for s in range(1, N_STUDIES + 1)])
        con.executemany("INSERT INTO study_treatment (study_id, treatment_id) VALUES (?,?)",
                        [(s, rng.choice(CHOICES)) for s in range(1, N_STUDIES + 1)])
        links: dict[tuple[int, int], tuple[object, ...]] = {}
        for s in range(1, N_STUDIES + 1):
            for _ in range(min(int(rng.paretovariate(0.8) * 20), 2000) if s > 1 else 5000):
                thread = rng.randrange(1, n_threads + 1)
                kind = "citation" if rng.random() < 0.05 else "topic"
                links[(thread, s)] = (thread, s, kind, round(rng.random(), 4), "{}")
                if len(links) > 100_000 + s * 200:
                    break
        _insert(con, "thread_study_link", list(links.values()))
    con.close()
    engine = make_engine(f"sqlite:///{path}")
    fts_started = time.perf_counter()
    with engine.begin() as conn:
        create_fulltext(conn)
        rebuild_fulltext(conn)
        conn.exec_driver_sql("ANALYZE")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.stamp(cfg, "head")
    store_study_counts(engine)
    engine.dispose()
    print(f"generated {n_threads:,} threads, {len(links):,} links in "
          f"{time.perf_counter() - started:.1f} s (full-text rebuild "
          f"{time.perf_counter() - fts_started:.1f} s) -> {path}", flush=True)


def store_study_counts(engine: Engine) -> None:
    """Bring the schema up to date and store each study's counts as `hairlink aggregate`
    does (`models.study_stats`; the web view's first view of a study reads them), unless
    every study has them already."""
    upgrade(engine)
    with Session(engine) as session, session.begin():
        missing = session.scalar(select(func.count()).select_from(Study).where(
            ~select(StudyStats.study_id).where(StudyStats.study_id == Study.id).exists()))
        if not missing:
            return
        started = time.perf_counter()
        written = refresh_study_stats(session)
    print(f"stored the counts of {written:,} studies (as hairlink aggregate does) in "
          f"{time.perf_counter() - started:.1f} s", flush=True)


_COLUMNS = {
    "thread": ("id", "source_id", "external_id", "url", "title", "body", "category", "score",
               "num_comments", "created_at", "first_seen_at", "last_seen_at", "content_hash",
               "summary"),
    "reply": ("id", "thread_id", "external_id", "body", "score", "created_at", "position"),
    "thread_treatment": ("thread_id", "treatment_id", "mentions", "forms", "locations",
                         "effect", "side_effects"),
    "thread_study_link": ("thread_id", "study_id", "kind", "score", "evidence"),
}


def _insert(con: sqlite3.Connection, table: str, rows: list[tuple[object, ...]]) -> None:
    columns = _COLUMNS[table]
    con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                    f"({', '.join('?' * len(columns))})", rows)


def copy_to_postgres(sqlite_path: Path, url: str) -> None:
    """The generated rows into an empty PostgreSQL database (schema by the migrations,
    full-text index created after the load), with COPY."""
    import psycopg
    from sqlalchemy import inspect, text

    engine = make_engine(url)
    if inspect(engine).has_table("thread"):
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT max(id) FROM thread")).scalar()
        with sqlite3.connect(sqlite_path) as src:
            wanted = src.execute("SELECT max(id) FROM thread").fetchone()[0]
        if stored == wanted:  # copied by an earlier run: bring the schema up to date only
            store_study_counts(engine)
            engine.dispose()
            print(f"reusing the {stored:,} threads already in PostgreSQL", flush=True)
            return
    upgrade(engine)
    with engine.begin() as conn:
        drop_fulltext(conn)
    engine.dispose()
    started = time.perf_counter()
    src = sqlite3.connect(sqlite_path)
    dsn = normalise_url(url).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as pg:
        for table in TABLES:
            columns = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            with pg.cursor() as cur, cur.copy(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in src.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                    copy.write_row(row)
        with pg.cursor() as cur:
            for table in TABLES:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))" if table in (
                                "source", "thread", "reply", "study") else "SELECT 1")
        pg.commit()
    engine = make_engine(url)
    with engine.begin() as conn:
        create_fulltext(conn)
    store_study_counts(engine)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    print(f"copied into PostgreSQL in {time.perf_counter() - started:.1f} s", flush=True)
