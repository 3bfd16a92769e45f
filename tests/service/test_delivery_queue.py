"""The outbox as a queue: failed tries retried with a growing wait, given up after the
last, each message sent by one process only, and claims of a dead process taken over.
On SQLite and PostgreSQL, with a clock the test moves; the channel is a recording stand-in
for the mail server at the far end."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

import pytest

from recognito.clock import FrozenClock
from recognito.delivery.channel import DeliveryError
from recognito.delivery.outbox import LEASE, Deliverer, retry_delay
from recognito.domain.outgoing import OutgoingMessage
from recognito.domain.records import OutboxEntry
from tests.service.conftest import Service


@dataclass
class Recorder:
    """A channel that records what it is handed, failing the first `failures` tries."""

    failures: int = 0
    permanent: bool = False
    name: str = "email"
    sent: list[str] = field(default_factory=list)
    tries: int = 0
    clock: FrozenClock | None = None  # moved on by `takes` seconds per send: a slow server
    takes: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, message: OutgoingMessage) -> None:
        with self._lock:
            self.tries += 1
            if self.clock is not None:
                self.clock.advance(self.takes)
            if self.tries <= self.failures:
                raise DeliveryError("421 try again later", permanent=self.permanent)
            self.sent.append(message.recipient)


@pytest.fixture
def quiet(service: Service) -> Service:
    """The service without its own delivery thread: the test delivers by hand."""
    service.services.store.on_commit = None
    return service


def _queue(service: Service, *recipients: str) -> None:
    with service.services.store.write() as tx:
        for recipient in recipients:
            message = OutgoingMessage("email", recipient, "s", "body", "pool", "sign_up")
            tx.outbox.enqueue(message, service.clock.now())


def _entry(service: Service, recipient: str) -> OutboxEntry:
    with service.services.store.read() as tx:
        return tx.outbox.rows(recipient, 1)[0]


def _deliverer(service: Service, channel: Recorder, attempts: int = 8) -> Deliverer:
    return Deliverer(service.services.store, service.clock, {"email": channel}, attempts)


def test_a_failed_try_is_retried_once_its_wait_is_over(quiet: Service) -> None:
    channel = Recorder(failures=1)
    deliverer = _deliverer(quiet, channel)
    _queue(quiet, "ana@example.com")

    assert deliverer.deliver_due() == 1
    entry = _entry(quiet, "ana@example.com")
    assert (entry.status, entry.attempts, entry.error) == ("queued", 1, "421 try again later")
    assert entry.next_attempt_at == quiet.clock.now() + retry_delay(1)

    quiet.clock.advance(retry_delay(1) - 1)
    assert deliverer.deliver_due() == 0  # not yet
    quiet.clock.advance(1)
    assert deliverer.deliver_due() == 1
    entry = _entry(quiet, "ana@example.com")
    assert (entry.status, entry.attempts, entry.body) == ("sent", 2, None)
    assert channel.sent == ["ana@example.com"]


def test_the_waits_double_up_to_fifteen_minutes() -> None:
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [10.0, 20.0, 40.0, 80.0]
    assert retry_delay(20) == 900.0


def test_a_message_is_given_up_after_its_last_try(quiet: Service) -> None:
    deliverer = _deliverer(quiet, Recorder(failures=99), attempts=3)
    _queue(quiet, "bo@example.com")
    for tries in (1, 2):
        deliverer.deliver_due()
        quiet.clock.advance(retry_delay(tries))
    deliverer.deliver_due()
    entry = _entry(quiet, "bo@example.com")
    assert (entry.status, entry.attempts, entry.next_attempt_at) == ("failed", 3, None)
    quiet.clock.advance(3600)
    assert deliverer.deliver_due() == 0


def test_a_permanent_failure_is_not_retried(quiet: Service) -> None:
    deliverer = _deliverer(quiet, Recorder(failures=1, permanent=True))
    _queue(quiet, "cy@example.com")
    deliverer.deliver_due()
    assert _entry(quiet, "cy@example.com").status == "failed"


def test_two_processes_never_send_one_message_twice(quiet: Service) -> None:
    channel = Recorder()
    recipients = [f"user{n}@example.com" for n in range(60)]
    _queue(quiet, *recipients)
    nodes = [_deliverer(quiet, channel) for _ in range(3)]
    start = threading.Barrier(len(nodes))

    def drain(node: Deliverer) -> None:
        start.wait()
        while node.deliver_due():
            pass

    threads = [threading.Thread(target=drain, args=(node,)) for node in nodes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(channel.sent) == sorted(recipients)


def test_a_claim_left_by_a_dead_process_is_taken_over(quiet: Service) -> None:
    _queue(quiet, "di@example.com")
    with quiet.services.store.write() as tx:  # a process claims it, then dies
        assert len(tx.outbox.claim_due(quiet.clock.now(), LEASE, 10)) == 1
    channel = Recorder()
    survivor = _deliverer(quiet, channel)
    assert survivor.deliver_due() == 0  # the claim still holds
    quiet.clock.advance(LEASE + 1)
    assert survivor.deliver_due() == 1
    assert channel.sent == ["di@example.com"]


def test_a_batch_is_sent_only_while_half_its_lease_is_left(quiet: Service) -> None:
    """With a slow server the rest of a batch is released, not sent after its claim ran
    out (when another process may have claimed and sent it too)."""
    recipients = [f"slow{n}@example.com" for n in range(5)]
    _queue(quiet, *recipients)
    channel = Recorder(clock=quiet.clock, takes=LEASE / 4)
    deliverer = _deliverer(quiet, channel)

    assert deliverer.deliver_due() == 5
    assert channel.sent == recipients[:3]  # begun at 0, 15 and 30 s of the 60 s lease
    other = Recorder()
    assert _deliverer(quiet, other).deliver_due() == 2  # released: due at once
    assert other.sent == recipients[3:]


def test_codes_reach_the_console_only_when_no_channel_is_configured(
    quiet: Service, caplog: pytest.LogCaptureFixture
) -> None:
    """Zero configuration: the outbox is the sink and the console shows the message. Once
    any channel is set, what no channel takes is stored, and the log never carries it."""
    caplog.set_level("INFO", logger="recognito.delivery")
    store, clock = quiet.services.store, quiet.clock
    with store.write() as tx:
        tx.outbox.enqueue(OutgoingMessage("sms", "+15550100", None, "Code 123456", "p", "x"), 0)
    Deliverer(store, clock, {}).deliver_due()
    assert "Code 123456" in caplog.text

    caplog.clear()
    with store.write() as tx:
        tx.outbox.enqueue(OutgoingMessage("sms", "+15550101", None, "Code 654321", "p", "x"), 0)
    Deliverer(store, clock, {"email": Recorder()}).deliver_due()
    assert "+15550101" in caplog.text  # what happened is logged ...
    assert "654321" not in caplog.text  # ... but not the code
    assert _entry(quiet, "+15550101").status == "stored"


def test_housekeeping_forgets_settled_messages_but_never_a_queued_one(quiet: Service) -> None:
    from recognito.store.housekeeping import (
        OUTBOX_RETENTION,
        SIMULATED_RETENTION,
        purge_expired,
    )

    store, clock = quiet.services.store, quiet.clock
    tag = uuid.uuid4().hex[:8]  # PostgreSQL's database is the whole session's
    sent, probe, waiting = f"sent-{tag}@x", f"probe-{tag}@x", f"waiting-{tag}@x"
    with store.write() as tx:
        for recipient, kind in ((sent, "sign_up"), (probe, "simulated:forgot")):
            message = OutgoingMessage("email", recipient, "s", "b", "p", kind)
            tx.outbox.enqueue(message, clock.now())
    Deliverer(store, clock, {"email": Recorder()}).deliver_due()
    _queue(quiet, waiting)  # its channel is down: it stays queued however long
    Deliverer(store, clock, {"email": Recorder(failures=99)}).deliver_due()

    mine = {sent, probe, waiting}

    def recipients() -> set[str]:
        with store.read() as tx:
            return {row.recipient for r in mine for row in tx.outbox.rows(r, 10)}

    clock.advance(SIMULATED_RETENTION + 1)
    purge_expired(store, clock.now())
    assert recipients() == {sent, waiting}  # the simulated answer is gone first
    clock.advance(OUTBOX_RETENTION)
    purge_expired(store, clock.now())
    assert recipients() == {waiting}
