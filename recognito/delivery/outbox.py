"""The outbox: operations queue messages in their own transaction; after COMMIT the
deliverer hands each one to its channel and records what happened.

    queued ──channel accepts──> sent      (body dropped: it lived to be delivered)
       │   ──no channel set───> stored    (the outbox is the sink; shown by `recognito outbox`)
       └───channel fails──────> failed    (error recorded and logged, never swallowed)
"""

from __future__ import annotations

import logging

from recognito.clock import Clock
from recognito.delivery.message import Channel, DeliveryError
from recognito.store.db import Store

log = logging.getLogger("recognito.delivery")


class Deliverer:
    def __init__(self, store: Store, clock: Clock, channels: dict[str, Channel]) -> None:
        self._store = store
        self._clock = clock
        self._channels = channels  # by message channel: "email", "sms"

    def describe(self) -> str:
        where = ", ".join(
            f"{kind} -> {self._channels[kind]!r}" if kind in self._channels else f"{kind} -> outbox"
            for kind in ("email", "sms")
        )
        if len(self._channels) < 2:
            where += " (outbox messages are printed here; `recognito outbox` lists them)"
        return where

    def deliver(self, message_ids: list[int]) -> None:
        with self._store.read() as repo:
            queued = repo.queued(message_ids)
        for message_id, message in queued:
            channel = self._channels.get(message.channel)
            status, error = "stored", None
            if channel is None:
                # a developer's console is where the code shows up without a channel
                log.info(
                    "[outbox] %s to %s: %s%s",
                    message.channel,
                    message.recipient,
                    f"{message.subject} | " if message.subject else "",
                    message.body,
                )
            else:
                try:
                    channel.send(message)
                    status = "sent"
                except DeliveryError as exc:
                    status, error = "failed", str(exc)
                    log.error("delivery of message %d failed: %s", message_id, exc)
            with self._store.write() as repo:
                repo.record_delivery(
                    message_id, status, error, self._clock.now(), keep_body=status != "sent"
                )
