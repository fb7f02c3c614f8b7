"""Full-text search over thread titles and bodies: SQLite FTS5, PostgreSQL text search.

SQLite: `thread_fts`, an FTS5 table with external content (`thread`), kept in step by
triggers on insert, delete and title/body updates, so every writer (the store, bulk upserts,
the ORM) keeps it current. PostgreSQL: a GIN index on the weighted `tsvector` expression of
`thread_search_vector`, which the server maintains itself. Both tokenise the same way (words
of letters and digits, case-folded, no stemming), so a search finds the same threads on both.

A search text becomes a safe query: words (or "quoted phrases") that must all appear, each
word matched as a prefix (`minox` finds minoxidil). Operators, quotes and punctuation in the
text are never passed through; the text is capped (MAX_SEARCH_CHARS, MAX_SEARCH_TERMS).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select, text
from sqlalchemy.sql.expression import FromClause

MAX_SEARCH_CHARS = 1000
MAX_SEARCH_TERMS = 16
MAX_PHRASE_WORDS = 8
FTS_TABLE = "thread_fts"
PG_INDEX = "ix_thread_fulltext"
# Objects the migrations create outside the ORM metadata (autogenerate leaves them alone):
# the FTS5 table and its shadow tables.
FULLTEXT_TABLES = frozenset({FTS_TABLE, *(f"{FTS_TABLE}_{s}" for s in (
    "data", "idx", "content", "docsize", "config"))})

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TERM = re.compile(r'"([^"]*)"|(\S+)')

SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, body, content='thread', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER IF NOT EXISTS thread_fts_insert AFTER INSERT ON thread BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    f"CREATE TRIGGER IF NOT EXISTS thread_fts_delete AFTER DELETE ON thread BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) "
    f"VALUES ('delete', old.id, old.title, old.body); END",
    f"CREATE TRIGGER IF NOT EXISTS thread_fts_update AFTER UPDATE OF title, body ON thread "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body) "
    f"VALUES ('delete', old.id, old.title, old.body); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS thread_fts_insert",
    "DROP TRIGGER IF EXISTS thread_fts_delete",
    "DROP TRIGGER IF EXISTS thread_fts_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
# Punctuation becomes a space before parsing, so PostgreSQL's parser sees the same words as
# FTS5's unicode61 tokenizer (no hyphenated compounds, URLs or e-mail tokens).
PG_VECTOR_SQL = (
    "(setweight(to_tsvector('simple'::regconfig, "
    "regexp_replace(coalesce(title, ''), '[^[:alnum:]]+', ' ', 'g')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, "
    "regexp_replace(coalesce(body, ''), '[^[:alnum:]]+', ' ', 'g')), 'B'))")
PG_DDL = (f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON thread USING gin ({PG_VECTOR_SQL})",)
PG_DROP = (f"DROP INDEX IF EXISTS {PG_INDEX}",)


def create_fulltext(connection: Any) -> None:
    """Create the full-text index of threads on this connection's database (idempotent)."""
    for statement in _ddl(connection.dialect.name, drop=False):
        connection.execute(text(statement))


def drop_fulltext(connection: Any) -> None:
    """Drop the full-text index of threads (idempotent)."""
    for statement in _ddl(connection.dialect.name, drop=True):
        connection.execute(text(statement))


def rebuild_fulltext(connection: Any) -> None:
    """Re-read every thread into the index (SQLite; PostgreSQL's index needs nothing)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


def _ddl(dialect: str, drop: bool) -> tuple[str, ...]:
    if dialect == "sqlite":
        return SQLITE_DROP if drop else SQLITE_DDL
    if dialect == "postgresql":
        return PG_DROP if drop else PG_DDL
    return ()


def search_phrases(search: str | None) -> list[list[str]]:
    """The phrases of a search text, each a list of lower-cased words: `"year follow-up"`
    gives one phrase of three words, `minox foam` two phrases of one. Capped and cleaned:
    at most MAX_SEARCH_TERMS phrases of MAX_PHRASE_WORDS words from the first
    MAX_SEARCH_CHARS characters; text without letters or digits gives no phrase."""
    if not search:
        return []
    phrases: list[list[str]] = []
    for quoted, bare in _TERM.findall(search[:MAX_SEARCH_CHARS]):
        words = [w.lower() for w in _WORD.findall(quoted or bare)][:MAX_PHRASE_WORDS]
        if words and words not in phrases:
            phrases.append(words)
        if len(phrases) == MAX_SEARCH_TERMS:
            break
    return phrases


def has_search_text(search: str | None) -> bool:
    """Whether `search` was given at all (even if it has no searchable words)."""
    return bool(search and search.strip())


def fts5_query(phrases: list[list[str]]) -> str:
    """An FTS5 MATCH expression: every phrase required, its last word as a prefix."""
    return " AND ".join('"' + " ".join(words) + '"*' for words in phrases)


def tsquery_text(phrases: list[list[str]]) -> str:
    """A PostgreSQL `to_tsquery('simple', ...)` text: phrases joined by `&`, words in a
    phrase by `<->`, the last word of each as a prefix (`:*`). Words are letters and digits
    only, quoted, so nothing in them is an operator."""
    parts = []
    for words in phrases:
        quoted = [f"'{w}'" for w in words]
        quoted[-1] += ":*"
        parts.append("(" + " <-> ".join(quoted) + ")")
    return " & ".join(parts)


def sqlite_matches(phrases: list[list[str]]) -> FromClause:
    """A subquery of (`rowid`, `rank`) of matching threads, best first = highest `rank`
    (title words weigh 4 times body words)."""
    fts = literal_column(FTS_TABLE)
    return (select(literal_column("rowid").label("rowid"),
                   (-func.bm25(fts, 4.0, 1.0)).label("rank"))
            .select_from(text(FTS_TABLE))
            .where(fts.op("MATCH")(fts5_query(phrases)))
            .subquery("fts"))


def sqlite_match_ids(phrases: list[list[str]]) -> Select[Any]:
    """The ids of matching threads, unranked (for orders other than relevance)."""
    fts = literal_column(FTS_TABLE)
    return (select(literal_column("rowid")).select_from(text(FTS_TABLE))
            .where(fts.op("MATCH")(fts5_query(phrases))))


def pg_vector() -> ColumnElement[Any]:
    """The indexed tsvector expression of a thread (PostgreSQL)."""
    return literal_column(PG_VECTOR_SQL.replace("title", "thread.title")
                          .replace("body", "thread.body"))


def pg_condition_and_rank(phrases: list[list[str]]) -> tuple[ColumnElement[bool], Any]:
    """The `@@` condition on the indexed expression and its `ts_rank` (PostgreSQL)."""
    query = func.to_tsquery(literal_column("'simple'::regconfig"), tsquery_text(phrases))
    vector = pg_vector()
    return vector.op("@@")(query), func.ts_rank(vector, query)
