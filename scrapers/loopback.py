"""A small threaded HTTP server on 127.0.0.1 for tests, benchmarks and the demo.

    with LoopbackServer() as server:
        server.add("/latest.json?page=0", json_text, content_type="application/json")
        server.route("/t/", handler)                  # prefix route, a callable
        server.fault("429", times=2, retry_after=1)    # every URL: 429 twice, then served
        ... crawl server.url("/") ...
        server.requests                                # [("GET", "/latest.json?page=0"), ...]
        server.request_times                           # [(monotonic seconds, target), ...]

Routes match the request target exactly (path and query), then the path alone, then the
longest registered prefix (routes added with `prefix=True` or `route()`). A route's value is
(status, headers, body) or a callable taking a `Request` and returning one. Faults are
checked in the order added; each fires at most `times` per URL: "429" (with Retry-After),
"503" (with Retry-After), "stall" (waits `stall` seconds before answering), "truncate"
(announces the full Content-Length, sends half, closes), "reset" (closes without answering).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Response = tuple[int, dict[str, str], bytes]
Handler = Callable[["Request"], Response]
FAULT_KINDS = ("429", "503", "stall", "truncate", "reset")
_CONTENT_TYPES = {".json": "application/json", ".xml": "application/xml",
                  ".txt": "text/plain; charset=utf-8"}


@dataclass(frozen=True)
class Request:
    """What a handler sees: method, the full target, path, parsed query, headers, body."""

    method: str
    target: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of query parameter `name`."""
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Fault:
    """A fault to inject: its kind, how often per URL, and which URLs (regex on target)."""

    kind: str
    times: int = 2
    pattern: re.Pattern[str] | None = None
    retry_after: str = "1"
    stall: float = 5.0
    counts: dict[str, int] = field(default_factory=dict)

    def applies(self, target: str) -> bool:
        if self.pattern is not None and not self.pattern.search(target):
            return False
        return self.counts.get(target, 0) < self.times


def _as_bytes(body: str | bytes) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def guess_type(path: str) -> str:
    """A Content-Type from a path's extension (HTML by default)."""
    base = path.split("?", 1)[0]
    for ext, ctype in _CONTENT_TYPES.items():
        if base.endswith(ext):
            return ctype
    return "text/html; charset=utf-8"


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up (timeouts, injected faults) are normal here, not errors."""

    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class LoopbackServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 and a free port, with a routing table."""

    def __init__(self, routes: dict[str, Response | Handler] | None = None,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        self.exact: dict[str, Response | Handler] = dict(routes or {})
        self.prefixes: dict[str, Response | Handler] = {}
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        self.request_times: list[tuple[float, str]] = []  # (time.monotonic(), target)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.host, self.port = host, port
        self.httpd: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    # -- routing table ------------------------------------------------------------------
    def add(self, target: str, body: str | bytes, status: int = 200,
            headers: dict[str, str] | None = None, content_type: str | None = None,
            prefix: bool = False) -> None:
        """Serve `body` at `target` (path with optional query)."""
        hdrs = {"Content-Type": content_type or guess_type(target), **(headers or {})}
        table = self.prefixes if prefix else self.exact
        with self.lock:
            table[target] = (status, hdrs, _as_bytes(body))

    def route(self, prefix: str, handler: Handler) -> None:
        """Answer every target starting with `prefix` with `handler(request)`."""
        with self.lock:
            self.prefixes[prefix] = handler

    def fault(self, kind: str, times: int = 2, pattern: str | None = None,
              retry_after: str | int = 1, stall: float = 5.0) -> Fault:
        """Inject a fault, at most `times` per URL (those matching regex `pattern`)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}, not {kind!r}")
        fault = Fault(kind, times, re.compile(pattern) if pattern else None,
                      str(retry_after), stall)
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def count(self, target: str) -> int:
        """How many requests asked for exactly `target`."""
        with self.lock:
            return sum(1 for _, t in self.requests if t == target)

    def url(self, target: str = "/") -> str:
        """The absolute URL of `target` on this server."""
        return f"http://{self.host}:{self.port}{target}"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> LoopbackServer:
        server = self

        class _Handler(_RequestHandler):
            owner = server

        self.httpd = _QuietServer((self.host, self.port), _Handler)
        self.port = self.httpd.server_address[1]
        self.stopping.clear()
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        if self.thread is not None:
            self.thread.join(timeout=5)
            self.thread = None

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- dispatch -----------------------------------------------------------------------
    def resolve(self, request: Request) -> Response:
        with self.lock:
            entry = self.exact.get(request.target) or self.exact.get(request.path)
            if entry is None:
                for prefix in sorted(self.prefixes, key=len, reverse=True):
                    if request.target.startswith(prefix):
                        entry = self.prefixes[prefix]
                        break
        if entry is None:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        return entry(request) if callable(entry) else entry

    def pick_fault(self, target: str) -> Fault | None:
        with self.lock:
            self.requests.append(("GET", target))
            self.request_times.append((time.monotonic(), target))
            for fault in self.faults:
                if fault.applies(target):
                    fault.counts[target] = fault.counts.get(target, 0) + 1
                    return fault
        return None


class _RequestHandler(BaseHTTPRequestHandler):
    owner: LoopbackServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle on, keep-alive clients wait
    # for a delayed ACK (~40 ms) on every response.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_POST(self) -> None:
        """POST with its body (token and batch endpoints); no fault injection."""
        owner = self.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with owner.lock:
            owner.requests.append(("POST", self.path))
        parts = urlsplit(self.path)
        request = Request("POST", self.path, parts.path,
                          parse_qs(parts.query, keep_blank_values=True), dict(self.headers),
                          body)
        try:
            status, headers, payload = owner.resolve(request)
        except Exception as exc:  # a handler bug is a 500, not a dead server
            status, headers, payload = 500, {"Content-Type": "text/plain"}, repr(exc).encode()
        self._send(status, headers, payload, False)

    def do_GET(self, head: bool = False) -> None:
        owner = self.owner
        target = self.path
        fault = owner.pick_fault(target)
        if fault is not None and fault.kind in ("429", "503"):
            self._send(int(fault.kind), {"Retry-After": fault.retry_after,
                                         "Content-Type": "text/plain"}, b"slow down", head)
            return
        if fault is not None and fault.kind == "reset":
            self.close_connection = True
            return
        if fault is not None and fault.kind == "stall" and owner.stopping.wait(fault.stall):
            return
        parts = urlsplit(target)
        request = Request("HEAD" if head else "GET", target, parts.path,
                          parse_qs(parts.query, keep_blank_values=True), dict(self.headers))
        try:
            status, headers, body = owner.resolve(request)
        except Exception as exc:  # a handler bug is a 500, not a dead server
            status, headers, body = 500, {"Content-Type": "text/plain"}, repr(exc).encode()
        if fault is not None and fault.kind == "truncate":
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: max(1, len(body) // 2)])
            self.wfile.flush()
            self.close_connection = True
            return
        self._send(status, headers, body, head)

    def _send(self, status: int, headers: dict[str, str], body: bytes, head: bool) -> None:
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
