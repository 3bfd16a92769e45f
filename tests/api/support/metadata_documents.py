"""A local HTTP server (127.0.0.1, a free port) serving client ID metadata documents, as
the sites of CIMD clients do: each path answers what a test put there (a JSON document
with headers, a redirect, an error, or an oversized body), and counts the fetches."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class DocumentServer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[str, Answer] = {}
        self.fetches: dict[str, int] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="cimd-documents", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def put(self, path: str, answer: Answer) -> None:
        with self._lock:
            self._answers[path] = answer

    def put_document(
        self, path: str, document: dict[str, Any], cache_control: str | None = None
    ) -> None:
        headers = {"Content-Type": "application/json"}
        if cache_control is not None:
            headers["Cache-Control"] = cache_control
        self.put(path, Answer(200, json.dumps(document).encode(), headers))

    def answer(self, path: str) -> Answer:
        with self._lock:
            self.fetches[path] = self.fetches.get(path, 0) + 1
            return self._answers.get(path, Answer(404, b"not found"))


def _handler(server: DocumentServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            answer = server.answer(self.path)
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    return Handler
