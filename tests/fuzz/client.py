"""Sends fuzzed requests, judges each answer, and counts them."""

from __future__ import annotations

import http.client
import itertools
import json
import socket
import threading
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from .oracle import MODEL, PREFIX, judge, operation_of
from .request import FuzzRequest
from .seed import Seed

HANG_SECONDS = 30.0  # an answer slower than this counts as a hang
RESEED_EVERY = 400  # requests between fresh seeded worlds (the fuzz wears them out)
SHOWN_BODY = 600  # bytes of a failing request's body quoted in its report
# what boto3 signs admin calls with in the tests (tests/api/support/clients.py)
SIGNER = SigV4Auth(Credentials("test", "test"), "cognito-idp", "us-east-1")


@dataclass
class Failure:
    problem: str
    request: str

    def __str__(self) -> str:
        return f"{self.problem}\n  request: {self.request}"


@dataclass
class Fuzzer:
    """A server under fuzz: `check` sends requests and raises AssertionError on the first
    answer that breaks the property; `failures` keeps every one seen."""

    base_url: str
    max_body_size: int = 1024 * 1024
    sent: int = 0
    failures: list[Failure] = field(default_factory=list)
    # answers by what was sent and what came back ("valid 200", "drop InvalidParameter...")
    outcomes: Counter[str] = field(default_factory=Counter)
    _seed: Seed | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _since_seed: itertools.count[int] = field(default_factory=itertools.count)

    def __post_init__(self) -> None:
        self._http = httpx.Client(base_url=self.base_url, timeout=HANG_SECONDS)
        self._port = urlsplit(self.base_url).port or 80

    def close(self) -> None:
        self._http.close()

    def seed(self) -> Seed:
        with self._lock:
            if self._seed is None or next(self._since_seed) >= RESEED_EVERY:
                self._seed = Seed.create(self.base_url)
                self._since_seed = itertools.count()
            return self._seed

    def check(self, batch: Sequence[FuzzRequest]) -> None:
        """Send `batch` (at once when several) and fail on any answer out of bounds."""
        if len(batch) == 1:
            problems = [self.send(batch[0])]
        else:
            with ThreadPoolExecutor(len(batch)) as pool:
                problems = list(pool.map(self.send, batch))
        found = [p for p in problems if p is not None]
        if found:
            raise AssertionError("\n".join(str(p) for p in found))

    def send(self, request: FuzzRequest) -> Failure | None:
        seed = self.seed()
        body = self._encode(request, seed)
        headers = self._headers(request, body)
        with self._lock:
            self.sent += 1
        operation = operation_of(_text(request.target))
        try:
            if request.oversize or len(body) > self.max_body_size:
                status, answer_headers, answer = self._send_oversized(request, headers, body)
            else:
                latin = {k.encode(): v.encode("latin-1") for k, v in headers.items()}
                response = self._http.post("/", content=body, headers=latin)
                status, answer = response.status_code, response.content
                answer_headers = {k.lower(): v for k, v in response.headers.items()}
        except httpx.TimeoutException:
            problem: str | None = f"no answer within {HANG_SECONDS:.0f}s (hang)"
        except (httpx.TransportError, OSError, http.client.HTTPException) as exc:
            problem = f"connection dropped: {exc!r}"
        else:
            problem = judge(operation, status, answer_headers, answer)
            with self._lock:
                self.outcomes[f"{request.kind} {_outcome(status, answer)}"] += 1
        if problem is None:
            return None
        failure = Failure(problem, _describe(request, headers, body))
        with self._lock:
            self.failures.append(failure)
        return failure

    def still_serving(self) -> bool:
        """Whether an ordinary call still succeeds."""
        answer = self.send(
            FuzzRequest("probe", "ListUserPools", _target("ListUserPools"), body={"MaxResults": 1})
        )
        health = httpx.get(self.base_url + "/health", timeout=HANG_SECONDS)
        return answer is None and health.status_code == 200

    def _encode(self, request: FuzzRequest, seed: Seed) -> bytes:
        if isinstance(request.body, bytes):
            return request.body
        return json.dumps(request.body, default=seed.resolve).encode()

    def _headers(self, request: FuzzRequest, body: bytes) -> dict[str, str]:
        headers: dict[str, str] = {}
        if request.target is not None:
            headers["X-Amz-Target"] = _text(request.target) or ""
        if request.content_type is not None:
            headers["Content-Type"] = request.content_type
        operation = operation_of(_text(request.target))
        if request.sign and operation and MODEL.operation_model(operation).auth_type != "none":
            signed = AWSRequest("POST", self.base_url + "/", data=body, headers=headers)
            SIGNER.add_auth(signed)
            headers = dict(signed.headers.items())
        return headers

    def _send_oversized(
        self, request: FuzzRequest, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """A body past the limit on a raw socket, sent only as far as the server must read
        it to refuse it (so no unread bytes make its close a reset)."""
        body = body.ljust(self.max_body_size + 1, b" ")[: self.max_body_size + 1]
        lines = ["POST / HTTP/1.1", f"Host: 127.0.0.1:{self._port}"]
        lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() != "content-length"]
        chunked = request.oversize == "chunked"
        lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}")
        with socket.create_connection(("127.0.0.1", self._port), timeout=HANG_SECONDS) as sock:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            if chunked:  # one byte past the limit, in chunks, and the body never ends
                for start in range(0, len(body), 64 * 1024):
                    chunk = body[start : start + 64 * 1024]
                    sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            else:  # a few bytes: the server must answer from Content-Length alone
                sock.sendall(body[:16])
            response = http.client.HTTPResponse(sock)
            response.begin()
            answer = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, answer


def _outcome(status: int, answer: bytes) -> str:
    if status == 200:
        return "200"
    try:
        return f"{status} {json.loads(answer)['__type']}"
    except (ValueError, KeyError, TypeError):
        return str(status)


def _text(target: str | bytes | None) -> str | None:
    return target.decode("latin-1") if isinstance(target, bytes) else target


def _target(operation: str) -> str:
    return PREFIX + operation


def _describe(request: FuzzRequest, headers: dict[str, str], body: bytes) -> str:
    shown = body[:SHOWN_BODY] + (b"..." if len(body) > SHOWN_BODY else b"")
    kept = {k: v for k, v in headers.items() if k.lower() in ("x-amz-target", "content-type")}
    extra = f" oversize={request.oversize}" if request.oversize else ""
    return (
        f"[{request.kind}] {request.operation} headers={kept}{extra} "
        f"body ({len(body)} bytes)={shown!r}"
    )
