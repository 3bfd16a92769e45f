"""Users, their attributes (indexed for ListUsers filters and alias lookups)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, replace
from typing import Any, TypedDict, Unpack

from sqlalchemy import (
    Connection,
    Row,
    Select,
    bindparam,
    delete,
    false,
    func,
    insert,
    select,
    update,
)

from recognito.domain.list_users_filter import UserCursor, UserFilter, in_value_order, matches
from recognito.domain.records import Status, User
from recognito.store.repositories._shared import (
    Area,
    SecretArea,
    insert_unique,
    inserted_id,
    param,
)
from recognito.store.sealing import Vault
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
_USER_COLUMNS = {
    "username": users.c.username,
    "sub": users.c.sub,
    "cognito:user_status": users.c.status,
}
_HIGHEST = "\U0010ffff"  # prefix scans: value >= p AND value < p + _HIGHEST
_ATTRIBUTE_NAME = user_attributes.c.name.label("attribute_name")
_ATTRIBUTE_VALUE = user_attributes.c.value.label("attribute_value")

# one user with their attributes, a row per attribute
_WITH_ATTRIBUTES = select(users, _ATTRIBUTE_NAME, _ATTRIBUTE_VALUE).outerjoin(
    user_attributes, user_attributes.c.user_id == users.c.id
)
_USER_FIELDS = tuple(column.name for column in users.c)
_BY_ID = _WITH_ATTRIBUTES.where(users.c.id == param("id"))
_BY_USERNAME = _WITH_ATTRIBUTES.where(
    users.c.pool_id == param("pool_id"), users.c.username_key == param("key")
)
_BY_SUB = _WITH_ATTRIBUTES.where(users.c.pool_id == param("pool_id"), users.c.sub == param("sub"))
_ATTRIBUTES_OF = select(user_attributes).where(
    user_attributes.c.user_id.in_(bindparam("ids", expanding=True))
)


class UserRepository(SecretArea):
    """Users with their attributes."""

    def insert(self, user: User, username_key: str) -> User | None:
        """The stored user, or None when a concurrent request took the username first."""
        row = {k: v for k, v in asdict(user).items() if k not in ("id", "attributes")}
        row["srp_verifier"] = self.vault.seal_hex(user.srp_verifier, users.c.srp_verifier)
        result = insert_unique(self.conn, users, {**row, "username_key": username_key})
        if result is None:
            return None
        user_id = inserted_id(result)
        self._insert_attributes(user_id, user.pool_id, user.attributes)
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
        data = dict(zip(_USER_FIELDS, rows[0], strict=False))  # the users columns come first
        attributes = {row.attribute_name: row.attribute_value for row in rows if row.attribute_name}
        return _user(self.vault, data, attributes)

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
        found = self.conn.execute(select(users).where(users.c.id.in_(ids))).all()
        return load_users(self.conn, self.vault, found)

    def update(self, user_id: int, **changes: Unpack[UserChanges]) -> None:
        if changes.get("srp_verifier") is not None:
            changes["srp_verifier"] = self.vault.seal_hex(
                changes["srp_verifier"], users.c.srp_verifier
            )
        self.conn.execute(update(users).where(users.c.id == user_id).values(**changes))

    def set_attributes(self, user_id: int, pool_id: str, attributes: Mapping[str, str]) -> None:
        if attributes:
            self.delete_attributes(user_id, attributes.keys())
            self._insert_attributes(user_id, pool_id, attributes)

    def _insert_attributes(self, user_id: int, pool_id: str, attributes: Mapping[str, str]) -> None:
        if not attributes:
            return
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
        self, pool_id: str, user_filter: UserFilter | None, after: UserCursor, limit: int
    ) -> list[User]:
        """One ListUsers page: ids from index ranges (`page_queries`), then their rows."""
        ids: list[int] = []
        for query in page_queries(pool_id, user_filter, after, limit):
            ids += self.conn.execute(query.limit(limit - len(ids))).scalars()
            if len(ids) == limit:
                break
        if not ids:
            return []
        position = {user_id: n for n, user_id in enumerate(ids)}
        rows = self.conn.execute(select(users).where(users.c.id.in_(ids))).all()
        return load_users(self.conn, self.vault, sorted(rows, key=lambda row: position[row.id]))

    def count(self, pool_id: str) -> int:
        query = select(func.count()).select_from(users).where(users.c.pool_id == pool_id)
        return int(self.conn.execute(query).scalar() or 0)


def load_users(conn: Connection, vault: Vault, rows: Sequence[Row[Any]]) -> list[User]:
    """Users with their attributes, fetched in one query for all of them."""
    attributes: dict[int, dict[str, str]] = {row.id: {} for row in rows}
    if attributes:
        found = conn.execute(_ATTRIBUTES_OF, {"ids": list(attributes)})
        for attr in found:
            attributes[attr.user_id][attr.name] = attr.value
    return [_user(vault, dict(row._mapping), attributes[row.id]) for row in rows]


def _user(vault: Vault, columns: dict[str, Any], attributes: dict[str, str]) -> User:
    columns.pop("username_key")
    columns["srp_verifier"] = vault.open_hex(columns["srp_verifier"], users.c.srp_verifier)
    return User(**{**columns, "status": Status(columns["status"])}, attributes=attributes)


def page_queries(
    pool_id: str, f: UserFilter | None, after: UserCursor, limit: int
) -> list[Select[tuple[int]]]:
    """The ids of one ListUsers page, as keyset ranges over a single table and index, to
    run in turn until the page is full.

    Each query reads one table only (attribute filters never join users), with equality on
    the leading index columns and the ORDER BY equal to the rest of the index: whatever the
    planner's statistics (SQLite has none), the index that fits is the one that wins, a page
    is a seek past the cursor, and LIMIT stops the walk. tests/service/test_list_user_plans.py
    checks the plans on both engines.
    """
    in_pool = users.c.pool_id == pool_id
    if f is not None and f.attribute == "status":
        # two values, so a flag in creation order: (pool_id, enabled, id)
        states = [
            s for s in (True, False) if matches(f, username="", status="", enabled=s, attributes={})
        ]
        if len(states) == 2:
            return [_in_id_order(users.c.id, [in_pool], after, limit)]
        state = users.c.enabled == states[0] if states else false()
        return [_in_id_order(users.c.id, [in_pool, state], after, limit)]
    if f is None:
        return [_in_id_order(users.c.id, [in_pool], after, limit)]
    value = f.value.upper() if f.attribute == "cognito:user_status" else f.value
    column = _USER_COLUMNS.get(f.attribute)
    if column is not None:
        id_column, conditions = users.c.id, [in_pool]
    else:
        column = user_attributes.c.value
        id_column = user_attributes.c.user_id
        conditions = [user_attributes.c.pool_id == pool_id, user_attributes.c.name == f.attribute]
    if not in_value_order(f):
        return [_in_id_order(id_column, [*conditions, column == value], after, limit)]
    # in (value, id) order: the rest of the cursor's value, then the values after it. Two
    # plain ranges rather than one row-value bound `(value, id) > (?, ?)`, which SQLite
    # does not seek with when `id` is the rowid (users.id)
    matching = [*conditions, column < value + _HIGHEST]
    by_value = (column, id_column)
    cursor = after.after_value
    if cursor is None:
        return [_in_order(id_column, [*matching, column >= value], by_value, limit)]
    if not cursor.startswith(value):  # not a token of this filter: no rest to finish
        return [
            _in_order(id_column, [*matching, column >= value, column > cursor], by_value, limit)
        ]
    return [
        _in_id_order(id_column, [*conditions, column == cursor], after, limit),
        _in_order(id_column, [*matching, column > cursor], by_value, limit),
    ]


def _in_id_order(
    id_column: Any, conditions: list[Any], after: UserCursor, limit: int
) -> Select[tuple[int]]:
    """Ids after the cursor's, for indexes (<the conditions' columns>, id)."""
    return _in_order(id_column, [*conditions, id_column > after.after_id], (id_column,), limit)


def _in_order(
    id_column: Any, conditions: list[Any], order: tuple[Any, ...], limit: int
) -> Select[tuple[int]]:
    return select(id_column).where(*conditions).order_by(*order).limit(limit)


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
