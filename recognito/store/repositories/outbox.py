"""The outbox: messages stored in the operation's transaction, delivered after COMMIT."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, insert, or_, select, update

from recognito.domain.outgoing import OutgoingMessage
from recognito.domain.records import OutboxEntry
from recognito.store.repositories._shared import Area, inserted_id
from recognito.store.tables import outbox

QUEUED = "queued"
DONE = ("sent", "stored", "simulated")  # handed over, kept as the sink, or never to be sent


@dataclass(frozen=True)
class Claimed:
    """A message this process now sends, and how many tries it had before."""

    id: int
    attempts: int
    message: OutgoingMessage


class OutboxRepository(Area):
    """Messages and what became of them; queued ones are handed over after COMMIT."""

    def __init__(self, conn: Connection, queued: list[int]) -> None:
        super().__init__(conn)
        self._queued = queued  # the unit of work's list: delivered once it commits

    def enqueue(self, message: OutgoingMessage, now: float) -> None:
        """Store a message, to be delivered after COMMIT."""
        row = {
            "pool_id": message.pool_id,
            "channel": message.channel,
            "kind": message.kind,
            "recipient": message.recipient,
            "subject": message.subject,
            "body": message.body,
            "status": QUEUED,
            "attempts": 0,
            "created_at": now,
        }
        result = self.conn.execute(insert(outbox), row)
        self._queued.append(inserted_id(result))

    def any_due(self, now: float) -> bool:
        """Whether `claim_due` would find anything (a read: no write lock needed to ask)."""
        return self.conn.execute(select(outbox.c.id).where(_due(now)).limit(1)).first() is not None

    def claim_due(self, now: float, lease: float, limit: int) -> list[Claimed]:
        """Queued messages that are due and that no live process is sending, claimed for
        `lease` seconds. Rows another transaction is claiming are skipped (PostgreSQL), or
        wait for it (SQLite's one writer), so no two processes claim the same message; a
        claim that outlives its process expires, and the message is claimed again."""
        query = select(outbox).where(_due(now)).order_by(outbox.c.id).limit(limit)
        rows = self.conn.execute(query.with_for_update(skip_locked=True)).all()
        if rows:
            claimed = update(outbox).where(outbox.c.id.in_([row.id for row in rows]))
            self.conn.execute(claimed.values(claimed_until=now + lease))
        return [Claimed(row.id, row.attempts, _message(row)) for row in rows]

    def release(self, message_ids: list[int]) -> None:
        """Give up claims before their lease ends: the messages are due again at once."""
        query = update(outbox).where(outbox.c.id.in_(message_ids), outbox.c.status == QUEUED)
        self.conn.execute(query.values(claimed_until=None))

    def record_delivery(
        self,
        message_id: int,
        status: str,
        error: str | None,
        now: float,
        keep_body: bool,
        next_attempt_at: float | None = None,
    ) -> None:
        """What one try came to; `status` stays "queued" for a try to come at
        `next_attempt_at`."""
        values: dict[str, Any] = {
            "status": status,
            "error": error,
            "attempts": outbox.c.attempts + 1,
            "sent_at": now if status in DONE else None,
            "next_attempt_at": next_attempt_at,
            "claimed_until": None,
        }
        if not keep_body:
            values["body"] = None  # delivered elsewhere: the code need not linger here
        self.conn.execute(update(outbox).where(outbox.c.id == message_id).values(**values))

    def purge(self, settled_before: float, simulated_before: float) -> None:
        """Forget messages whose fate was settled before then; a queued one is never
        forgotten, and a simulated one (an answer that hides who exists) sooner."""
        settled = outbox.c.status.in_([*DONE, "failed"]) & (outbox.c.created_at < settled_before)
        simulated = (outbox.c.status == "simulated") & (outbox.c.created_at < simulated_before)
        self.conn.execute(delete(outbox).where(settled | simulated))

    def rows(self, recipient: str | None, limit: int) -> list[OutboxEntry]:
        """The newest messages first, to one recipient or to all."""
        query = select(outbox).order_by(outbox.c.id.desc()).limit(limit)
        if recipient:
            query = query.where(outbox.c.recipient == recipient)
        return [OutboxEntry(**row._mapping) for row in self.conn.execute(query)]


def _due(now: float) -> Any:
    return and_(
        outbox.c.status == QUEUED,
        or_(outbox.c.next_attempt_at.is_(None), outbox.c.next_attempt_at <= now),
        or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now),
    )


def _message(row: Row[Any]) -> OutgoingMessage:
    return OutgoingMessage(
        channel=row.channel,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body or "",
        pool_id=row.pool_id,
        kind=row.kind,
    )
