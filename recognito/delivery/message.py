"""What the outbox hands to a delivery channel, and what a channel promises back.

A channel takes one `OutgoingMessage` and either hands it over (returns) or
raises `DeliveryError`. Channels never log or echo the message body: it carries
verification codes and temporary passwords.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

SIMULATED = "simulated:"


@dataclass(frozen=True)
class OutgoingMessage:
    channel: Literal["email", "sms"]
    recipient: str  # email address or E.164 phone number
    subject: str | None  # email only
    body: str = field(repr=False)  # holds codes and temporary passwords: keep out of logs
    pool_id: str
    kind: str  # e.g. "sign_up", "invitation", "password_reset"; SIMULATED + kind: never sent

    @property
    def simulated(self) -> bool:
        """A message a hiding client's answer pretends to send (to a name no user has):
        it goes through the outbox like any other, so the answer costs the same, and is
        recorded, not sent."""
        return self.kind.startswith(SIMULATED)


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
