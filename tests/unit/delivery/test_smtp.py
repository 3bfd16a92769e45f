"""SmtpChannel against a real aiosmtpd server on a free port (no mocks)."""

from __future__ import annotations

import datetime
import email
import email.policy
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from recognito.clock import FrozenClock
from recognito.crypto.certificates import self_signed
from recognito.delivery.channel import Channel, DeliveryError
from recognito.delivery.smtp import SmtpChannel
from recognito.domain.outgoing import OutgoingMessage

SENDER = "Recognito <no-reply@example.com>"
BODY = "Votre code de vérification est 123456 — 確認コード ✓\nSecond line.\n"
SUBJECT = "Vérifiez votre adresse"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    authenticated: bool
    login: bytes | None
    tls: bool

    @property
    def text(self) -> str:
        """The body as a mail client shows it (text travels with CRLF line ends)."""
        content = self.message.get_content()
        assert isinstance(content, str)
        return content.replace("\r\n", "\n")


class RecordingHandler:
    def __init__(self) -> None:
        self.received: list[Received] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        login = session.auth_data.login if isinstance(session.auth_data, LoginPassword) else None
        self.received.append(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                message=parsed,
                authenticated=bool(session.authenticated),
                login=login,
                tls=session.ssl is not None,
            )
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def smtp_server(**kwargs: Any) -> Iterator[tuple[RecordingHandler, int]]:
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def make_message(**overrides: Any) -> OutgoingMessage:
    fields: dict[str, Any] = {
        "channel": "email",
        "recipient": "alice@example.org",
        "subject": SUBJECT,
        "body": BODY,
        "pool_id": "us-east-1_abcDEF123",
        "kind": "verification",
    }
    fields.update(overrides)
    return OutgoingMessage(**fields)


def authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"mailer@example.com"
        and auth_data.password == b"p@ss:w/rd"
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


@dataclass
class Certificate:
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert_file))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for 127.0.0.1, so TLS is tested with real verification."""
    made = self_signed(["127.0.0.1"])
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(made.cert_pem)
    key_file.write_bytes(made.key_pem)
    return Certificate(cert_file, key_file)


def test_delivers_utf8_email_with_headers() -> None:
    clock = FrozenClock(1_700_000_000.0)
    with smtp_server() as (handler, port):
        channel: Channel = SmtpChannel(f"smtp://127.0.0.1:{port}", SENDER, clock=clock)
        channel.send(make_message())

    assert channel.name == "smtp"
    [got] = handler.received
    assert got.mail_from == "no-reply@example.com"
    assert got.rcpt_tos == ["alice@example.org"]
    assert not got.authenticated
    msg = got.message
    assert msg["From"] == SENDER
    assert msg["To"] == "alice@example.org"
    assert msg["Subject"] == SUBJECT
    assert msg["Date"].datetime == datetime.datetime.fromtimestamp(1_700_000_000, datetime.UTC)
    assert msg["Message-ID"].endswith("@example.com>")
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    assert got.text == BODY


def test_message_is_7bit_clean_on_the_wire() -> None:
    channel = SmtpChannel("smtp://127.0.0.1:2525", SENDER)
    raw = channel.build(make_message()).as_bytes()
    assert raw.isascii()  # relays without 8BITMIME accept it


def test_each_send_is_its_own_message() -> None:
    with smtp_server() as (handler, port):
        channel = SmtpChannel(f"smtp://127.0.0.1:{port}", SENDER)
        channel.send(make_message(recipient="a@example.org"))
        channel.send(make_message(recipient="b@example.org", subject=None))

    first, second = handler.received
    assert first.rcpt_tos == ["a@example.org"]
    assert second.rcpt_tos == ["b@example.org"]
    assert first.message["Message-ID"] != second.message["Message-ID"]
    assert second.message["Subject"] == ""


def test_auth_with_url_credentials() -> None:
    with smtp_server(authenticator=authenticator, auth_require_tls=False) as (handler, port):
        channel = SmtpChannel(
            f"smtp://mailer%40example.com:p%40ss%3Aw%2Frd@127.0.0.1:{port}", SENDER
        )
        channel.send(make_message())

    [got] = handler.received
    assert got.authenticated
    assert got.login == b"mailer@example.com"
    assert got.text == BODY


def test_wrong_password_raises_without_leaking_it() -> None:
    with smtp_server(authenticator=authenticator, auth_require_tls=False) as (handler, port):
        channel = SmtpChannel(f"smtp://mailer%40example.com:hunter2@127.0.0.1:{port}", SENDER)
        with pytest.raises(DeliveryError) as caught:
            channel.send(make_message())

    assert handler.received == []
    text = str(caught.value)
    assert text.startswith(f"SMTP delivery to 127.0.0.1:{port} failed: 535")
    assert "hunter2" not in text and "hunter2" not in repr(channel)
    assert BODY not in text


def test_unreachable_server_raises_delivery_error() -> None:
    port = free_port()  # nothing listens there any more
    channel = SmtpChannel(f"smtp://127.0.0.1:{port}", SENDER, timeout=2.0)
    with pytest.raises(DeliveryError, match=rf"^SMTP delivery to 127\.0\.0\.1:{port} failed: "):
        channel.send(make_message())


def test_refused_recipient_is_permanent() -> None:
    class Refusing(RecordingHandler):
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            return "550 5.1.1 No such user"

    handler = Refusing()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with pytest.raises(DeliveryError, match="No such user") as caught:
            SmtpChannel(f"smtp://127.0.0.1:{port}", SENDER).send(make_message())
    finally:
        controller.stop()
    assert caught.value.permanent


def test_header_injection_is_refused() -> None:
    channel = SmtpChannel("smtp://127.0.0.1:2525", SENDER)
    with pytest.raises(DeliveryError) as caught:
        channel.send(make_message(subject="Hi\r\nBcc: mallory@example.net"))
    assert caught.value.permanent


def test_sms_message_is_refused() -> None:
    channel = SmtpChannel("smtp://127.0.0.1:2525", SENDER)
    with pytest.raises(DeliveryError, match="'sms'"):
        channel.send(make_message(channel="sms", recipient="+15555550100"))


def test_starttls_require_fails_when_not_offered() -> None:
    with smtp_server() as (handler, port):
        channel = SmtpChannel(f"smtp://127.0.0.1:{port}?starttls=require", SENDER)
        with pytest.raises(DeliveryError, match="does not offer STARTTLS"):
            channel.send(make_message())
    assert handler.received == []


def test_starttls_upgrade_then_auth(certificate: Certificate) -> None:
    # Server defaults: AUTH is only offered once TLS is up.
    with smtp_server(
        tls_context=certificate.server_context(),
        require_starttls=True,
        authenticator=authenticator,
    ) as (handler, port):
        channel = SmtpChannel(
            f"smtp://mailer%40example.com:p%40ss%3Aw%2Frd@127.0.0.1:{port}?starttls=require",
            SENDER,
            ssl_context=certificate.client_context(),
        )
        channel.send(make_message())

    [got] = handler.received
    assert got.tls and got.authenticated
    assert got.text == BODY


def test_starttls_is_opportunistic_by_default(certificate: Certificate) -> None:
    with smtp_server(tls_context=certificate.server_context()) as (handler, port):
        SmtpChannel(
            f"smtp://127.0.0.1:{port}", SENDER, ssl_context=certificate.client_context()
        ).send(make_message())
        SmtpChannel(f"smtp://127.0.0.1:{port}?starttls=false", SENDER).send(make_message())

    upgraded, plain = handler.received
    assert upgraded.tls
    assert not plain.tls


def test_starttls_verifies_the_certificate(certificate: Certificate) -> None:
    with smtp_server(tls_context=certificate.server_context()) as (handler, port):
        channel = SmtpChannel(f"smtp://127.0.0.1:{port}", SENDER)  # system trust store
        with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
            channel.send(make_message())
    assert handler.received == []


def test_implicit_tls(certificate: Certificate) -> None:
    with smtp_server(ssl_context=certificate.server_context()) as (handler, port):
        channel = SmtpChannel(
            f"smtps://127.0.0.1:{port}", SENDER, ssl_context=certificate.client_context()
        )
        channel.send(make_message())

    [got] = handler.received
    assert got.rcpt_tos == ["alice@example.org"]
    assert got.text == BODY


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.com", "SmtpChannel(mail.example.com:25, starttls=auto)"),
        ("smtps://mail.example.com", "SmtpChannel(mail.example.com:465, starttls=implicit)"),
        ("SMTP://mail.example.com:587", "SmtpChannel(mail.example.com:587, starttls=auto)"),
        ("smtp://[::1]:2525?starttls=false", "SmtpChannel([::1]:2525, starttls=never)"),
        (
            "smtp://u:p@mail.example.com?starttls=require",
            "SmtpChannel(mail.example.com:25, starttls=require)",
        ),
    ],
)
def test_url_forms(url: str, expected: str) -> None:
    assert repr(SmtpChannel(url, SENDER)) == expected


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://mail.example.com", "smtp:// or smtps://"),
        ("mail.example.com:25", "smtp:// or smtps://"),
        ("", "smtp:// or smtps://"),
        ("smtp://", "no host"),
        ("smtp://:25", "no host"),
        ("smtp://user:pass@:25", "no host"),
        ("smtp://mail.example.com:99999", "invalid port"),
        ("smtp://mail.example.com:abc", "invalid port"),
        ("smtp://mail.example.com/path", "path"),
        ("smtp://mail.example.com?starttls=maybe", "starttls must be"),
        ("smtp://mail.example.com?tls=true", "unknown parameter"),
        ("smtps://mail.example.com?starttls=true", "does not apply"),
        ("smtp://user@mail.example.com", "no password"),
    ],
)
def test_bad_urls_raise_value_error(url: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        SmtpChannel(url, SENDER)


def test_bad_sender_raises_value_error() -> None:
    with pytest.raises(ValueError, match="sender"):
        SmtpChannel("smtp://mail.example.com", "not an address")
