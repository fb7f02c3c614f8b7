"""The JSON API under /api/: the same query functions and output shapes as the CLI's
`--format json` (and CSV for posts)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from aggregator.digest.export import digest_payload
from aggregator.digest.views import digest_view
from hairlink.web.pages import load_thread
from hairlink.web.params import BadParameter, int_param, post_filters, study_id, treatment_ids
from models.digest_queries import load_digests
from models.post_output import CSV_FIELDS, post_to_csv_row, post_to_dict
from models.post_queries import count_posts, query_posts
from models.study_queries import list_studies
from models.thread_detail import thread_to_dict
from models.treatment_stats import treatment_stats

MAX_STUDIES = 1000
DIGEST_LIMIT = 50


def _json(payload: object) -> JSONResponse:
    return JSONResponse(payload)


def posts(request: Request) -> Response:
    """`{"total", "limit", "offset", "posts": [...]}`, each post as `hairlink posts --format
    json` prints it; `format=csv` answers the `--format csv` text instead."""
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "csv"):
        raise BadParameter("format", "use json or csv")
    with request.app.state.sessions() as session:
        filters = post_filters(session, request.query_params, datetime.now(UTC))
        found = query_posts(session, filters.query)
        total = count_posts(session, filters.query) if fmt == "json" else 0
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(CSV_FIELDS), lineterminator="\n")
        writer.writeheader()
        for post in found:
            writer.writerow(post_to_csv_row(post))
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="posts.csv"'})
    return _json({"total": total, "limit": filters.query.limit, "offset": filters.query.offset,
                  "posts": [post_to_dict(p) for p in found]})


def studies(request: Request) -> JSONResponse:
    """Studies as `hairlink studies --format json` lists them (treatment, search, limit)."""
    with request.app.state.sessions() as session:
        wanted = treatment_ids(session, request.query_params)
        if len(wanted) > 1:
            raise BadParameter("treatment", "give one treatment")
        limit = int_param(request.query_params, "limit", None, 1, MAX_STUDIES)
        search = (request.query_params.get("search") or "")[:1000] or None
        rows = list_studies(session, treatment=wanted[0] if wanted else None, search=search,
                            limit=limit or MAX_STUDIES)
    return _json(rows)


def study(request: Request) -> JSONResponse:
    """One study's digest as `hairlink digest --format json` writes it (`limit` threads)."""
    limit = int_param(request.query_params, "limit", DIGEST_LIMIT, 1, 500)
    with request.app.state.sessions() as session:
        sid = study_id(session, request.path_params["key"])
        data = load_digests(session, [sid], limit=limit)[0]
    return _json(digest_payload(digest_view(data, datetime.now(UTC))))


def treatments(request: Request) -> JSONResponse:
    """What the community reports per treatment, as `hairlink treatments --format json`
    prints it (`treatment`=ID, repeatable, narrows it; `examples` per effect, default 3)."""
    examples = int_param(request.query_params, "examples", 3, 0, 20) or 0
    with request.app.state.sessions() as session:
        wanted = treatment_ids(session, request.query_params)
        results = treatment_stats(session, wanted or None, examples=examples)
    return _json([r.as_dict() for r in results])


def thread(request: Request) -> JSONResponse:
    """One thread as `hairlink thread ID --format json` prints it."""
    return _json(thread_to_dict(load_thread(request)))
