"""One repository over one transaction: every read and write an operation makes.

Methods take and return the records of `recognito.domain.records`; nothing
here knows Cognito's rules. Conditional updates (`... WHERE used_at IS NULL`)
make single-use things single-use even under concurrent requests, and what is
counted (codes' wrong tries, sign-in failures, calls under a cap) is read with
`lock=True` inside the write transaction that changes it: a row lock on
PostgreSQL, so concurrent requests on any node count one after another (SQLite
serializes writers already, with BEGIN IMMEDIATE).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, replace
from typing import Any

from sqlalchemy import (
    Connection,
    CursorResult,
    Insert,
    Row,
    and_,
    case,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from recognito.domain.list_users_filter import UserFilter
from recognito.domain.mfa import MfaSettings
from recognito.domain.outgoing import OutgoingMessage
from recognito.domain.records import (
    AuthSession,
    Client,
    Code,
    Counter,
    Grant,
    Group,
    Pool,
    User,
)
from recognito.store.tables import (
    auth_sessions,
    clients,
    codes,
    counters,
    grants,
    groups,
    memberships,
    meta,
    mfa_settings,
    outbox,
    pools,
    signing_keys,
    user_attributes,
    users,
)

# ListUsers attributes that live on the users row rather than as attributes
_USER_COLUMNS = {"username": users.c.username, "sub": users.c.sub}
_HIGHEST = "\U0010ffff"  # prefix scans: value >= p AND value < p + _HIGHEST
_ATTRIBUTE_NAME = user_attributes.c.name.label("attribute_name")
_ATTRIBUTE_VALUE = user_attributes.c.value.label("attribute_value")


class Repository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.queued_messages: list[int] = []
        self.answer_after_commit: Exception | None = None

    def fail_after_commit(self, error: Exception) -> None:
        """Keep what this transaction wrote, then answer with `error`."""
        self.answer_after_commit = error

    def ping(self) -> bool:
        return self.conn.exec_driver_sql("SELECT 1").scalar() == 1

    # -- meta --------------------------------------------------------------
    def meta_value(self, key: str) -> str | None:
        return self.conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()

    def set_meta_value(self, key: str, value: str) -> None:
        self.conn.execute(insert(meta).values(key=key, value=value))

    # -- pools -------------------------------------------------------------
    def insert_pool(self, pool: Pool) -> None:
        self.conn.execute(insert(pools).values(**asdict(pool)))

    def pool(self, pool_id: str) -> Pool | None:
        row = self.conn.execute(select(pools).where(pools.c.id == pool_id)).first()
        return Pool(**row._mapping) if row else None

    def list_pools(self, region: str, after: str | None, limit: int) -> list[Pool]:
        # a pool id starts with its region: "eu-west-1_AbC123xyZ"
        query = select(pools).where(pools.c.id.startswith(region + "_", autoescape=True))
        query = query.order_by(pools.c.id).limit(limit)
        if after:
            query = query.where(pools.c.id > after)
        return [Pool(**row._mapping) for row in self.conn.execute(query)]

    def update_pool(
        self, pool_id: str, config: Mapping[str, Any], now: float, *, name: str | None = None
    ) -> None:
        values: dict[str, Any] = {"config": dict(config), "modified_at": now}
        if name:
            values["name"] = name
        self.conn.execute(update(pools).where(pools.c.id == pool_id).values(**values))

    def delete_pool(self, pool_id: str) -> None:
        self.conn.execute(delete(pools).where(pools.c.id == pool_id))

    def count_users(self, pool_id: str) -> int:
        query = select(func.count()).select_from(users).where(users.c.pool_id == pool_id)
        return int(self.conn.execute(query).scalar() or 0)

    # -- clients -----------------------------------------------------------
    def insert_client(self, client: Client) -> None:
        self.conn.execute(insert(clients).values(**asdict(client)))

    def client(self, client_id: str) -> Client | None:
        row = self.conn.execute(select(clients).where(clients.c.id == client_id)).first()
        return Client(**row._mapping) if row else None

    def list_clients(self, pool_id: str, after: str | None, limit: int) -> list[Client]:
        query = select(clients).where(clients.c.pool_id == pool_id)
        if after:
            query = query.where(clients.c.id > after)
        rows = self.conn.execute(query.order_by(clients.c.id).limit(limit))
        return [Client(**row._mapping) for row in rows]

    def update_client(
        self, client_id: str, name: str, config: Mapping[str, Any], now: float
    ) -> None:
        self.conn.execute(
            update(clients)
            .where(clients.c.id == client_id)
            .values(name=name, config=dict(config), modified_at=now)
        )

    def delete_client(self, client_id: str) -> None:
        self.conn.execute(delete(clients).where(clients.c.id == client_id))

    # -- users -------------------------------------------------------------
    def insert_user(self, user: User, username_key: str) -> User | None:
        """The stored user, or None when a concurrent request took the username first."""
        row = {k: v for k, v in asdict(user).items() if k not in ("id", "attributes")}
        result = self._insert_unique(insert(users).values(**row, username_key=username_key))
        if result is None:
            return None
        user_id = _inserted_id(result)
        self.set_attributes(user_id, user.pool_id, user.attributes)
        return replace(user, id=user_id)

    def _insert_unique(self, statement: Insert) -> CursorResult[Any] | None:
        """Run an INSERT in a savepoint; None if it broke a unique key (the transaction
        goes on). Callers check first; this settles the race between two of them."""
        try:
            with self.conn.begin_nested():
                return self.conn.execute(statement)
        except IntegrityError:
            return None

    def user_by_id(self, user_id: int) -> User | None:
        return self._one_user(users.c.id == user_id)

    def user_by_username(self, pool_id: str, username_key: str) -> User | None:
        return self._one_user(users.c.pool_id == pool_id, users.c.username_key == username_key)

    def user_by_sub(self, pool_id: str, sub: str) -> User | None:
        return self._one_user(users.c.pool_id == pool_id, users.c.sub == sub)

    def _one_user(self, *conditions: Any) -> User | None:
        """A user with their attributes, in one query (a row per attribute): found or
        not, a lookup costs the same."""
        query = (
            select(users, _ATTRIBUTE_NAME, _ATTRIBUTE_VALUE)
            .outerjoin(user_attributes, user_attributes.c.user_id == users.c.id)
            .where(*conditions)
        )
        rows = self.conn.execute(query).all()
        if not rows:
            return None
        data = {column.name: rows[0]._mapping[column] for column in users.c}
        data.pop("username_key")
        attributes = {row.attribute_name: row.attribute_value for row in rows if row.attribute_name}
        return User(**data, attributes=attributes)

    def users_with_attribute(
        self, pool_id: str, name: str, value: str, *, fold_case: bool = False
    ) -> list[User]:
        """Users whose `name` is `value`; with `fold_case`, compared lower-cased."""
        compared = (
            user_attributes.c.value_key == value.lower()
            if fold_case
            else user_attributes.c.value == value
        )
        query = select(user_attributes.c.user_id).where(
            user_attributes.c.pool_id == pool_id, user_attributes.c.name == name, compared
        )
        ids = list(self.conn.execute(query).scalars())
        return self._load_users(self.conn.execute(select(users).where(users.c.id.in_(ids))).all())

    def update_user(self, user_id: int, **values: Any) -> None:
        self.conn.execute(update(users).where(users.c.id == user_id).values(**values))

    def set_attributes(self, user_id: int, pool_id: str, attributes: Mapping[str, str]) -> None:
        if not attributes:
            return
        self.delete_attributes(user_id, attributes.keys())
        self.conn.execute(
            insert(user_attributes),
            [
                {
                    "user_id": user_id,
                    "pool_id": pool_id,
                    "name": name,
                    "value": value,
                    "value_key": value.lower(),
                }
                for name, value in attributes.items()
            ],
        )

    def delete_attributes(self, user_id: int, names: Iterable[str]) -> None:
        self.conn.execute(
            delete(user_attributes).where(
                user_attributes.c.user_id == user_id, user_attributes.c.name.in_(list(names))
            )
        )

    def delete_user(self, user_id: int) -> None:
        self.conn.execute(delete(users).where(users.c.id == user_id))

    def list_users(
        self, pool_id: str, user_filter: UserFilter | None, after_id: int, limit: int
    ) -> list[User]:
        """Users in id order after `after_id`, the filter served by an index."""
        query = select(users).where(users.c.pool_id == pool_id, users.c.id > after_id)
        if user_filter is not None:
            query = query.where(_filter_clause(pool_id, user_filter))
        return self._load_users(self.conn.execute(query.order_by(users.c.id).limit(limit)).all())

    def _load_users(self, rows: Sequence[Row[Any]]) -> list[User]:
        """Users with their attributes, fetched in one query for all of them."""
        attributes: dict[int, dict[str, str]] = {row.id: {} for row in rows}
        if attributes:
            found = self.conn.execute(
                select(user_attributes).where(user_attributes.c.user_id.in_(list(attributes)))
            )
            for attr in found:
                attributes[attr.user_id][attr.name] = attr.value
        loaded = []
        for row in rows:
            data = dict(row._mapping)
            data.pop("username_key")
            loaded.append(User(**data, attributes=attributes[row.id]))
        return loaded

    # -- counters ----------------------------------------------------------
    def counter(self, key: str, *, lock: bool = False) -> Counter | None:
        query = select(counters.c.count, counters.c.first_at, counters.c.last_at, counters.c.until)
        query = query.where(counters.c.key == key)
        row = self.conn.execute(query.with_for_update() if lock else query).first()
        return Counter(*row) if row else None

    def held_counter(self, key: str, now: float) -> Counter:
        """The counter, locked for this transaction; a zero count if there was none.

        The row is made first (if missing), so there is always a row to lock: two
        requests that both found none cannot both start from zero."""
        values = {"key": key, "count": 0, "first_at": now, "last_at": now, "until": None}
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        self.conn.execute(dialect.insert(counters).values(**values).on_conflict_do_nothing())
        held = self.counter(key, lock=True)
        assert held is not None  # made above, and only purged long after its last use
        return held

    def hold(self, name: str) -> None:
        """Hold a named lock until this transaction ends, so writers that check, then
        write the same name go one after another on every node (a counters row of its
        own; housekeeping removes it later)."""
        self.held_counter("lock:" + hashlib.sha256(name.encode()).hexdigest()[:40], 0.0)

    def save_counter(self, key: str, counter: Counter | None) -> None:
        """Store a counter; None forgets it."""
        if counter is None:
            self.conn.execute(delete(counters).where(counters.c.key == key))
            return
        self.conn.execute(update(counters).where(counters.c.key == key).values(**asdict(counter)))

    def purge_counters(self, before: float) -> None:
        self.conn.execute(
            delete(counters).where(
                counters.c.last_at < before,
                (counters.c.until.is_(None)) | (counters.c.until < before),
            )
        )

    # -- multi-factor settings ---------------------------------------------
    def mfa(self, user_id: int) -> MfaSettings:
        row = self.conn.execute(
            select(mfa_settings).where(mfa_settings.c.user_id == user_id)
        ).first()
        if row is None:
            return MfaSettings()
        data = dict(row._mapping)
        data.pop("user_id")
        return MfaSettings(**data)

    def save_mfa(self, user_id: int, settings: MfaSettings) -> None:
        self.conn.execute(delete(mfa_settings).where(mfa_settings.c.user_id == user_id))
        self.conn.execute(insert(mfa_settings).values(user_id=user_id, **asdict(settings)))

    # -- groups ------------------------------------------------------------
    def insert_group(self, group: Group) -> bool:
        """False when a group of that name exists already."""
        return self._insert_unique(insert(groups).values(**asdict(group))) is not None

    def group(self, pool_id: str, name: str) -> Group | None:
        row = self.conn.execute(
            select(groups).where(groups.c.pool_id == pool_id, groups.c.name == name)
        ).first()
        return Group(**row._mapping) if row else None

    def list_groups(self, pool_id: str, after: str | None, limit: int) -> list[Group]:
        query = select(groups).where(groups.c.pool_id == pool_id)
        if after:
            query = query.where(groups.c.name > after)
        rows = self.conn.execute(query.order_by(groups.c.name).limit(limit))
        return [Group(**row._mapping) for row in rows]

    def update_group(self, group: Group) -> None:
        self.conn.execute(
            update(groups)
            .where(groups.c.pool_id == group.pool_id, groups.c.name == group.name)
            .values(**asdict(group))
        )

    def delete_group(self, pool_id: str, name: str) -> None:
        self.conn.execute(delete(groups).where(groups.c.pool_id == pool_id, groups.c.name == name))

    def add_member(self, user: User, group_name: str) -> None:
        present = self.conn.execute(
            select(memberships.c.user_id).where(
                memberships.c.user_id == user.id, memberships.c.group_name == group_name
            )
        ).first()
        if present is None:
            self.conn.execute(
                insert(memberships).values(
                    user_id=user.id, pool_id=user.pool_id, group_name=group_name
                )
            )

    def remove_member(self, user_id: int, group_name: str) -> None:
        self.conn.execute(
            delete(memberships).where(
                memberships.c.user_id == user_id, memberships.c.group_name == group_name
            )
        )

    def groups_of(
        self, user: User, after: str | None = None, limit: int | None = None
    ) -> list[Group]:
        """The user's groups in name order."""
        query = (
            select(groups)
            .join(
                memberships,
                (memberships.c.pool_id == groups.c.pool_id)
                & (memberships.c.group_name == groups.c.name),
            )
            .where(memberships.c.user_id == user.id)
            .order_by(groups.c.name)
        )
        if after:
            query = query.where(groups.c.name > after)
        if limit is not None:
            query = query.limit(limit)
        return [Group(**row._mapping) for row in self.conn.execute(query)]

    def members(self, pool_id: str, group_name: str, after_id: int, limit: int) -> list[User]:
        query = (
            select(users)
            .join(memberships, memberships.c.user_id == users.c.id)
            .where(
                memberships.c.pool_id == pool_id,
                memberships.c.group_name == group_name,
                users.c.id > after_id,
            )
            .order_by(users.c.id)
            .limit(limit)
        )
        return self._load_users(self.conn.execute(query).all())

    # -- codes -------------------------------------------------------------
    def put_code(self, code: Code) -> None:
        """Store the newest code for (subject, purpose); an older one stops working."""
        self.delete_code(code.subject, code.purpose)
        self.conn.execute(insert(codes).values(**asdict(code)))

    def code(self, subject: str, purpose: str, *, lock: bool = False) -> Code | None:
        query = select(codes).where(codes.c.subject == subject, codes.c.purpose == purpose)
        row = self.conn.execute(query.with_for_update() if lock else query).first()
        return Code(**row._mapping) if row else None

    def count_code_failure(self, subject: str, purpose: str) -> None:
        self.conn.execute(
            update(codes)
            .where(codes.c.subject == subject, codes.c.purpose == purpose)
            .values(failed_attempts=codes.c.failed_attempts + 1)
        )

    def spend_code(self, subject: str, purpose: str, digest: str) -> bool:
        """Delete the code if it is still the one checked; False if another request won."""
        result = self.conn.execute(
            delete(codes).where(
                codes.c.subject == subject, codes.c.purpose == purpose, codes.c.digest == digest
            )
        )
        return result.rowcount == 1

    def delete_code(self, subject: str, purpose: str) -> None:
        self.conn.execute(
            delete(codes).where(codes.c.subject == subject, codes.c.purpose == purpose)
        )

    def purge_codes(self, before: float) -> None:
        self.conn.execute(delete(codes).where(codes.c.expires_at < before))

    # -- challenge sessions ------------------------------------------------
    def insert_session(self, digest: str, session: AuthSession) -> bool:
        """False when a session with this digest exists already."""
        statement = insert(auth_sessions).values(**asdict(session), digest=digest)
        return self._insert_unique(statement) is not None

    def session(self, digest: str, *, lock: bool = False) -> AuthSession | None:
        query = select(auth_sessions).where(auth_sessions.c.digest == digest)
        row = self.conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            return None
        data = dict(row._mapping)
        data.pop("digest")
        return AuthSession(**data)

    def use_session(self, digest: str, now: float) -> bool:
        result = self.conn.execute(
            update(auth_sessions)
            .where(auth_sessions.c.digest == digest, auth_sessions.c.used_at.is_(None))
            .values(used_at=now)
        )
        return result.rowcount == 1

    def count_session_failure(self, digest: str) -> None:
        self.conn.execute(
            update(auth_sessions)
            .where(auth_sessions.c.digest == digest)
            .values(failed_attempts=auth_sessions.c.failed_attempts + 1)
        )

    def purge_sessions(self, before: float) -> None:
        self.conn.execute(delete(auth_sessions).where(auth_sessions.c.expires_at < before))

    # -- grants (refresh tokens) -------------------------------------------
    def insert_grant(self, grant: Grant, refresh_digest: str) -> None:
        self.conn.execute(insert(grants).values(**asdict(grant), refresh_digest=refresh_digest))

    def purge_grants(self, before: float) -> None:
        self.conn.execute(delete(grants).where(grants.c.expires_at < before))

    def grant(self, origin_jti: str) -> Grant | None:
        row = self.conn.execute(select(grants).where(grants.c.origin_jti == origin_jti)).first()
        return _grant(row)

    def grant_by_refresh(self, refresh_digest: str) -> Grant | None:
        row = self.conn.execute(
            select(grants).where(grants.c.refresh_digest == refresh_digest)
        ).first()
        return _grant(row)

    def revoke_grant(self, origin_jti: str, now: float) -> None:
        self.conn.execute(
            update(grants)
            .where(grants.c.origin_jti == origin_jti, grants.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def revoke_user_grants(self, user_id: int, now: float) -> None:
        self.conn.execute(
            update(grants)
            .where(grants.c.user_id == user_id, grants.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    # -- signing keys ------------------------------------------------------
    def insert_signing_key(
        self, kid: str, pool_id: str, token_use: str, private_pem: str, now: float
    ) -> None:
        self.conn.execute(
            insert(signing_keys).values(
                kid=kid,
                pool_id=pool_id,
                token_use=token_use,
                private_pem=private_pem,
                created_at=now,
            )
        )

    def signing_keys(self, pool_id: str) -> list[tuple[str, str, str]]:
        """(kid, token_use, private_pem) for the pool, oldest first."""
        rows = self.conn.execute(
            select(signing_keys.c.kid, signing_keys.c.token_use, signing_keys.c.private_pem)
            .where(signing_keys.c.pool_id == pool_id)
            .order_by(signing_keys.c.created_at)
        )
        return [(r.kid, r.token_use, r.private_pem) for r in rows]

    # -- outbox ------------------------------------------------------------
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
        self.queued_messages.append(_inserted_id(result))

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

    def outbox_rows(self, recipient: str | None, limit: int) -> list[dict[str, Any]]:
        query = select(outbox).order_by(outbox.c.id.desc()).limit(limit)
        if recipient:
            query = query.where(outbox.c.recipient == recipient)
        return [dict(row._mapping) for row in self.conn.execute(query)]


def _inserted_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None  # every table we insert into has an integer key
    return int(key[0])


def _grant(row: Row[Any] | None) -> Grant | None:
    if row is None:
        return None
    data = dict(row._mapping)
    data.pop("refresh_digest")
    return Grant(**data)


def _message(row: Row[Any]) -> OutgoingMessage:
    return OutgoingMessage(
        channel=row.channel,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body or "",
        pool_id=row.pool_id,
        kind=row.kind,
    )


def _filter_clause(pool_id: str, f: UserFilter) -> Any:
    """The SQL twin of `list_users_filter.matches`, shaped to use the indexes."""
    if f.attribute == "cognito:user_status":
        return _match(users.c.status, f.prefix, f.value.upper())  # statuses are stored upper-case
    if f.attribute == "status":
        return _match(case((users.c.enabled, "Enabled"), else_="Disabled"), f.prefix, f.value)
    column = _USER_COLUMNS.get(f.attribute)
    if column is not None:
        return _match(column, f.prefix, f.value)
    matching = select(user_attributes.c.user_id).where(
        user_attributes.c.pool_id == pool_id,
        user_attributes.c.name == f.attribute,
        _match(user_attributes.c.value, f.prefix, f.value),
    )
    return users.c.id.in_(matching)


def _match(column: Any, prefix: bool, value: str) -> Any:
    if prefix:
        return and_(column >= value, column < value + _HIGHEST)
    return column == value
