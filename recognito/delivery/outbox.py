"""The outbox: operations store messages in the transaction of the change that caused
them; a delivery thread in every server process claims what is due, hands it to its
channel and records what happened. No answer waits for a mail server.

    queued ──channel accepts──────────> sent      (body dropped: it lived to be delivered)
       │   ──no channel set───────────> stored    (the outbox is the sink; `recognito outbox`)
       │   ──simulated────────────────> simulated (an answer that hides who exists: never sent)
       │   ──fails, tries left────────> queued    (next_attempt_at: 10 s, doubling to 15 min)
       └───fails for good, or no tries left──> failed (error recorded and logged)

A message is claimed for a lease (a minute by default, --delivery-lease) before it is sent,
so two processes or nodes never send it together; a claim left by a process that died
expires, and another sends the message. A batch is handed over only while half its lease is
left, so no message is still being sent when its claim runs out; the rest is released at
once. Between sending and recording there is a moment in which a crash makes the message
go out twice: delivery is at least once, and a duplicate is at most the one message each
killed process was sending.
"""

from __future__ import annotations

import logging
import threading

from recognito import metrics
from recognito.clock import Clock
from recognito.delivery.channel import Channel, DeliveryError
from recognito.store.db import Store
from recognito.store.repositories.outbox import QUEUED, Claimed

log = logging.getLogger("recognito.delivery")

ATTEMPTS = 8  # tries before a message is given up (the default of --delivery-attempts)
FIRST_RETRY = 10.0  # seconds after the first failure; doubling from there
LONGEST_WAIT = 900.0
LEASE = 60.0  # seconds a claim holds (the default of --delivery-lease); >> a channel's timeout
POLL = 2.0  # seconds between looks for due messages when nothing wakes the thread
BATCH = 20


def retry_delay(attempts: int) -> float:
    """How long after its `attempts`-th failed try a message is tried again."""
    return min(FIRST_RETRY * 2.0 ** (attempts - 1), LONGEST_WAIT)


class Deliverer:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        channels: dict[str, Channel],
        attempts: int = ATTEMPTS,
        lease: float = LEASE,
    ) -> None:
        self._store = store
        self._clock = clock
        self._channels = channels  # by message channel: "email", "sms", "custom-email"...
        # zero configuration (no SMTP, no SMS webhook): codes are shown on the console
        self._configured = bool(channels.keys() & {"email", "sms"})
        self._attempts = attempts
        self._lease = lease
        self._wake = threading.Event()
        self._stopping = False
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    def describe(self) -> str:
        where = ", ".join(
            f"{kind} -> {self._channels[kind]!r}" if kind in self._channels else f"{kind} -> outbox"
            for kind in ("email", "sms")
        )
        if not self._configured:
            where += " (outbox messages are printed here; `recognito outbox` lists them)"
        elif not self._channels.keys() >= {"email", "sms"}:
            where += " (`recognito outbox` lists what no channel takes)"
        return where

    def start(self) -> None:
        """Run the delivery thread (once); it also picks up what earlier processes left."""
        with self._lock:
            if self._worker is None:
                self._stopping = False
                self._worker = threading.Thread(target=self._run, name="delivery", daemon=True)
                self._worker.start()

    def wake(self) -> None:
        """Messages were committed: deliver them now rather than at the next look."""
        self.start()
        self._wake.set()

    def close(self) -> None:
        """Deliver what is due, then stop the delivery thread."""
        with self._lock:
            worker, self._worker = self._worker, None
            self._stopping = True
        if worker is not None:
            self._wake.set()
            worker.join()

    def _run(self) -> None:
        while True:
            self._wake.wait(POLL)
            self._wake.clear()
            try:
                while self.deliver_due():
                    pass
            except Exception:  # the thread must outlive a bad moment of the store; logged
                log.exception("delivery failed")
            if self._stopping:
                return

    def deliver_due(self) -> int:
        """Claim and deliver one batch of due messages; how many there were."""
        with self._store.read() as tx:  # the usual answer, "nothing", takes no write lock
            if not tx.outbox.any_due(self._clock.now()):
                return 0
        claimed_at = self._clock.now()
        with self._store.write() as tx:
            claimed = tx.outbox.claim_due(claimed_at, self._lease, BATCH)
            # what no channel sees is settled in the claiming transaction: one write
            outgoing = []
            for item in claimed:
                status = self._settled_here(item)
                if status is None:
                    outgoing.append(item)
                else:
                    tx.outbox.record_delivery(item.id, status, None, self._clock.now(), True, None)
        # A batch is sent one message after the other: one whose claim ran out while it was
        # still waiting its turn could be claimed and sent by another process as well
        send_until = claimed_at + self._lease / 2
        for n, item in enumerate(outgoing):
            if self._clock.now() > send_until:
                with self._store.write() as tx:  # for any process to take now, not at expiry
                    tx.outbox.release([rest.id for rest in outgoing[n:]])
                break
            self._send(item)
        return len(claimed)

    def _settled_here(self, item: Claimed) -> str | None:
        """The final status of a message that goes to no channel; None if one takes it."""
        message = item.message
        if message.simulated:
            return "simulated"
        if message.channel in self._channels:
            return None
        if self._configured:  # a configured server's logs never carry a code
            log.info(
                "[outbox] %s to %s stored: no channel for it", message.channel, message.recipient
            )
        else:  # zero configuration: the developer's console is where the code shows up
            log.info(
                "[outbox] %s to %s: %s%s",
                message.channel,
                message.recipient,
                f"{message.subject} | " if message.subject else "",
                message.body,
            )
        return "stored"

    def _send(self, item: Claimed) -> None:
        message, tries = item.message, item.attempts + 1
        status, error, retry_at = "sent", None, None
        try:
            self._channels[message.channel].send(message)
        except DeliveryError as exc:
            error = str(exc)
            if exc.permanent or tries >= self._attempts:
                status = "failed"
                log.error("message %d given up after %d tries: %s", item.id, tries, exc)
            else:
                status, retry_at = QUEUED, self._clock.now() + retry_delay(tries)
                log.warning("message %d: try %d failed, will retry: %s", item.id, tries, exc)
        with self._store.write() as tx:
            tx.outbox.record_delivery(
                item.id, status, error, self._clock.now(), status != "sent", retry_at
            )
        if status != QUEUED:  # a try to be repeated is neither
            metrics.message_delivered(message.channel, status == "sent")
