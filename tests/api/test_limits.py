"""Requests are bounded: an oversized body is refused before it is read, a request that
is not sent in time is cut off, and connections beyond the cap are closed at once."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from .support import ServerProcess, StartServer
from .wire import call, closed_by_server, connect, error_type, read_response, request_head

MiB = 1024 * 1024
TIMEOUT = 1.0  # --request-timeout of the servers below


@pytest.fixture
def strict_server(private_server: StartServer, tmp_path: Path) -> ServerProcess:
    return private_server(
        tmp_path, extra_args=["--request-timeout", str(TIMEOUT), "--max-connections", "8"]
    )


def test_declared_oversized_body_is_answered_without_reading_it(server: ServerProcess) -> None:
    with connect(server.port) as sock:
        # 50 MB announced, a few bytes sent: the answer must not wait for the rest
        sock.sendall(request_head(server.port, "ListUserPools", "Content-Length: 52428800"))
        sock.sendall(b'{"MaxResults": 1')
        status, headers, body = read_response(sock)

    assert status == 413
    assert json.loads(body)["__type"] == "SerializationException"
    assert headers["x-amzn-errortype"] == "SerializationException:"
    assert headers["connection"] == "close"
    assert httpx.get(server.base_url + "/health").status_code == 200


def test_chunked_oversized_body_is_cut_off_at_the_limit(server: ServerProcess) -> None:
    with connect(server.port) as sock:
        sock.sendall(request_head(server.port, "ListUserPools", "Transfer-Encoding: chunked"))
        chunk = b" " * (64 * 1024)
        for _ in range(16):  # exactly 1 MiB so far: still within the limit
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        sock.sendall(b"1\r\n \r\n")  # one byte more, and the body never ends
        status, _, body = read_response(sock)

    assert status == 413
    assert "1048576 bytes" in json.loads(body)["message"]


def test_a_body_at_the_limit_is_read(base_url: str) -> None:
    body = b'{"MaxResults": 1}'.ljust(MiB)
    answer = call(base_url, "ListUserPools", body)

    assert answer.status_code == 200, answer.text


def test_the_body_limit_is_configurable(private_server: StartServer, tmp_path: Path) -> None:
    process = private_server(tmp_path, extra_args=["--max-body-size", "100"])

    small = call(process.base_url, "ListUserPools", {"MaxResults": 1})
    large = call(process.base_url, "ListUserPools", {"MaxResults": 1, "Pad": "x" * 100})

    assert small.status_code == 200, small.text
    assert large.status_code == 413
    assert error_type(large) == "SerializationException"


@pytest.mark.parametrize(
    "sent",
    [
        b"",  # connected, said nothing
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n",  # half a request head
        request_head(0, "ListUserPools", "Content-Length: 100") + b"{",  # half a body
    ],
    ids=["idle", "partial-head", "partial-body"],
)
def test_a_request_not_sent_in_time_is_closed(strict_server: ServerProcess, sent: bytes) -> None:
    with connect(strict_server.port, timeout=TIMEOUT + 10) as sock:
        started = time.monotonic()
        sock.sendall(sent)
        assert closed_by_server(sock)
        elapsed = time.monotonic() - started

    assert elapsed < TIMEOUT + 5, elapsed
    assert httpx.get(strict_server.base_url + "/health").status_code == 200


def test_a_slow_client_that_finishes_in_time_is_served(strict_server: ServerProcess) -> None:
    body = b'{"MaxResults": 1}'
    with connect(strict_server.port) as sock:
        head = request_head(strict_server.port, "ListUserPools", f"Content-Length: {len(body)}")
        sock.sendall(head[:20])
        time.sleep(TIMEOUT / 4)
        sock.sendall(head[20:] + body)
        status, _, answer = read_response(sock)

    assert status == 200, answer


def test_keep_alive_connections_serve_several_requests(strict_server: ServerProcess) -> None:
    with httpx.Client(base_url=strict_server.base_url) as client:
        for _ in range(3):
            assert client.get("/health").status_code == 200


def test_connections_beyond_the_cap_are_closed_at_once(
    private_server: StartServer, tmp_path: Path
) -> None:
    process = private_server(
        tmp_path, extra_args=["--max-connections", "4", "--request-timeout", "60"]
    )
    idle = [connect(process.port) for _ in range(4)]
    try:
        with connect(process.port, timeout=5) as extra:
            assert closed_by_server(extra)  # at once, not after the 60 s request timeout
    finally:
        for sock in idle:
            sock.close()
    assert _eventually_healthy(process)


def _eventually_healthy(process: ServerProcess) -> bool:
    """Whether /health answers once the server has noticed the closed connections."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if httpx.get(process.base_url + "/health", timeout=1).status_code == 200:
                return True
        except httpx.TransportError:
            pass  # closed at once: the freed slots are not seen yet
        time.sleep(0.05)
    return False
