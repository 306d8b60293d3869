"""A small loopback HTTP server for the demo (and tests): static files with ETags.

Files may contain `{base}`, replaced with the server's own address, so feeds
can link to pages on whatever free port the server got.
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


class LoopbackSite:
    """Serve `files` (URL path -> bytes) on 127.0.0.1 until closed."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self._files = files
        self.requests: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackSite:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def body(self, path: str) -> bytes | None:
        """The served bytes of a path, `{base}` filled in."""
        raw = self._files.get(path)
        return None if raw is None else raw.replace(b"{base}", self.base_url.encode())

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                path = self.path.split("?", 1)[0]
                site.requests.append(path)
                body = site.body(path)
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
                if path.endswith(".xml"):
                    kind = "application/rss+xml"
                self.send_response(200)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return  # quiet: the demo prints its own summary

        return Handler
