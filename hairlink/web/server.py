"""Run the web view under uvicorn on a socket bound here (so `--port 0` and a port in use
are reported before serving). Ctrl-C and SIGTERM stop it cleanly (uvicorn's handlers)."""

from __future__ import annotations

import socket
import threading
import webbrowser
from collections.abc import Callable
from types import FrameType

import uvicorn
from sqlalchemy import Engine

from hairlink.web.app import create_app


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


def serve(engine: Engine, host: str = "127.0.0.1", port: int = 8080, open_browser: bool = False,
          announce: Callable[[str], None] = print) -> None:
    """Serve the web view of `engine`'s database until interrupted."""
    sock = bind(host, port)
    url = url_of(sock)
    config = uvicorn.Config(create_app(engine), log_level="warning", access_log=False,
                            lifespan="off", server_header=False)
    server = _Server(config)
    announce(f"hairlink is serving {url} (Ctrl-C to stop)")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        engine.dispose()
    announce("stopped")
