"""Threat protection's records: auth events, risk configurations, log delivery settings."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, insert, or_, select, update

from recognito.domain.records import AuthEvent
from recognito.store.repositories._shared import Area, insert_unique
from recognito.store.tables import auth_events, log_delivery, risk_configurations

_COLUMNS = [c for c in auth_events.c if c.name != "id"]


def _event(row: Any) -> AuthEvent:
    data = dict(row._mapping)
    data.pop("id", None)
    return AuthEvent(**data)


class EventRepository(Area):
    """A user's auth events, newest first."""

    def insert(self, event: AuthEvent) -> None:
        self.conn.execute(insert(auth_events), asdict(event))

    def page(self, user_id: int, before: int | None, limit: int) -> list[tuple[int, AuthEvent]]:
        """Up to `limit` events of the user older than row `before`, each with its row id."""
        query = select(*_COLUMNS, auth_events.c.id).where(auth_events.c.user_id == user_id)
        if before is not None:
            query = query.where(auth_events.c.id < before)
        rows = self.conn.execute(query.order_by(auth_events.c.id.desc()).limit(limit))
        return [(row.id, _event(row)) for row in rows]

    def of_pool(self, pool_id: str | None, limit: int) -> list[tuple[int, AuthEvent]]:
        """The newest events of a pool (or of every pool), each with its user's row id."""
        query = select(*_COLUMNS, auth_events.c.id)
        if pool_id is not None:
            query = query.where(auth_events.c.pool_id == pool_id)
        rows = self.conn.execute(query.order_by(auth_events.c.id.desc()).limit(limit))
        return [(row.id, _event(row)) for row in rows]

    def get(self, event_id: str) -> AuthEvent | None:
        query = select(*_COLUMNS).where(auth_events.c.event_id == event_id)
        row = self.conn.execute(query).first()
        return _event(row) if row else None

    def set_feedback(self, event_id: str, value: str, provider: str, now: float) -> None:
        self.conn.execute(
            update(auth_events)
            .where(auth_events.c.event_id == event_id)
            .values(feedback_value=value, feedback_provider=provider, feedback_date=now)
        )

    def known(self, user_id: int, *, ip: str | None, device_key: str | None) -> tuple[bool, bool]:
        """Whether the user signed in successfully before from this address, and from this
        device."""
        signed_in = and_(
            auth_events.c.user_id == user_id,
            auth_events.c.event_type == "SignIn",
            auth_events.c.response == "Pass",
            # a sign-in the user or an admin said was not theirs vouches for nothing
            or_(auth_events.c.feedback_value.is_(None), auth_events.c.feedback_value != "Invalid"),
        )

        def seen(condition: Any) -> bool:
            query = select(auth_events.c.id).where(signed_in, condition).limit(1)
            return self.conn.execute(query).first() is not None

        return seen(auth_events.c.ip == ip), seen(auth_events.c.device_key == device_key)

    def any_sign_in(self, user_id: int) -> bool:
        query = (
            select(auth_events.c.id)
            .where(
                auth_events.c.user_id == user_id,
                auth_events.c.event_type == "SignIn",
                auth_events.c.response == "Pass",
            )
            .limit(1)
        )
        return self.conn.execute(query).first() is not None

    def finish_sign_in(self, user_id: int, challenges: list[dict[str, str]]) -> str | None:
        """The user's latest sign-in left InProgress (at an MFA challenge) becomes Pass with
        `challenges`; its event id, or None if there is none."""
        query = (
            select(auth_events.c.id, auth_events.c.event_id, auth_events.c.challenges)
            .where(
                auth_events.c.user_id == user_id,
                auth_events.c.event_type == "SignIn",
                auth_events.c.response == "InProgress",
            )
            .order_by(auth_events.c.id.desc())
            .limit(1)
        )
        row = self.conn.execute(query).first()
        if row is None:
            return None
        self.conn.execute(
            update(auth_events)
            .where(auth_events.c.id == row.id)
            .values(response="Pass", challenges=[*row.challenges, *challenges])
        )
        return str(row.event_id)


class RiskConfigurationRepository(Area):
    """SetRiskConfiguration's settings: pool-wide (client "") or for one client."""

    def get(self, pool_id: str, client_id: str) -> tuple[dict[str, Any], float] | None:
        query = select(risk_configurations.c.config, risk_configurations.c.modified_at).where(
            risk_configurations.c.pool_id == pool_id,
            risk_configurations.c.client_id == client_id,
        )
        row = self.conn.execute(query).first()
        return (dict(row.config), float(row.modified_at)) if row else None

    def put(self, pool_id: str, client_id: str, config: dict[str, Any], now: float) -> None:
        key = (risk_configurations.c.pool_id == pool_id) & (
            risk_configurations.c.client_id == client_id
        )
        values = {"config": config, "modified_at": now}
        _save(
            self.conn,
            risk_configurations,
            key,
            {"pool_id": pool_id, "client_id": client_id},
            values,
        )

    def remove(self, pool_id: str, client_id: str) -> None:
        self.conn.execute(
            delete(risk_configurations).where(
                risk_configurations.c.pool_id == pool_id,
                risk_configurations.c.client_id == client_id,
            )
        )


class LogDeliveryRepository(Area):
    """SetLogDeliveryConfiguration's LogConfigurations of each pool."""

    def get(self, pool_id: str) -> list[dict[str, Any]]:
        query = select(log_delivery.c.config).where(log_delivery.c.pool_id == pool_id)
        row = self.conn.execute(query).first()
        return list(row.config) if row else []

    def put(self, pool_id: str, config: list[dict[str, Any]]) -> None:
        key = log_delivery.c.pool_id == pool_id
        _save(self.conn, log_delivery, key, {"pool_id": pool_id}, {"config": config})


def _save(
    conn: Connection, table: Table, key: Any, ids: dict[str, Any], values: dict[str, Any]
) -> None:
    """UPDATE the row, or INSERT it (a concurrent insert of the same key: UPDATE again).
    Not the shared upsert: that is raw SQL, which binds no JSON."""
    for _ in range(2):
        if conn.execute(update(table).where(key).values(**values)).rowcount:
            return
        if insert_unique(conn, table, {**ids, **values}) is not None:
            return
