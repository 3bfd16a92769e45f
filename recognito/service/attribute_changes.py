"""Changing a user's attributes: the rules UpdateUserAttributes, AdminUpdateUserAttributes
and the NEW_PASSWORD_REQUIRED challenge share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from recognito import errors
from recognito.domain import clients, messages, pools
from recognito.domain.attributes import (
    DELIVERY_MEDIUM,
    UNAUTHORIZED_WRITE,
    VERIFIABLE,
    check_attributes,
    normalize_attributes,
)
from recognito.domain.codes import Purpose
from recognito.domain.records import Pool, User
from recognito.service import hooks
from recognito.service.codes import channel_of, claim_alias, send_code
from recognito.service.context import Services
from recognito.service.lookups import identifies, sign_in_attributes
from recognito.shapes import CodeDeliveryDetailsType
from recognito.store.unit_of_work import UnitOfWork
from recognito.triggers.senders import Origin


def apply_changes(
    svc: Services,
    tx: UnitOfWork,
    pool: Pool,
    user: User,
    changes: dict[str, str],
    origin: Origin,
    admin: bool,
    custom: dict[str, Any] | None = None,
) -> list[CodeDeliveryDetailsType]:
    """Apply attribute changes; returns the CodeDeliveryDetails of the codes sent.

    A changed email/phone becomes unverified and, when the pool auto-verifies it, gets
    a code. If the pool holds updates until verified, a verified value stays in place
    and the new one waits with its code (docs/behaviour.md §11.4).
    """
    changes = checked_changes(pool, changes, admin)
    auto = pools.auto_verified(pool.config)
    held = pools.verified_before_update(pool.config)
    to_verify: dict[str, str | None] = {}  # attribute -> pending new value, if held back
    for attribute, flag in VERIFIABLE.items():
        if attribute not in changes or changes[attribute] == user.attributes.get(attribute):
            continue
        if changes.get(flag) == "true":
            continue  # an admin verifies the new value in the same call
        if attribute in held and attribute in auto and user.verified(attribute):
            to_verify[attribute] = changes.pop(attribute)
        else:
            changes[flag] = "false"
            to_verify[attribute] = None
    updated = replace(user, attributes={**user.attributes, **changes})
    # a name the user signs in with must stay theirs alone, however it came to be one
    for attribute in sign_in_attributes(pool.config):
        touched = attribute in changes or VERIFIABLE.get(attribute, "") in changes
        if touched and identifies(pool, updated, attribute):
            claim_alias(tx, pool, updated, attribute, force=False)
    tx.users.set_attributes(user.id, pool.id, changes)
    tx.users.update(user.id, modified_at=svc.clock.now())
    return [
        send_code(
            svc,
            tx,
            pool,
            updated,
            Purpose.verify(attribute),
            attribute,
            pending,
            origin=origin,
            text=_custom_text(pool, attribute, custom),
        )
        for attribute, pending in to_verify.items()
        if attribute in auto
    ]


def _custom_text(
    pool: Pool, attribute: str, custom: dict[str, Any] | None
) -> Callable[[str], messages.Text] | None:
    """The verification text as CustomMessage answered it (None: the pool's own)."""
    if custom is None:
        return None
    medium = DELIVERY_MEDIUM[attribute]
    return messages.customized(
        lambda code: messages.verification(pool.config, medium, code), medium, custom
    )


def change_message(
    svc: Services,
    pool: Pool,
    user: User,
    changes: dict[str, str],
    client_id: str | None,
    client_metadata: dict[str, str] | None,
) -> dict[str, Any] | None:
    """CustomMessage_UpdateUserAttribute's answer, asked (with no transaction open)
    when the changes will send a code; None otherwise or without the trigger."""
    auto = pools.auto_verified(pool.config)
    coded = [
        attribute
        for attribute, flag in VERIFIABLE.items()
        if attribute in auto
        and changes.get(attribute) not in (None, user.attributes.get(attribute))
        and changes.get(flag) != "true"
        and svc.triggers.sender(pool, channel_of(attribute)) is None  # its function's text
    ]
    if not coded:
        return None
    attributes = {**hooks.user_attributes(user), **changes}
    return hooks.custom_message(
        svc,
        pool,
        "CustomMessage_UpdateUserAttribute",
        user.username,
        attributes,
        client_id,
        client_metadata,
    )


def checked_changes(pool: Pool, changes: dict[str, str], admin: bool) -> dict[str, str]:
    """The changes as the schema takes them, or its error; only admins set verified flags."""
    schema = pool.config["SchemaAttributes"]
    changes = normalize_attributes(schema, changes)
    check_attributes(schema, changes, updating=True)
    if not admin and any(flag in changes for flag in VERIFIABLE.values()):
        raise errors.NotAuthorizedException(UNAUTHORIZED_WRITE)
    return changes


def check_writable(tx: UnitOfWork, client_id: str, names: Iterable[str]) -> None:
    """A user's own calls may only write what their app client's WriteAttributes allow."""
    client = tx.clients.get(client_id)
    writable = clients.writable(client.config) if client else None
    if writable is not None and not set(names) <= writable:
        raise errors.NotAuthorizedException(UNAUTHORIZED_WRITE)
