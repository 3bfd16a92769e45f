"""Groups and their members."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import delete, insert, select, update

from recognito.domain.records import Group, User
from recognito.store.repositories._shared import SecretArea, insert_unique, param
from recognito.store.repositories.users import load_users
from recognito.store.tables import groups, memberships, users

_GROUPS_OF_USER = (
    select(groups)
    .join(
        memberships,
        (memberships.c.pool_id == groups.c.pool_id) & (memberships.c.group_name == groups.c.name),
    )
    .where(memberships.c.user_id == param("user_id"))
    .order_by(groups.c.name)
)


class GroupRepository(SecretArea):
    """Groups of a pool and who belongs to them."""

    def insert(self, group: Group) -> bool:
        """False when a group of that name exists already."""
        return insert_unique(self.conn, groups, asdict(group)) is not None

    def get(self, pool_id: str, name: str) -> Group | None:
        row = self.conn.execute(
            select(groups).where(groups.c.pool_id == pool_id, groups.c.name == name)
        ).first()
        return Group(**row._mapping) if row else None

    def page(self, pool_id: str, after: str | None, limit: int) -> list[Group]:
        query = select(groups).where(groups.c.pool_id == pool_id)
        if after:
            query = query.where(groups.c.name > after)
        rows = self.conn.execute(query.order_by(groups.c.name).limit(limit))
        return [Group(**row._mapping) for row in rows]

    def update(self, group: Group) -> None:
        self.conn.execute(
            update(groups)
            .where(groups.c.pool_id == group.pool_id, groups.c.name == group.name)
            .values(**asdict(group))
        )

    def delete(self, pool_id: str, name: str) -> None:
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

    def of_user(
        self, user: User, after: str | None = None, limit: int | None = None
    ) -> list[Group]:
        """The user's groups in name order (all of them, for tokens: a statement built
        once, as sign-in asks on every call)."""
        query = _GROUPS_OF_USER
        if after:
            query = query.where(groups.c.name > after)
        if limit is not None:
            query = query.limit(limit)
        return [Group(**row._mapping) for row in self.conn.execute(query, {"user_id": user.id})]

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
        return load_users(self.conn, self.vault, self.conn.execute(query).all())
