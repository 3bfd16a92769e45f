"""Users, their attributes (indexed for ListUsers filters and alias lookups)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, replace
from typing import Any, TypedDict, Unpack

from sqlalchemy import (
    Connection,
    Row,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    update,
)

from recognito.domain.list_users_filter import UserFilter
from recognito.domain.records import Status, User
from recognito.store.repositories._shared import Area, insert_unique, inserted_id, param
from recognito.store.tables import password_history, user_attributes, users


class UserChanges(TypedDict, total=False):
    """What `UserRepository.update` may change on the users row."""

    status: Status
    enabled: bool
    password_hash: str | None
    srp_salt: str | None
    srp_verifier: str | None
    password_expires_at: float | None
    modified_at: float


# ListUsers attributes that live on the users row rather than as attributes
_USER_COLUMNS = {"username": users.c.username, "sub": users.c.sub}
_HIGHEST = "\U0010ffff"  # prefix scans: value >= p AND value < p + _HIGHEST
_ATTRIBUTE_NAME = user_attributes.c.name.label("attribute_name")
_ATTRIBUTE_VALUE = user_attributes.c.value.label("attribute_value")

# one user with their attributes, a row per attribute
_WITH_ATTRIBUTES = select(users, _ATTRIBUTE_NAME, _ATTRIBUTE_VALUE).outerjoin(
    user_attributes, user_attributes.c.user_id == users.c.id
)
_BY_ID = _WITH_ATTRIBUTES.where(users.c.id == param("id"))
_BY_USERNAME = _WITH_ATTRIBUTES.where(
    users.c.pool_id == param("pool_id"), users.c.username_key == param("key")
)
_BY_SUB = _WITH_ATTRIBUTES.where(users.c.pool_id == param("pool_id"), users.c.sub == param("sub"))
_ATTRIBUTES_OF = select(user_attributes).where(
    user_attributes.c.user_id.in_(bindparam("ids", expanding=True))
)


class UserRepository(Area):
    """Users with their attributes."""

    def insert(self, user: User, username_key: str) -> User | None:
        """The stored user, or None when a concurrent request took the username first."""
        row = {k: v for k, v in asdict(user).items() if k not in ("id", "attributes")}
        result = insert_unique(self.conn, users, {**row, "username_key": username_key})
        if result is None:
            return None
        user_id = inserted_id(result)
        self.set_attributes(user_id, user.pool_id, user.attributes)
        return replace(user, id=user_id)

    def by_id(self, user_id: int) -> User | None:
        return self._one_user(_BY_ID, {"id": user_id})

    def by_username(self, pool_id: str, username_key: str) -> User | None:
        return self._one_user(_BY_USERNAME, {"pool_id": pool_id, "key": username_key})

    def by_sub(self, pool_id: str, sub: str) -> User | None:
        return self._one_user(_BY_SUB, {"pool_id": pool_id, "sub": sub})

    def _one_user(self, query: Select[Any], params: dict[str, Any]) -> User | None:
        """A user with their attributes, in one query: found or not, a lookup costs
        the same."""
        rows = self.conn.execute(query, params).all()
        if not rows:
            return None
        data = {column.name: rows[0]._mapping[column] for column in users.c}
        attributes = {row.attribute_name: row.attribute_value for row in rows if row.attribute_name}
        return _user(data, attributes)

    def with_attribute(
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
        return load_users(
            self.conn, self.conn.execute(select(users).where(users.c.id.in_(ids))).all()
        )

    def update(self, user_id: int, **changes: Unpack[UserChanges]) -> None:
        self.conn.execute(update(users).where(users.c.id == user_id).values(**changes))

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

    def delete(self, user_id: int) -> None:
        self.conn.execute(delete(users).where(users.c.id == user_id))

    def page(
        self, pool_id: str, user_filter: UserFilter | None, after_id: int, limit: int
    ) -> list[User]:
        """Users in id order after `after_id`, the filter served by an index."""
        query = select(users).where(users.c.pool_id == pool_id, users.c.id > after_id)
        if user_filter is not None:
            query = query.where(_filter_clause(pool_id, user_filter))
        return load_users(
            self.conn, self.conn.execute(query.order_by(users.c.id).limit(limit)).all()
        )

    def count(self, pool_id: str) -> int:
        query = select(func.count()).select_from(users).where(users.c.pool_id == pool_id)
        return int(self.conn.execute(query).scalar() or 0)


def load_users(conn: Connection, rows: Sequence[Row[Any]]) -> list[User]:
    """Users with their attributes, fetched in one query for all of them."""
    attributes: dict[int, dict[str, str]] = {row.id: {} for row in rows}
    if attributes:
        found = conn.execute(_ATTRIBUTES_OF, {"ids": list(attributes)})
        for attr in found:
            attributes[attr.user_id][attr.name] = attr.value
    return [_user(dict(row._mapping), attributes[row.id]) for row in rows]


def _user(columns: dict[str, Any], attributes: dict[str, str]) -> User:
    columns.pop("username_key")
    return User(**{**columns, "status": Status(columns["status"])}, attributes=attributes)


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


class PasswordHistoryRepository(Area):
    """The hashes of users' earlier passwords, newest first."""

    def recent(self, user_id: int, limit: int) -> list[str]:
        if limit <= 0:
            return []
        rows = self.conn.execute(
            select(password_history.c.password_hash)
            .where(password_history.c.user_id == user_id)
            .order_by(password_history.c.created_at.desc(), password_history.c.id.desc())
            .limit(limit)
        )
        return [r.password_hash for r in rows]

    def remember(self, user_id: int, password_hash: str, now: float, keep: int) -> None:
        """Add a replaced password's hash, then keep the newest `keep` of the user's."""
        if keep > 0:
            self.conn.execute(
                insert(password_history).values(
                    user_id=user_id, password_hash=password_hash, created_at=now
                )
            )
        mine = delete(password_history).where(password_history.c.user_id == user_id)
        if keep > 0:
            kept = (
                select(password_history.c.id)
                .where(password_history.c.user_id == user_id)
                .order_by(password_history.c.created_at.desc(), password_history.c.id.desc())
                .limit(keep)
            )
            mine = mine.where(password_history.c.id.not_in(kept.scalar_subquery()))
        self.conn.execute(mine)
