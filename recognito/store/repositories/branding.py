"""Branding of the hosted pages (classic and managed login) and the terms documents."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from recognito.domain.records import ManagedLoginBranding, TermsDocument, UICustomization
from recognito.store.repositories._shared import Area, insert_unique, upsert
from recognito.store.tables import managed_login_brandings, terms_documents, ui_customizations


class UICustomizationRepository(Area):
    """Classic branding by (pool, client id or 'ALL')."""

    def put(self, item: UICustomization) -> None:
        upsert(self.conn, ui_customizations, asdict(item), ("pool_id", "client_id"))

    def get(self, pool_id: str, client_id: str) -> UICustomization | None:
        row = self.conn.execute(
            select(ui_customizations).where(
                ui_customizations.c.pool_id == pool_id,
                ui_customizations.c.client_id == client_id,
            )
        ).first()
        return UICustomization(**row._mapping) if row else None

    def effective(self, pool_id: str, client_id: str) -> UICustomization | None:
        """The client's own setting, else the pool default."""
        own = self.get(pool_id, client_id)
        return own if own is not None else self.get(pool_id, "ALL")

    def delete(self, pool_id: str, client_id: str) -> None:
        self.conn.execute(
            delete(ui_customizations).where(
                ui_customizations.c.pool_id == pool_id,
                ui_customizations.c.client_id == client_id,
            )
        )


class ManagedLoginBrandingRepository(Area):
    """Managed-login styles, one per app client."""

    def insert(self, item: ManagedLoginBranding) -> bool:
        """False when the client has a style already."""
        return insert_unique(self.conn, managed_login_brandings, asdict(item)) is not None

    def get(self, pool_id: str, branding_id: str) -> ManagedLoginBranding | None:
        return self._one(
            managed_login_brandings.c.pool_id == pool_id,
            managed_login_brandings.c.id == branding_id,
        )

    def of_client(self, pool_id: str, client_id: str) -> ManagedLoginBranding | None:
        return self._one(
            managed_login_brandings.c.pool_id == pool_id,
            managed_login_brandings.c.client_id == client_id,
        )

    def count(self, pool_id: str) -> int:
        return int(
            self.conn.execute(
                select(func.count())
                .select_from(managed_login_brandings)
                .where(managed_login_brandings.c.pool_id == pool_id)
            ).scalar_one()
        )

    def update(self, item: ManagedLoginBranding) -> None:
        self.conn.execute(
            update(managed_login_brandings)
            .where(managed_login_brandings.c.id == item.id)
            .values(**asdict(item))
        )

    def delete(self, branding_id: str) -> None:
        self.conn.execute(
            delete(managed_login_brandings).where(managed_login_brandings.c.id == branding_id)
        )

    def delete_of_client(self, pool_id: str, client_id: str) -> None:
        self.conn.execute(
            delete(managed_login_brandings).where(
                managed_login_brandings.c.pool_id == pool_id,
                managed_login_brandings.c.client_id == client_id,
            )
        )

    def _one(self, *where: object) -> ManagedLoginBranding | None:
        row = self.conn.execute(select(managed_login_brandings).where(*where)).first()  # type: ignore[arg-type]
        return ManagedLoginBranding(**row._mapping) if row else None


class TermsRepository(Area):
    """Terms documents, one of each name per app client."""

    def insert(self, item: TermsDocument) -> bool:
        """False when the client has a document of that name already."""
        return insert_unique(self.conn, terms_documents, asdict(item)) is not None

    def get(self, pool_id: str, terms_id: str) -> TermsDocument | None:
        row = self.conn.execute(
            select(terms_documents).where(
                terms_documents.c.pool_id == pool_id, terms_documents.c.id == terms_id
            )
        ).first()
        return TermsDocument(**row._mapping) if row else None

    def of_client(self, pool_id: str, client_id: str) -> list[TermsDocument]:
        rows = self.conn.execute(
            select(terms_documents)
            .where(terms_documents.c.pool_id == pool_id, terms_documents.c.client_id == client_id)
            .order_by(terms_documents.c.terms_name)
        )
        return [TermsDocument(**row._mapping) for row in rows]

    def page(self, pool_id: str, after: str | None, limit: int) -> list[TermsDocument]:
        query = select(terms_documents).where(terms_documents.c.pool_id == pool_id)
        if after:
            query = query.where(terms_documents.c.id > after)
        query = query.order_by(terms_documents.c.id).limit(limit)
        return [TermsDocument(**row._mapping) for row in self.conn.execute(query)]

    def update(self, item: TermsDocument) -> bool:
        """False when the new name is taken by another document of the client."""
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    update(terms_documents)
                    .where(terms_documents.c.id == item.id)
                    .values(**asdict(item))
                )
        except IntegrityError:
            return False
        return True

    def delete(self, terms_id: str) -> None:
        self.conn.execute(delete(terms_documents).where(terms_documents.c.id == terms_id))

    def delete_of_client(self, pool_id: str, client_id: str) -> None:
        self.conn.execute(
            delete(terms_documents).where(
                terms_documents.c.pool_id == pool_id, terms_documents.c.client_id == client_id
            )
        )
