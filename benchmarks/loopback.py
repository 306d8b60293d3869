"""A loopback HTTP server for the benchmarks: routes to handlers, each request logged.

Only 127.0.0.1, a free port, stopped when the `with` block ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

Handler = Callable[[BaseHTTPRequestHandler], None]


@contextmanager
def serve(routes: dict[str, Handler]) -> Iterator[tuple[str, list[str]]]:
    """Serve `routes` (path -> handler) on 127.0.0.1; yields (base URL, request log)."""
    log: list[str] = []

    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            path = unquote(self.path.split("?", 1)[0])
            log.append(path)
            handler = routes.get(path)
            if handler is None:
                self.send_error(404)
                return
            handler(self)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
    """Write one response."""
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if body:
        handler.wfile.write(body)


def static(body: bytes, content_type: str = "text/html; charset=utf-8", etag: str | None = None,
           conditional: bool = True) -> Handler:
    """A handler for fixed bytes, answering 304 to a matching If-None-Match when `conditional`."""
    def handle(h: BaseHTTPRequestHandler) -> None:
        if conditional and etag and h.headers.get("If-None-Match") == etag:
            send(h, 304, headers={"ETag": etag})
            return
        send(h, 200, body, {"Content-Type": content_type, **({"ETag": etag} if etag else {})})
    return handle
