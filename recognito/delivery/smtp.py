"""Email delivery over SMTP, with the standard library only.

Configured by one URL:

    smtp://host[:port]                  plain (port 25); STARTTLS when the server offers it
    smtp://host[:port]?starttls=false   never STARTTLS
    smtp://host[:port]?starttls=require fail unless the server offers STARTTLS
    smtp://user:pass@host[:port]        AUTH after STARTTLS (user/pass URL-decoded)
    smtps://host[:port]                 implicit TLS (port 465)

Credentials are sent after STARTTLS whenever the server offers it; a server that
offers no STARTTLS gets them in the clear unless `?starttls=require` is set.
Each send opens its own connection: simple, and nothing to keep alive.
"""

from __future__ import annotations

import email.policy
import email.utils
import smtplib
import ssl
from email.message import EmailMessage
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from recognito.clock import Clock, SystemClock
from recognito.delivery.channel import DeliveryError
from recognito.domain.outgoing import OutgoingMessage

_DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
_STARTTLS_MODES: dict[str, Literal["auto", "never", "require"]] = {
    "auto": "auto",
    "true": "auto",
    "false": "never",
    "require": "require",
}
# Encode non-ASCII bodies (quoted-printable or base64) so any relay accepts them,
# whether or not it speaks 8BITMIME.
_POLICY = email.policy.SMTP.clone(cte_type="7bit")


class SmtpChannel:
    name = "smtp"

    def __init__(
        self,
        url: str,
        sender: str,
        timeout: float = 10.0,
        *,
        ssl_context: ssl.SSLContext | None = None,
        clock: Clock | None = None,
    ) -> None:
        """Validate the configuration now, so a bad URL stops the server at start.

        `ssl_context` verifies the server's certificate (default: the system's trust
        store, with hostname checking); pass one to trust a private CA.
        """
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            raise ValueError(
                f"SMTP URL must start with smtp:// or smtps://, got {parts.scheme or 'no'} scheme"
            )
        if not parts.hostname:
            raise ValueError("SMTP URL has no host (expected smtp://host:port)")
        try:
            port = parts.port
        except ValueError:
            raise ValueError("SMTP URL has an invalid port") from None
        if parts.path not in ("", "/") or parts.fragment:
            raise ValueError("SMTP URL must not have a path or fragment")

        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
        unknown = sorted(set(query) - {"starttls"})
        if unknown:
            raise ValueError(f"SMTP URL has unknown parameter(s): {', '.join(unknown)}")
        starttls: Literal["auto", "never", "require", "implicit"] = "auto"
        if "starttls" in query:
            if scheme == "smtps":
                raise ValueError("starttls does not apply to smtps:// (TLS is implicit)")
            values = query["starttls"]
            mode = _STARTTLS_MODES.get(values[-1].lower()) if len(values) == 1 else None
            if mode is None:
                raise ValueError("SMTP URL starttls must be one of: true, false, require")
            starttls = mode
        if scheme == "smtps":
            starttls = "implicit"

        username = unquote(parts.username) if parts.username is not None else None
        password = unquote(parts.password) if parts.password is not None else None
        if username is not None and password is None:
            raise ValueError("SMTP URL has a user but no password (expected user:pass@host)")
        if username is not None and password is not None:
            if not username:
                raise ValueError("SMTP URL has an empty user name")
            if not (username.isascii() and password.isascii()):
                # smtplib encodes AUTH credentials as ASCII.
                raise ValueError("SMTP user name and password must be ASCII")

        _, sender_address = email.utils.parseaddr(sender)
        if "@" not in sender_address or any(c in sender for c in "\r\n"):
            raise ValueError(f"SMTP sender is not an email address: {sender!r}")
        if timeout <= 0:
            raise ValueError("SMTP timeout must be positive")

        self._host = parts.hostname
        self._port = port if port is not None else _DEFAULT_PORTS[scheme]
        self._starttls = starttls
        self._username = username
        self._password = password
        self._sender = sender
        self._envelope_sender = sender_address
        self._sender_domain = sender_address.rpartition("@")[2]
        self._timeout = timeout
        self._ssl_context = ssl_context
        self._clock: Clock = clock if clock is not None else SystemClock()

    def __repr__(self) -> str:
        return f"SmtpChannel({self._where()}, starttls={self._starttls})"

    def _where(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"{host}:{self._port}"

    def _context(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            self._ssl_context = ssl.create_default_context()
        return self._ssl_context

    def build(self, message: OutgoingMessage) -> EmailMessage:
        """The email as it goes on the wire (From, To, Subject, Date, Message-ID, text body)."""
        msg = EmailMessage(policy=_POLICY)
        msg["From"] = self._sender
        msg["To"] = message.recipient
        msg["Subject"] = message.subject or ""
        msg["Date"] = email.utils.formatdate(self._clock.now(), usegmt=True)
        msg["Message-ID"] = email.utils.make_msgid(domain=self._sender_domain)
        msg.set_content(message.body, subtype="plain", charset="utf-8")
        return msg

    def send(self, message: OutgoingMessage) -> None:
        if message.channel != "email":
            raise DeliveryError(
                f"SMTP channel cannot deliver a {message.channel!r} message", permanent=True
            )
        try:
            msg = self.build(message)
        except (ValueError, TypeError) as exc:  # e.g. a CR/LF in the recipient or subject
            raise DeliveryError(f"cannot build the email: {exc}", permanent=True) from None

        try:
            self._deliver(msg, message.recipient)
        except DeliveryError:
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            refused = "; ".join(
                f"{rcpt}: {code} {_text(resp)}" for rcpt, (code, resp) in exc.recipients.items()
            )
            # 5xx for this recipient will not change on retry; 4xx is "try later".
            permanent = all(code >= 500 for code, _ in exc.recipients.values())
            raise self._failed(f"recipient refused ({refused})", permanent=permanent) from None
        except smtplib.SMTPDataError as exc:
            reason = f"message refused: {exc.smtp_code} {_text(exc.smtp_error)}"
            raise self._failed(reason, permanent=exc.smtp_code >= 500) from None
        except smtplib.SMTPResponseException as exc:
            # Sender refused, AUTH failed, HELO refused...: configuration, not this message.
            raise self._failed(f"{exc.smtp_code} {_text(exc.smtp_error)}") from None
        except (smtplib.SMTPException, OSError, UnicodeError) as exc:
            raise self._failed(_describe(exc)) from None

    def _failed(self, reason: str, *, permanent: bool = False) -> DeliveryError:
        return DeliveryError(
            f"SMTP delivery to {self._where()} failed: {reason}", permanent=permanent
        )

    def _deliver(self, msg: EmailMessage, recipient: str) -> None:
        smtp: smtplib.SMTP
        if self._starttls == "implicit":
            smtp = smtplib.SMTP_SSL(
                self._host, self._port, timeout=self._timeout, context=self._context()
            )
        else:
            smtp = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
        with smtp:
            smtp.ehlo_or_helo_if_needed()
            if self._starttls in ("auto", "require"):
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=self._context())
                    smtp.ehlo()
                elif self._starttls == "require":
                    raise self._failed("server does not offer STARTTLS (starttls=require)")
            if self._username is not None and self._password is not None:
                smtp.login(self._username, self._password)
            smtp.send_message(msg, from_addr=self._envelope_sender, to_addrs=[recipient])


def _text(response: bytes | str) -> str:
    if isinstance(response, bytes):
        return response.decode("utf-8", errors="replace")
    return response


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
