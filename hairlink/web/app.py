"""The Starlette application of `hairlink serve`: read-only pages and a JSON API over one
database, with security headers on every answer."""

from __future__ import annotations

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aggregator.digest.export import TEMPLATES as DIGEST_TEMPLATES
from hairlink.web import api, pages
from hairlink.web.cache import DataVersion, VersionedCache
from hairlink.web.cards import CARD_ENTRIES
from hairlink.web.engine import REQUEST_THREADS, thread_lifespan
from hairlink.web.params import BadParameter, NotFound
from hairlink.web.render import STATIC, environment
from models.db import read_only, session_factory

# No inline script or style anywhere: scripts and styles only from this server's /static/.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
READ_METHODS = ["GET", "HEAD"]
CACHE_ENTRIES = 2048  # aggregates kept per process (a study's ~30 kB: at most ~60 MB)
# Whole-table aggregates (treatment counts and outcomes, a treatment's statistics) take
# seconds on a million threads: after a write they are reused this long before recomputing.
STALE_SECONDS = 60.0


class SecurityHeaders:
    """Adds the CSP and friends to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    env = request.app.state.templates
    return HTMLResponse(env.get_template("error.html.j2").render(status=status, message=message),
                        status_code=status)


async def bad_parameter(request: Request, exc: Exception) -> Response:
    """400 with the one-line message naming the parameter."""
    return _error(request, 400, str(exc))


async def not_found(request: Request, exc: Exception) -> Response:
    """404 for an unknown study, thread, treatment or path."""
    return _error(request, 404, str(exc) if isinstance(exc, NotFound) else "not found")


async def http_error(request: Request, exc: Exception) -> Response:
    """Other HTTP errors (405 for a write method) as a one-line message."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return await not_found(request, exc)
    response = _error(request, exc.status_code, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def stylesheet(_request: Request) -> FileResponse:
    """The digests' stylesheet, which the web pages share."""
    return FileResponse(DIGEST_TEMPLATES / "digest.css", media_type="text/css")


def create_app(engine: Engine, cache_entries: int = CACHE_ENTRIES,
               stale_seconds: float = STALE_SECONDS, card_entries: int = CARD_ENTRIES,
               threads: int = REQUEST_THREADS) -> Starlette:
    """The web view over the database behind `engine`, reading in read-only sessions
    (aggregates and rendered thread cards are reused until the data changes, whole-table
    aggregates up to `stale_seconds` longer; see hairlink.web.cache and
    hairlink.web.cards). Its lifespan runs at most `threads` pages at once (give it an
    engine of `hairlink.web.engine.web_engine`, whose pool holds as many connections)."""
    routes = [
        Route("/", pages.home, methods=READ_METHODS),
        Route("/studies/{key:path}", pages.study, methods=READ_METHODS),
        Route("/treatments/{treatment_id}", pages.treatment, methods=READ_METHODS),
        Route("/threads/{thread_id:int}", pages.thread, methods=READ_METHODS),
        Route("/posts", pages.posts, methods=READ_METHODS),
        Route("/sources", pages.sources, methods=READ_METHODS),
        Route("/api/posts", api.posts, methods=READ_METHODS),
        Route("/api/studies", api.studies, methods=READ_METHODS),
        Route("/api/studies/{key:path}", api.study, methods=READ_METHODS),
        Route("/api/treatments", api.treatments, methods=READ_METHODS),
        Route("/api/threads/{thread_id:int}", api.thread, methods=READ_METHODS),
        Route("/static/digest.css", stylesheet, methods=READ_METHODS),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={
        BadParameter: bad_parameter, NotFound: not_found, HTTPException: http_error},
        lifespan=thread_lifespan(threads))
    app.state.engine = engine
    app.state.sessions = session_factory(read_only(engine))
    app.state.templates = environment()
    app.state.version = DataVersion(engine)
    app.state.cache = VersionedCache(cache_entries)
    app.state.cards = VersionedCache(card_entries)
    app.state.study_pages = VersionedCache(pages.STUDY_PAGE_ENTRIES)
    app.state.stale_seconds = stale_seconds
    app.add_middleware(SecurityHeaders)
    return app
