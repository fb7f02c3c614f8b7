"""Posts as JSON objects and CSV rows (CSV cells made safe from spreadsheet formulas)."""

from __future__ import annotations

from typing import Any

from models.post_types import Post


def post_to_dict(post: Post, with_relevance: bool = False) -> dict[str, Any]:
    """The JSON shape of a post (`relevance` added when asked)."""
    out: dict[str, Any] = {
        "source": post.source,
        "external_id": post.external_id,
        "url": post.url,
        "title": post.title,
        "category": post.category,
        "score": post.score,
        "num_comments": post.num_comments,
        "created_at": post.created_at.isoformat(),
        "treatments": list(post.treatments),
        "summary": post.summary,
        "outcomes": post.outcomes,
        "links": [
            {"study": {"pmid": lk.study.pmid, "doi": lk.study.doi, "pmcid": lk.study.pmcid,
                       "title": lk.study.title},
             "kind": lk.kind, "score": lk.score}
            for lk in post.links
        ],
    }
    if with_relevance:
        out["relevance"] = post.relevance
    return out


CSV_FIELDS = ("source", "external_id", "url", "title", "category", "score", "num_comments",
              "created_at", "treatments", "links", "link_kinds", "summary", "outcomes")
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


def post_to_csv_row(post: Post, with_relevance: bool = False) -> dict[str, Any]:
    """A flat CSV row: treatments joined with `;`; links as study keys joined with `;` and
    their kinds, in the same order, in `link_kinds`."""
    row: dict[str, Any] = {
        "source": post.source,
        "external_id": post.external_id,
        "url": csv_safe(post.url),
        "title": csv_safe(post.title),
        "category": csv_safe(post.category),
        "score": "" if post.score is None else post.score,
        "num_comments": post.num_comments,
        "created_at": post.created_at.isoformat(),
        "treatments": ";".join(post.treatments),
        "links": ";".join(lk.study.key for lk in post.links),
        "link_kinds": ";".join(lk.kind for lk in post.links),
        "summary": csv_safe(post.summary),
        "outcomes": outcomes_cell(post.outcomes),
    }
    if with_relevance:
        row["relevance"] = "" if post.relevance is None else post.relevance
    return row
