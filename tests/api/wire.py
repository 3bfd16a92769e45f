"""Raw HTTP helpers for the tests that speak to the server below boto3: chosen headers
(Origin, Host, Authorization), hand-made bodies and half-sent requests on a plain socket."""

from __future__ import annotations

import http.client
import json
import socket
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
JSON_TYPE = "application/x-amz-json-1.1"


def call(
    base_url: str,
    operation: str,
    body: bytes | dict[str, Any],
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> httpx.Response:
    """POST one operation on a connection of its own; `body` as given (bytes) or
    JSON-encoded (dict)."""
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.post(
        base_url + "/",
        content=content,
        headers={"Content-Type": JSON_TYPE, "X-Amz-Target": TARGET_PREFIX + operation}
        | (headers or {}),
        timeout=timeout,
    )


def race(
    base_urls: list[str], operation: str, body: dict[str, Any], racers: int = 100
) -> Counter[str]:
    """`racers` calls at once, spread over the servers; outcomes by `__type` ("ok")."""

    def one(n: int) -> str:
        answer = call(base_urls[n % len(base_urls)], operation, body, timeout=120)
        return "ok" if answer.status_code == 200 else str(answer.json()["__type"])

    with ThreadPoolExecutor(racers) as pool:
        return Counter(pool.map(one, range(racers)))


def error_type(response: httpx.Response) -> str:
    """The Cognito `__type` of an error answer, checking the envelope on the way."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    body = response.json()
    assert set(body) >= {"__type", "message"} and body["message"], body
    assert response.headers["x-amzn-ErrorType"] == body["__type"] + ":", response.headers
    code: str = body["__type"]
    return code


def connect(port: int, timeout: float = 10.0) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of the answer the server sends."""
    response = http.client.HTTPResponse(sock)
    response.begin()
    body = response.read()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def request_head(port: int, operation: str, *extra: str) -> bytes:
    lines = [
        "POST / HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Content-Type: {JSON_TYPE}",
        f"X-Amz-Target: {TARGET_PREFIX}{operation}",
        *extra,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server ends the connection (EOF or reset) before the socket times out."""
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
