"""Posts as JSON objects and CSV rows (CSV cells made safe from spreadsheet formulas)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from models.post_rows import POST_THREAD_FIELDS
from models.post_types import Post, ReplyRef

EXCERPT_CHARS = 280


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of `text`, whitespace collapsed, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] if " " in flat[:limit] else flat[:limit]
    return cut.rstrip(" ,.;:") + "…"


def score_unit(post: Post) -> str | None:
    """`upvotes`, `likes`, `reactions`: what the source kind registered its score to count
    (`models.source_kinds`); None where the kind has no score (phpBB)."""
    return _score_unit(post.source_kind)


@lru_cache(maxsize=64)
def _score_unit(kind: str) -> str | None:
    from models.source_kinds import source_kind  # the registry (pydantic): on first use

    try:
        noun = source_kind(kind).score_noun
    except KeyError:
        return None
    return f"{noun}s" if noun else None


# The stored thread columns `post_to_dict` and `post_to_csv_row` write under their own
# name after the fixed keys below: every `Post` field naming a thread column that those do
# not already write (none today), so a column added to `Post` reaches JSON and CSV as is.
_WRITTEN = frozenset({"id", "external_id", "url", "title", "category", "score",
                      "num_comments", "created_at", "summary"})
EXTRA_FIELDS = tuple(name for name in POST_THREAD_FIELDS if name not in _WRITTEN)


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    return csv_safe(value) if isinstance(value, str) else _json_value(value)


def reply_to_dict(reply: ReplyRef) -> dict[str, Any]:
    """The JSON shape of a stored reply (its text as an excerpt)."""
    return {"score": reply.score,
            "created_at": reply.created_at.isoformat() if reply.created_at else None,
            "excerpt": excerpt(reply.body)}


def post_to_dict(post: Post, with_relevance: bool = False,
                 with_replies: bool = True) -> dict[str, Any]:
    """The JSON shape of a post (`relevance` added when asked, `replies` when loaded and
    `with_replies`)."""
    out: dict[str, Any] = {
        "thread_id": post.id,
        "source": post.source,
        "external_id": post.external_id,
        "url": post.url,
        "title": post.title,
        "category": post.category,
        "score": post.score,
        "score_unit": score_unit(post),
        "num_comments": post.num_comments,
        "created_at": post.created_at.isoformat(),
        "excerpt": excerpt(post.body_start),
        "treatments": list(post.treatments),
        "summary": post.summary,
        "outcomes": post.outcomes,
        "links": [
            {"study": {"pmid": lk.study.pmid, "doi": lk.study.doi, "pmcid": lk.study.pmcid,
                       "title": lk.study.title},
             "kind": lk.kind, "score": lk.score}
            for lk in post.links
        ],
        **{name: _json_value(getattr(post, name)) for name in EXTRA_FIELDS},
    }
    if with_relevance:
        out["relevance"] = post.relevance
    if with_replies and post.replies is not None:
        out["replies"] = [reply_to_dict(r) for r in post.replies]
    return out


CSV_FIELDS = ("thread_id", "source", "external_id", "url", "title", "category", "score",
              "score_unit", "num_comments", "created_at", "excerpt", "treatments", "links",
              "link_kinds", "summary", "outcomes", *EXTRA_FIELDS)
CSV_REPLY_FIELD = "replies"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str | None) -> str:
    """Scraped text for a CSV cell: a leading `=`, `+`, `-` or `@` is quoted with `'` so a
    spreadsheet never evaluates it as a formula."""
    if not text:
        return ""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def outcomes_cell(outcomes: dict[str, dict[str, Any]]) -> str:
    """Outcomes in one CSV cell: `minoxidil=improved(shedding,skin);finasteride=none`."""
    return ";".join(f"{tid}={o['effect']}"
                    + (f"({','.join(o['side_effects'])})" if o["side_effects"] else "")
                    for tid, o in outcomes.items())


def post_to_csv_row(post: Post, with_relevance: bool = False,
                    with_replies: bool = True) -> dict[str, Any]:
    """A flat CSV row: treatments joined with `;`; links as study keys joined with `;` and
    their kinds, in the same order, in `link_kinds`; `replies` when loaded and
    `with_replies`."""
    row: dict[str, Any] = {
        "thread_id": post.id,
        "source": post.source,
        "external_id": post.external_id,
        "url": csv_safe(post.url),
        "title": csv_safe(post.title),
        "category": csv_safe(post.category),
        "score": "" if post.score is None else post.score,
        "score_unit": score_unit(post) or "",
        "num_comments": post.num_comments,
        "created_at": post.created_at.isoformat(),
        "excerpt": csv_safe(excerpt(post.body_start)),
        "treatments": ";".join(post.treatments),
        "links": ";".join(lk.study.key for lk in post.links),
        "link_kinds": ";".join(lk.kind for lk in post.links),
        "summary": csv_safe(post.summary),
        "outcomes": outcomes_cell(post.outcomes),
        **{name: _csv_value(getattr(post, name)) for name in EXTRA_FIELDS},
    }
    if with_relevance:
        row["relevance"] = "" if post.relevance is None else post.relevance
    if with_replies and post.replies is not None:  # one reply per line: "12: text"
        row[CSV_REPLY_FIELD] = csv_safe("\n".join(
            f"{'' if r.score is None else r.score}: {excerpt(r.body)}" for r in post.replies))
    return row
