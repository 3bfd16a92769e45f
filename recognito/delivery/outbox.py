"""The outbox: operations queue messages in their own transaction; after COMMIT the
deliverer hands each one to its channel and records what happened — on a thread of its
own, so no answer waits for a mail server (nor takes longer because a message was sent).

    queued ──channel accepts──> sent      (body dropped: it lived to be delivered)
       │   ──no channel set───> stored    (the outbox is the sink; shown by `recognito outbox`)
       │   ──simulated────────> simulated (an answer that hides who exists: never sent)
       └───channel fails──────> failed    (error recorded and logged, never swallowed)
"""

from __future__ import annotations

import logging
import queue
import threading

from recognito.clock import Clock
from recognito.delivery.channel import Channel, DeliveryError
from recognito.store.db import Store

log = logging.getLogger("recognito.delivery")


class Deliverer:
    def __init__(self, store: Store, clock: Clock, channels: dict[str, Channel]) -> None:
        self._store = store
        self._clock = clock
        self._channels = channels  # by message channel: "email", "sms"
        self._pending: queue.Queue[list[int] | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    def describe(self) -> str:
        where = ", ".join(
            f"{kind} -> {self._channels[kind]!r}" if kind in self._channels else f"{kind} -> outbox"
            for kind in ("email", "sms")
        )
        if len(self._channels) < 2:
            where += " (outbox messages are printed here; `recognito outbox` lists them)"
        return where

    def deliver(self, message_ids: list[int]) -> None:
        """Hand committed messages to the delivery thread."""
        with self._lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="delivery", daemon=True)
                self._worker.start()
        self._pending.put(message_ids)

    def close(self) -> None:
        """Deliver what is pending, then stop the delivery thread."""
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            self._pending.put(None)
            worker.join()

    def _run(self) -> None:
        while (message_ids := self._pending.get()) is not None:
            try:
                self.deliver_now(message_ids)
            except Exception:  # the thread must outlive one bad batch; it is logged
                log.exception("delivery of messages %s failed", message_ids)

    def deliver_now(self, message_ids: list[int]) -> None:
        with self._store.read() as tx:
            queued = tx.outbox.queued(message_ids)
        for message_id, message in queued:
            channel = self._channels.get(message.channel)
            status, error = "stored", None
            if message.simulated:
                status = "simulated"
            elif channel is None:
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
            with self._store.write() as tx:
                tx.outbox.record_delivery(
                    message_id, status, error, self._clock.now(), keep_body=status != "sent"
                )
