"""A message an operation sends: what the outbox stores and a delivery channel carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SIMULATED = "simulated:"


@dataclass(frozen=True)
class OutgoingMessage:
    # "custom-email"/"custom-sms": a CustomEmailSender/CustomSMSSender event, its code
    # encrypted, for the delivery thread to invoke the function with (triggers/senders.py)
    channel: Literal["email", "sms", "custom-email", "custom-sms"]
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
