"""Identity providers and the links of native users to them.

A provider's secret details (`client_secret`, Sign in with Apple's `private_key`) are
kept out of the `provider_details` JSON and sealed together in `secrets`, so the
database never holds them in the clear."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from recognito.domain.records import IdentityProvider, ProviderLink
from recognito.store.repositories._shared import Area, SecretArea, insert_unique
from recognito.store.tables import identity_providers, provider_links

SECRET_DETAILS = ("client_secret", "private_key")


class IdentityProviderRepository(SecretArea):
    """A pool's identity providers, by name (unique in the pool)."""

    def insert(self, provider: IdentityProvider) -> bool:
        """False when the pool has a provider with that name already."""
        result = insert_unique(self.conn, identity_providers, self._row(provider))
        if result is None:
            return False
        self._seal(provider)
        return True

    def get(self, pool_id: str, name: str) -> IdentityProvider | None:
        row = self.conn.execute(
            select(identity_providers).where(
                identity_providers.c.pool_id == pool_id,
                identity_providers.c.provider_name == name,
            )
        ).first()
        return self._record(row._mapping) if row else None

    def by_identifier(self, pool_id: str, identifier: str) -> IdentityProvider | None:
        """The provider naming `identifier` among its IdpIdentifiers (a pool keeps them
        unique). A pool has at most a few hundred providers: read and matched here, as
        JSON containment is spelt differently by each database."""
        for provider in self.list(pool_id):
            if identifier in provider.identifiers:
                return provider
        return None

    def list(self, pool_id: str) -> list[IdentityProvider]:
        """The pool's providers in name order (code point order: the databases' collations
        differ, and pages continue after a name compared here)."""
        rows = self.conn.execute(
            select(identity_providers).where(identity_providers.c.pool_id == pool_id)
        )
        return sorted((self._record(row._mapping) for row in rows), key=lambda p: p.name)

    def count(self, pool_id: str) -> int:
        return int(
            self.conn.execute(
                select(func.count())
                .select_from(identity_providers)
                .where(identity_providers.c.pool_id == pool_id)
            ).scalar_one()
        )

    def update(self, provider: IdentityProvider) -> None:
        values = self._row(provider)
        del values["pool_id"], values["provider_name"], values["created"]
        self.conn.execute(
            update(identity_providers)
            .where(
                identity_providers.c.pool_id == provider.pool_id,
                identity_providers.c.provider_name == provider.name,
            )
            .values(**values)
        )
        self._seal(provider)

    def delete(self, pool_id: str, name: str) -> None:
        self.conn.execute(
            delete(identity_providers).where(
                identity_providers.c.pool_id == pool_id,
                identity_providers.c.provider_name == name,
            )
        )

    def _row(self, provider: IdentityProvider) -> dict[str, Any]:
        return {
            "pool_id": provider.pool_id,
            "provider_name": provider.name,
            "provider_type": provider.type,
            "provider_details": {
                k: v for k, v in provider.details.items() if k not in SECRET_DETAILS
            },
            "secrets": None,  # sealed once the row has its id (_seal)
            "attribute_mapping": provider.attribute_mapping,
            "idp_identifiers": provider.identifiers,
            "created": provider.created.timestamp(),
            "modified": provider.modified.timestamp(),
        }

    def _seal(self, provider: IdentityProvider) -> None:
        """Seal the secret details to the row's id (which the insert just assigned)."""
        secrets = {k: v for k, v in provider.details.items() if k in SECRET_DETAILS}
        where = (
            identity_providers.c.pool_id == provider.pool_id,
            identity_providers.c.provider_name == provider.name,
        )
        row_id = self.conn.execute(select(identity_providers.c.id).where(*where)).scalar_one()
        sealed = (
            self.vault.seal(json.dumps(secrets), identity_providers.c.secrets, row_id)
            if secrets
            else None
        )
        self.conn.execute(
            update(identity_providers)
            .where(identity_providers.c.id == row_id)
            .values(secrets=sealed)
        )

    def _record(self, row: Any) -> IdentityProvider:
        details = dict(row["provider_details"])
        opened = self.vault.open(row["secrets"], identity_providers.c.secrets, row["id"])
        if opened is not None:
            details.update(json.loads(opened))
        return IdentityProvider(
            pool_id=row["pool_id"],
            name=row["provider_name"],
            type=row["provider_type"],
            details=details,
            attribute_mapping=dict(row["attribute_mapping"]),
            identifiers=list(row["idp_identifiers"]),
            created=datetime.fromtimestamp(row["created"], UTC),
            modified=datetime.fromtimestamp(row["modified"], UTC),
        )


class ProviderLinkRepository(Area):
    """Native users linked to identities at the pool's providers."""

    def insert(self, link: ProviderLink) -> bool:
        """False when that identity is linked (to any user) already."""
        values = {
            "pool_id": link.pool_id,
            "provider_name": link.provider_name,
            "attribute_name": link.attribute_name,
            "attribute_value": link.attribute_value,
            "user_id": link.user_id,
            "created": link.created,
        }
        return insert_unique(self.conn, provider_links, values) is not None

    def find(self, pool_id: str, provider_name: str, attribute_value: str) -> int | None:
        """The id of the native user linked to this identity (any attribute name: OIDC
        and social providers link on `Cognito_Subject` only)."""
        return self.conn.execute(
            select(provider_links.c.user_id)
            .where(
                provider_links.c.pool_id == pool_id,
                provider_links.c.provider_name == provider_name,
                provider_links.c.attribute_value == attribute_value,
            )
            .order_by(provider_links.c.attribute_name)
            .limit(1)
        ).scalar()

    def find_named(
        self, pool_id: str, provider_name: str, attribute_name: str, value: str
    ) -> int | None:
        """The id of the native user linked on this attribute name and value (SAML links
        on any attribute of the assertion)."""
        return self.conn.execute(
            select(provider_links.c.user_id).where(
                provider_links.c.pool_id == pool_id,
                provider_links.c.provider_name == provider_name,
                provider_links.c.attribute_name == attribute_name,
                provider_links.c.attribute_value == value,
            )
        ).scalar()

    def of_user(self, user_id: int) -> list[ProviderLink]:
        """The user's links, oldest first."""
        rows = self.conn.execute(
            select(provider_links)
            .where(provider_links.c.user_id == user_id)
            .order_by(provider_links.c.created, provider_links.c.provider_name)
        )
        return [ProviderLink(**row._mapping) for row in rows]

    def of_users(self, user_ids: list[int]) -> dict[int, list[ProviderLink]]:
        """Links of several users at once (ListUsers): by user id, oldest first."""
        found: dict[int, list[ProviderLink]] = {}
        if not user_ids:
            return found
        rows = self.conn.execute(
            select(provider_links)
            .where(provider_links.c.user_id.in_(user_ids))
            .order_by(provider_links.c.created, provider_links.c.provider_name)
        )
        for row in rows:
            found.setdefault(row.user_id, []).append(ProviderLink(**row._mapping))
        return found

    def remove(self, pool_id: str, provider_name: str, attribute_name: str, value: str) -> bool:
        """False when there was no such link."""
        result = self.conn.execute(
            delete(provider_links).where(
                provider_links.c.pool_id == pool_id,
                provider_links.c.provider_name == provider_name,
                provider_links.c.attribute_name == attribute_name,
                provider_links.c.attribute_value == value,
            )
        )
        return bool(result.rowcount)

    def remove_provider(self, pool_id: str, provider_name: str) -> None:
        """Every link to a provider (it was deleted)."""
        self.conn.execute(
            delete(provider_links).where(
                provider_links.c.pool_id == pool_id,
                provider_links.c.provider_name == provider_name,
            )
        )
