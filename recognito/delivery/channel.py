"""What a delivery channel promises: hand an `OutgoingMessage` over, or say why not.

A channel takes one `OutgoingMessage` and either hands it over (returns) or
raises `DeliveryError`. Channels never log or echo the message body: it carries
verification codes and temporary passwords.
"""

from __future__ import annotations

from typing import Protocol

from recognito.domain.outgoing import OutgoingMessage


class DeliveryError(Exception):
    """A channel could not hand the message over; the text says why (never includes the body).

    `permanent` is True when retrying the same message cannot succeed (the recipient
    was refused, the webhook answered 4xx, the message does not fit the channel);
    False for failures worth retrying (network errors, timeouts, 5xx answers).
    """

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


class Channel(Protocol):
    name: str

    def send(self, message: OutgoingMessage) -> None: ...  # raises DeliveryError
