"""Run the web view under uvicorn on a socket bound here (so `--port 0` and a port in use
are reported before serving). Ctrl-C and SIGTERM stop it cleanly (uvicorn's handlers).

uvicorn's "auto" loop and HTTP settings pick uvloop and httptools (project dependencies):
the C parser and loop cost less CPU a request than the pure-Python h11 and asyncio.

With `workers` > 1, uvicorn's supervisor runs that many processes on the one socket (each
with its own engine and aggregate cache): one Python process serves on one core at a time
(the GIL), so on a machine with two cores two workers answer about twice the requests."""

from __future__ import annotations

import gc
import os
import socket
import threading
import webbrowser
from collections.abc import Callable
from types import FrameType

import uvicorn
from sqlalchemy import Engine
from starlette.applications import Starlette
from uvicorn.supervisors import Multiprocess

from hairlink.web.app import create_app
from hairlink.web.engine import web_engine

# Young-generation collections run once per this many new container objects (CPython's
# default: 700). A page allocates thousands, so with the default most collections ran
# mid-request and moved the page's short-lived objects into the older generations, whose
# full passes then took 50-120 ms (the study pages' p99).
GC_YOUNG_THRESHOLD = 20_000
# The database URL a worker process opens (set by the parent for its workers only).
WORKER_DATABASE_ENV = "HAIRLINK_SERVE_WORKER_DATABASE_URL"
WORKER_APP = "hairlink.web.server:worker_app"


class _Server(uvicorn.Server):
    """uvicorn's server, but a Ctrl-C or SIGTERM ends `run` normally after the graceful
    shutdown (uvicorn re-raises the signal afterwards, which would kill the process before
    the engine is disposed and "stopped" is printed)."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        captured = getattr(self, "_captured_signals", None)
        if isinstance(captured, list):
            captured.clear()


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on (host, port); OSError when that is impossible."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """The http URL a bound socket answers on."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def settle_heap() -> None:
    """Tune the garbage collector of a server process whose app is built: what exists now
    (modules, mapped classes, the app) is frozen out of every collection, and young
    collections run once per GC_YOUNG_THRESHOLD new objects."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def worker_app() -> Starlette:
    """The app of one worker process: its own bounded engine on the parent's database."""
    app = create_app(web_engine(os.environ[WORKER_DATABASE_ENV]))
    settle_heap()
    return app


def serve(engine: Engine, host: str = "127.0.0.1", port: int = 8080, open_browser: bool = False,
          announce: Callable[[str], None] = print, workers: int = 1) -> None:
    """Serve the web view of `engine`'s database until interrupted (`workers` processes,
    each with its own bounded engine: `hairlink.web.engine`)."""
    sock = bind(host, port)
    database_url = engine.url.render_as_string(hide_password=False)
    url = url_of(sock)
    options = {"log_level": "warning", "access_log": False, "lifespan": "on",
               "server_header": False}
    announce(f"hairlink is serving {url} (Ctrl-C to stop)")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        if workers > 1:
            os.environ[WORKER_DATABASE_ENV] = database_url
            config = uvicorn.Config(WORKER_APP, factory=True, workers=workers, **options)
            Multiprocess(config, sockets=[sock]).run()
        else:
            app = create_app(web_engine(database_url))
            settle_heap()
            try:
                _Server(uvicorn.Config(app, **options)).run(sockets=[sock])
            finally:
                app.state.version.close()
                app.state.engine.dispose()
    finally:
        os.environ.pop(WORKER_DATABASE_ENV, None)
        sock.close()
        engine.dispose()
    announce("stopped")
