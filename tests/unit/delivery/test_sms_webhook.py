"""SmsWebhookChannel against a real HTTP server on a free port (no mocks)."""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from recognito.delivery.channel import Channel, DeliveryError
from recognito.delivery.sms_webhook import SmsWebhookChannel
from recognito.domain.outgoing import OutgoingMessage

BODY = "Votre code de vérification est 123456 ✓"


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Behaviour:
    status: int = 200
    extra_headers: dict[str, str] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)


class WebhookServer(ThreadingHTTPServer):
    daemon_threads = False  # so server_close() joins the request threads

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), WebhookHandler)
        self.behaviour = behaviour


class WebhookHandler(BaseHTTPRequestHandler):
    server: WebhookServer

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        behaviour = self.server.behaviour
        behaviour.seen.append(Seen(self.command, self.path, dict(self.headers.items()), body))
        payload = b'{"ok": true}'
        self.send_response(behaviour.status)
        for name, value in behaviour.extra_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_POST = _answer
    do_GET = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet


@contextmanager
def webhook(status: int = 200, **extra_headers: str) -> Iterator[tuple[Behaviour, str]]:
    behaviour = Behaviour(status=status, extra_headers=extra_headers)
    server = WebhookServer(behaviour)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, name="webhook"
    )
    thread.start()
    try:
        host, port = server.server_address[:2]
        assert isinstance(host, str)
        yield behaviour, f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def make_message(**overrides: Any) -> OutgoingMessage:
    fields: dict[str, Any] = {
        "channel": "sms",
        "recipient": "+15555550100",
        "subject": None,
        "body": BODY,
        "pool_id": "us-east-1_abcDEF123",
        "kind": "verification",
    }
    fields.update(overrides)
    return OutgoingMessage(**fields)


def test_posts_json() -> None:
    with webhook() as (behaviour, base):
        channel: Channel = SmsWebhookChannel(f"{base}/hooks/sms?tenant=a")
        channel.send(make_message())

    assert channel.name == "sms-webhook"
    [seen] = behaviour.seen
    assert seen.method == "POST"
    assert seen.path == "/hooks/sms?tenant=a"
    assert seen.headers["Content-Type"] == "application/json"
    assert "Authorization" not in seen.headers
    assert json.loads(seen.body) == {
        "to": "+15555550100",
        "message": BODY,
        "poolId": "us-east-1_abcDEF123",
        "kind": "verification",
    }


def test_any_2xx_is_success() -> None:
    with webhook(status=202) as (behaviour, base):
        SmsWebhookChannel(base).send(make_message(kind="invitation"))
    [seen] = behaviour.seen
    assert seen.path == "/"
    assert json.loads(seen.body)["kind"] == "invitation"


def test_url_credentials_become_basic_auth() -> None:
    with webhook() as (behaviour, base):
        channel = SmsWebhookChannel(base.replace("http://", "http://hook%40user:s%3Acret@"))
        channel.send(make_message())
    [seen] = behaviour.seen
    expected = base64.b64encode(b"hook@user:s:cret").decode("ascii")
    assert seen.headers["Authorization"] == f"Basic {expected}"
    assert "s:cret" not in repr(channel) and "s%3Acret" not in repr(channel)


def test_server_error_raises_retryable_delivery_error() -> None:
    with webhook(status=500) as (behaviour, base):
        channel = SmsWebhookChannel(f"{base}/sms?token=secret")
        with pytest.raises(DeliveryError, match="HTTP 500") as caught:
            channel.send(make_message())
    assert len(behaviour.seen) == 1
    assert not caught.value.permanent
    text = str(caught.value)
    assert BODY not in text and "123456" not in text
    assert "secret" not in text


def test_client_error_is_permanent() -> None:
    with webhook(status=400) as (_, base):
        with pytest.raises(DeliveryError, match="HTTP 400") as caught:
            SmsWebhookChannel(base).send(make_message())
    assert caught.value.permanent


def test_redirect_is_not_followed() -> None:
    with webhook(status=302, Location="/elsewhere") as (behaviour, base):
        with pytest.raises(DeliveryError, match="HTTP 302"):
            SmsWebhookChannel(base).send(make_message())
    assert [seen.method for seen in behaviour.seen] == ["POST"]


def test_unreachable_webhook_raises_delivery_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    channel = SmsWebhookChannel(f"http://127.0.0.1:{port}/sms", timeout=2.0)
    with pytest.raises(DeliveryError, match=rf"^SMS webhook http://127\.0\.0\.1:{port}/sms failed"):
        channel.send(make_message())


def test_email_message_is_refused() -> None:
    channel = SmsWebhookChannel("http://127.0.0.1:9/sms")
    with pytest.raises(DeliveryError, match="'email'") as caught:
        channel.send(make_message(channel="email", recipient="a@example.org"))
    assert caught.value.permanent


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("ftp://example.com/sms", "http:// or https://"),
        ("example.com/sms", "http:// or https://"),
        ("", "http:// or https://"),
        ("https://", "no host"),
        ("https:///sms", "no host"),
        ("https://example.com:70000/sms", "invalid port"),
    ],
)
def test_bad_urls_raise_value_error(url: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        SmsWebhookChannel(url)


def test_repr_hides_credentials_and_query() -> None:
    channel = SmsWebhookChannel("HTTPS://u:p@Example.com:8443/sms?token=abc")
    assert repr(channel) == "SmsWebhookChannel(https://example.com:8443/sms)"
