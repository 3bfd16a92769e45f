"""The outbox: messages stored in the operation's transaction, delivered after COMMIT."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from recognito.domain.outgoing import OutgoingMessage
from recognito.domain.records import OutboxEntry
from recognito.store.repositories._shared import Area, inserted_id
from recognito.store.tables import outbox


class OutboxRepository(Area):
    """Messages and what became of them; queued ones are handed over after COMMIT."""

    def __init__(self, conn: Connection, queued: list[int]) -> None:
        super().__init__(conn)
        self._queued = queued  # the unit of work's list: delivered once it commits

    def enqueue(self, message: OutgoingMessage, now: float) -> None:
        """Store a message, to be delivered after COMMIT."""
        result = self.conn.execute(
            insert(outbox).values(
                pool_id=message.pool_id,
                channel=message.channel,
                kind=message.kind,
                recipient=message.recipient,
                subject=message.subject,
                body=message.body,
                status="queued",
                attempts=0,
                created_at=now,
            )
        )
        self._queued.append(inserted_id(result))

    def queued(self, ids: list[int]) -> list[tuple[int, OutgoingMessage]]:
        rows = self.conn.execute(
            select(outbox).where(outbox.c.id.in_(ids), outbox.c.status == "queued")
        )
        return [(row.id, _message(row)) for row in rows]

    def record_delivery(
        self, message_id: int, status: str, error: str | None, now: float, keep_body: bool
    ) -> None:
        values: dict[str, Any] = {
            "status": status,
            "error": error,
            "attempts": outbox.c.attempts + 1,
            "sent_at": now if status != "failed" else None,
        }
        if not keep_body:
            values["body"] = None  # delivered elsewhere: the code need not linger here
        self.conn.execute(update(outbox).where(outbox.c.id == message_id).values(**values))

    def rows(self, recipient: str | None, limit: int) -> list[OutboxEntry]:
        """The newest messages first, to one recipient or to all."""
        query = select(outbox).order_by(outbox.c.id.desc()).limit(limit)
        if recipient:
            query = query.where(outbox.c.recipient == recipient)
        return [OutboxEntry(**row._mapping) for row in self.conn.execute(query)]


def _message(row: Row[Any]) -> OutgoingMessage:
    return OutgoingMessage(
        channel=row.channel,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body or "",
        pool_id=row.pool_id,
        kind=row.kind,
    )
