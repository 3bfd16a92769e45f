"""What the server delivers, caught for real: an SMTP server (aiosmtpd) and an SMS webhook,
each on a free loopback port, and the Inbox the tests read both through."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from .names import CODE_RE, free_port

EMAIL_FROM = "no-reply@recognito.test"
DELIVERY_TIMEOUT = 5.0


@dataclass(frozen=True)
class Message:
    """One delivered message, email or SMS."""

    recipient: str
    body: str
    subject: str = ""
    sender: str = ""
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        match = CODE_RE.search(self.body)
        assert match is not None, f"no 6-digit code in {self.body!r}"
        return match.group(0)


class Catcher:
    """Thread-safe record of delivered messages with a short poll for new ones."""

    kind = "message"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[Message] = []

    def record(self, message: Message) -> None:
        with self._lock:
            self._messages.append(message)

    def messages_to(self, recipient: str) -> list[Message]:
        wanted = recipient.lower()
        with self._lock:
            return [m for m in self._messages if m.recipient.lower() == wanted]

    def all_messages(self) -> list[Message]:
        with self._lock:
            return list(self._messages)

    def count(self, recipient: str) -> int:
        return len(self.messages_to(recipient))

    def wait_for(self, recipient: str, *, after: int = 0) -> Message:
        """The newest message to `recipient` once more than `after` of them have arrived.

        The server delivers on its delivery thread right after the call commits, so the
        message is normally here within milliseconds; the poll waits for it.
        """
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while True:
            messages = self.messages_to(recipient)
            if len(messages) > after:
                return messages[-1]
            if time.monotonic() >= deadline:
                with self._lock:
                    seen = sorted({m.recipient for m in self._messages})
                raise AssertionError(
                    f"no new {self.kind} to {recipient} (had {after}); recipients seen: {seen}"
                )
            time.sleep(0.02)


class _SmtpHandler:
    def __init__(self, catcher: SmtpCatcher) -> None:
        self._catcher = catcher

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        part = parsed.get_body(preferencelist=("plain", "html"))
        body = part.get_content() if isinstance(part, email.message.EmailMessage) else ""
        for recipient in envelope.rcpt_tos:
            self._catcher.record(
                Message(
                    recipient=recipient,
                    body=str(body),
                    subject=str(parsed.get("Subject", "")),
                    sender=str(parsed.get("From", "")),
                    payload={"mail_from": envelope.mail_from},
                )
            )
        while self._catcher.holding.is_set():  # taken, but the sender has not heard so yet
            await asyncio.sleep(0.01)
        return "250 Message accepted for delivery"


class SmtpCatcher(Catcher):
    """A real SMTP server (aiosmtpd) on a free loopback port."""

    kind = "email"

    def __init__(self) -> None:
        super().__init__()
        # while set, each message is recorded and its "250 accepted" held back: the moment
        # in which a sender that dies has handed a message over without knowing it
        self.holding = threading.Event()
        self.port = free_port()
        self._controller = Controller(_SmtpHandler(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


class _SmsServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, catcher: SmsCatcher) -> None:
        super().__init__(("127.0.0.1", 0), _SmsHandler)
        self.catcher = catcher


class _SmsHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = {"invalid": raw.decode(errors="replace")}
        assert isinstance(self.server, _SmsServer)
        self.server.catcher.record(
            Message(
                recipient=str(payload.get("to", "")),
                body=str(payload.get("message", "")),
                payload=payload,
            )
        )
        answer = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        return


class SmsCatcher(Catcher):
    """A real HTTP webhook receiving `{"to", "message", "poolId", "kind"}` JSON posts."""

    kind = "SMS"

    def __init__(self) -> None:
        super().__init__()
        self._server = _SmsServer(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="sms-webhook", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/sms"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class Inbox:
    """Everything the server delivered: email by address, SMS by phone number."""

    def __init__(self, mail: SmtpCatcher, sms: SmsCatcher) -> None:
        self.mail = mail
        self.sms = sms

    def _catcher(self, recipient: str) -> Catcher:
        return self.mail if "@" in recipient else self.sms

    def count(self, recipient: str) -> int:
        return self._catcher(recipient).count(recipient)

    def wait(self, recipient: str, *, after: int = 0) -> Message:
        return self._catcher(recipient).wait_for(recipient, after=after)

    def wait_code(self, recipient: str, *, after: int = 0) -> str:
        """The code in the newest message to `recipient` (after `after` earlier ones)."""
        return self.wait(recipient, after=after).code
