"""Which columns hold sealed secrets, and the one place they are sealed and opened.

Repositories seal what they write and open what they read through a `Vault`, so the
layers above see plaintext and the database holds only `recognito.crypto.at_rest`
envelopes. `reseal` walks every sealed column: it seals plaintext left by a version
before secrets at rest, and re-seals under a new key when the master key is rotated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Column, ColumnElement, Connection, Table, select, true, update

from recognito.crypto.at_rest import BrokenSecret, MasterKey, sealed_kid
from recognito.store.tables import (
    clients,
    devices,
    identity_providers,
    meta,
    mfa_settings,
    saml_certificates,
    signing_keys,
    users,
)


@dataclass(frozen=True)
class SealedColumn:
    column: Column[str]
    # the row's key, part of the associated data so a value cannot move between rows;
    # None where the value binds its row itself (an SRP verifier is computed from the
    # username, so it proves nothing in another user's row)
    row_key: Column[object] | None
    only: ColumnElement[bool] | None = None  # the rows that hold a secret, if not all
    hex: bool = False  # hex digits, sealed as the bytes they spell: half the size to open

    @property
    def table(self) -> Table:
        table = self.column.table
        assert isinstance(table, Table)
        return table


DIGEST_KEY = "secret_key"  # its row in `meta`

SEALED = (
    # the digest key of codes, sessions and refresh tokens
    SealedColumn(meta.c.value, meta.c.key, meta.c.key == DIGEST_KEY),
    SealedColumn(clients.c.secret, clients.c.id),
    SealedColumn(clients.c.next_secret, clients.c.id),
    SealedColumn(users.c.srp_verifier, None, hex=True),
    SealedColumn(devices.c.verifier, None, hex=True),  # computed from the device key
    SealedColumn(mfa_settings.c.totp_secret, mfa_settings.c.user_id),
    SealedColumn(mfa_settings.c.totp_pending, mfa_settings.c.user_id),
    SealedColumn(signing_keys.c.private_pem, signing_keys.c.kid),
    SealedColumn(identity_providers.c.secrets, identity_providers.c.id),
    SealedColumn(saml_certificates.c.private_key, saml_certificates.c.pool_id),
)


def place(column: Column[str], row: object = None) -> str:
    """What a value is sealed to: its table and column, and its row's key if it has one."""
    where = f"{column.table.name}.{column.name}"
    return where if row is None else f"{where}:{row}"


class Vault:
    """Seals and opens the secrets of one store with its master key."""

    def __init__(self, key: MasterKey | None) -> None:
        self._key = key

    @property
    def key(self) -> MasterKey:
        if self._key is None:  # a store opened for what holds no secrets (the outbox)
            raise BrokenSecret("this store was opened without the master key")
        return self._key

    def seal(self, value: str | None, column: Column[str], row: object = None) -> str | None:
        return None if value is None else self.key.seal(value.encode(), place(column, row))

    def open(self, value: str | None, column: Column[str], row: object = None) -> str | None:
        return None if value is None else self.key.open(value, place(column, row)).decode()

    def seal_hex(self, value: str | None, column: Column[str]) -> str | None:
        return None if value is None else self.key.seal(_hex_bytes(value), place(column))

    def open_hex(self, value: str | None, column: Column[str]) -> str | None:
        return None if value is None else self.key.open(value, place(column)).hex()


def reseal(
    conn: Connection,
    new: MasterKey,
    old: MasterKey | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """Seal every secret under `new`: plaintext (from before secrets at rest) and what
    `old` sealed; what `new` sealed already is left. In the caller's transaction, so a
    rotation is all or nothing. Returns how many values were written."""
    written = 0
    for sealed in SEALED:
        count = 0
        key_column = sealed.row_key if sealed.row_key is not None else _primary(sealed.table)
        rows = conn.execute(
            select(key_column, sealed.column).where(
                sealed.column.is_not(None), true() if sealed.only is None else sealed.only
            )
        ).all()
        for row_id, value in rows:
            kid = sealed_kid(value)
            if kid == new.kid:
                continue
            bound = row_id if sealed.row_key is not None else None
            where = place(sealed.column, bound)
            if kid is None:
                plaintext = _hex_bytes(value) if sealed.hex else value.encode()
            elif old is not None:
                plaintext = old.open(value, where)
            else:
                raise BrokenSecret(f"{where} is sealed with master key {kid}, not {new.kid}")
            conn.execute(
                update(sealed.table)
                .where(key_column == row_id)
                .values({sealed.column.name: new.seal(plaintext, where)})
            )
            count += 1
        if progress is not None:
            progress(place(sealed.column), count)
        written += count
    return written


def _hex_bytes(digits: str) -> bytes:
    """The number's bytes; an odd count of digits gets a leading zero (the value is read
    as a number, so it is the same)."""
    return bytes.fromhex(digits.zfill(len(digits) + len(digits) % 2))


def _primary(table: Table) -> Column[object]:
    (column,) = table.primary_key.columns
    return column
