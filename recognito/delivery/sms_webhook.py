"""SMS delivery by webhook: POST the message as JSON to a URL the operator runs.

The webhook receives

    {"to": "+15555550100", "message": "...", "poolId": "...", "kind": "verification"}

with `Content-Type: application/json`, and answers any 2xx once it has taken the
message. Anything else (other status, redirect, network error, timeout) is a
`DeliveryError`. Credentials in the URL (`https://user:pass@host/path`) are sent
as HTTP Basic auth. Redirects are not followed: urllib would turn the POST into a
bodiless GET and report success for an SMS that was never sent.
"""

from __future__ import annotations

import base64
import http.client
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from recognito.delivery.channel import DeliveryError
from recognito.domain.outgoing import OutgoingMessage


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx then surfaces as an HTTPError


class SmsWebhookChannel:
    name = "sms-webhook"

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        """Validate the URL now, so a bad one stops the server at start."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise ValueError(
                f"SMS webhook URL must start with http:// or https://, "
                f"got {parts.scheme or 'no'} scheme"
            )
        if not parts.hostname:
            raise ValueError("SMS webhook URL has no host")
        try:
            port = parts.port
        except ValueError:
            raise ValueError("SMS webhook URL has an invalid port") from None
        if timeout <= 0:
            raise ValueError("SMS webhook timeout must be positive")

        netloc = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        if port is not None:
            netloc = f"{netloc}:{port}"
        self._url = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
        # Shown in errors: no credentials, no query string (it may carry a token).
        self._where = urlunsplit((scheme, netloc, parts.path or "/", "", ""))
        self._authorization: str | None = None
        if parts.username is not None:
            user = unquote(parts.username)
            password = unquote(parts.password or "")
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            self._authorization = f"Basic {token}"
        self._timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirect)

    def __repr__(self) -> str:
        return f"SmsWebhookChannel({self._where})"

    def send(self, message: OutgoingMessage) -> None:
        if message.channel != "sms":
            raise DeliveryError(
                f"SMS webhook channel cannot deliver a {message.channel!r} message",
                permanent=True,
            )
        payload = {
            "to": message.recipient,
            "message": message.body,
            "poolId": message.pool_id,
            "kind": message.kind,
        }
        headers = {"Content-Type": "application/json", "User-Agent": "recognito"}
        if self._authorization is not None:
            headers["Authorization"] = self._authorization
        request = urllib.request.Request(
            self._url, data=json.dumps(payload).encode("utf-8"), headers=headers, method="POST"
        )
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            with exc:  # close the error's response, or its socket leaks
                status, reason = exc.code, exc.reason
            # 4xx (bar timeout/throttling) means the webhook will not take this message.
            permanent = 400 <= status < 500 and status not in (408, 425, 429)
            raise DeliveryError(
                f"SMS webhook {self._where} answered HTTP {status} {reason}".rstrip(),
                permanent=permanent,
            ) from None
        except urllib.error.URLError as exc:
            raise DeliveryError(
                f"SMS webhook {self._where} failed: {_describe(exc.reason)}"
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryError(f"SMS webhook {self._where} failed: {_describe(exc)}") from None


def _describe(exc: BaseException | str) -> str:
    if isinstance(exc, str):
        return exc
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
