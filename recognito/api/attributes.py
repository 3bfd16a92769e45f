"""User attributes: AdminUpdateUserAttributes, UpdateUserAttributes,
AdminDeleteUserAttributes, DeleteUserAttributes, GetUserAttributeVerificationCode,
VerifyUserAttribute."""

from __future__ import annotations

from dataclasses import replace

from recognito import errors
from recognito.domain.attributes import VERIFIABLE, refuse_developer_only
from recognito.domain.codes import Purpose
from recognito.domain.quotas import Quota
from recognito.domain.records import Pool, User
from recognito.service import hooks
from recognito.service.access import authorize
from recognito.service.attribute_changes import apply_changes, change_message, check_writable
from recognito.service.codes import accept_code, claim_alias, send_code
from recognito.service.context import Services
from recognito.service.limits import take
from recognito.service.lookups import attribute_map, pool_and_user
from recognito.service.registry import operation
from recognito.shapes import (
    AdminDeleteUserAttributesRequest,
    AdminDeleteUserAttributesResponse,
    AdminUpdateUserAttributesRequest,
    AdminUpdateUserAttributesResponse,
    DeleteUserAttributesRequest,
    DeleteUserAttributesResponse,
    GetUserAttributeVerificationCodeRequest,
    GetUserAttributeVerificationCodeResponse,
    UpdateUserAttributesRequest,
    UpdateUserAttributesResponse,
    VerifyUserAttributeRequest,
    VerifyUserAttributeResponse,
)
from recognito.store.unit_of_work import UnitOfWork
from recognito.triggers.senders import Origin


@operation("AdminUpdateUserAttributes")
def admin_update_user_attributes(
    svc: Services, req: AdminUpdateUserAttributesRequest
) -> AdminUpdateUserAttributesResponse:
    changes = attribute_map(req["UserAttributes"])
    with svc.store.read() as tx:
        pool, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
    # CustomMessage runs with no transaction open; the write reads the user again
    custom = change_message(svc, pool, user, changes, None, req.get("ClientMetadata"))
    with svc.store.write() as tx:
        pool, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        origin = Origin("UpdateUserAttribute", None, req.get("ClientMetadata"))
        apply_changes(svc, tx, pool, user, changes, origin, admin=True, custom=custom)
    return {}


@operation("UpdateUserAttributes")
def update_user_attributes(
    svc: Services, req: UpdateUserAttributesRequest
) -> UpdateUserAttributesResponse:
    changes = attribute_map(req["UserAttributes"])
    custom = None
    with svc.store.read() as tx:
        first = authorize(svc, tx, req["AccessToken"])
    if svc.triggers.arn(first.pool, "CustomMessage") is not None:  # no transaction open
        custom = change_message(
            svc, first.pool, first.user, changes, first.client_id, req.get("ClientMetadata")
        )
    with svc.store.write() as tx:
        caller = authorize(svc, tx, req["AccessToken"])
        check_writable(tx, caller.client_id, changes)
        refuse_developer_only(changes)
        origin = Origin("UpdateUserAttribute", caller.client_id, req.get("ClientMetadata"))
        sent = apply_changes(
            svc, tx, caller.pool, caller.user, changes, origin, admin=False, custom=custom
        )
    return {"CodeDeliveryDetailsList": sent}


def _delete(svc: Services, tx: UnitOfWork, pool: Pool, user: User, names: list[str]) -> None:
    schema = {entry["Name"]: entry for entry in pool.config["SchemaAttributes"]}
    for name in names:
        entry = schema.get(name)
        if entry is None:
            raise errors.InvalidParameterException(
                f"Attributes did not conform to the schema: Type for attribute {{{name}}} "
                "could not be determined"
            )
        if entry.get("Required") or not entry.get("Mutable", True):
            raise errors.InvalidParameterException(
                f"Attributes did not conform to the schema: {name}: The attribute is required"
                if entry.get("Required")
                else f"Attributes did not conform to the schema: {name}: Attribute cannot be "
                "updated. (changing an immutable attribute)"
            )
    # an attribute that goes takes its verified flag with it
    flags = [VERIFIABLE[n] for n in names if n in VERIFIABLE]
    tx.users.delete_attributes(user.id, [*names, *flags])
    tx.users.update(user.id, modified_at=svc.clock.now())  # a deletion changes the user too


@operation("AdminDeleteUserAttributes")
def admin_delete_user_attributes(
    svc: Services, req: AdminDeleteUserAttributesRequest
) -> AdminDeleteUserAttributesResponse:
    with svc.store.write() as tx:
        pool, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        _delete(svc, tx, pool, user, req["UserAttributeNames"])
    return {}


@operation("DeleteUserAttributes")
def delete_user_attributes(
    svc: Services, req: DeleteUserAttributesRequest
) -> DeleteUserAttributesResponse:
    with svc.store.write() as tx:
        caller = authorize(svc, tx, req["AccessToken"])
        check_writable(tx, caller.client_id, req["UserAttributeNames"])
        refuse_developer_only(req["UserAttributeNames"])
        _delete(svc, tx, caller.pool, caller.user, req["UserAttributeNames"])
    return {}


def _verifiable(user: User, attribute: str) -> None:
    if attribute not in VERIFIABLE or not user.attributes.get(attribute):
        raise errors.InvalidParameterException(
            f"Invalid attribute name: {attribute} cannot be verified for this user."
        )


@operation("GetUserAttributeVerificationCode")
def get_user_attribute_verification_code(
    svc: Services, req: GetUserAttributeVerificationCodeRequest
) -> GetUserAttributeVerificationCodeResponse:
    attribute = req["AttributeName"]
    render = None
    with svc.store.read() as tx:
        first = authorize(svc, tx, req["AccessToken"])
    if attribute in VERIFIABLE and first.user.attributes.get(attribute):  # no tx open
        render = hooks.verification_message(
            svc,
            first.pool,
            "CustomMessage_VerifyUserAttribute",
            first.user.username,
            hooks.user_attributes(first.user),
            attribute,
            first.client_id,
            req.get("ClientMetadata"),
        )
    with svc.store.write() as tx:
        caller = authorize(svc, tx, req["AccessToken"])
        _verifiable(caller.user, attribute)
        take(svc, tx, Quota.ATTRIBUTE_CODE, caller.user.sub)
        origin = Origin("VerifyUserAttribute", caller.client_id, req.get("ClientMetadata"))
        details = send_code(
            svc,
            tx,
            caller.pool,
            caller.user,
            Purpose.verify(attribute),
            attribute,
            origin=origin,
            text=render,
        )
    return {"CodeDeliveryDetails": details}


@operation("VerifyUserAttribute")
def verify_user_attribute(
    svc: Services, req: VerifyUserAttributeRequest
) -> VerifyUserAttributeResponse:
    attribute = req["AttributeName"]
    with svc.store.write() as tx:
        caller = authorize(svc, tx, req["AccessToken"])
        _verifiable(caller.user, attribute)
        take(svc, tx, Quota.VERIFY_ATTRIBUTE, caller.user.sub)
        code = accept_code(svc, tx, caller.user.sub, Purpose.verify(attribute), req["Code"])
        if code is not None:
            # a value held back until verified takes effect now
            value = code.pending_value or caller.user.attributes[attribute]
            verified = {attribute: value, VERIFIABLE[attribute]: "true"}
            user = replace(caller.user, attributes={**caller.user.attributes, **verified})
            claim_alias(tx, caller.pool, user, attribute, force=False)
            tx.users.set_attributes(user.id, caller.pool.id, verified)
    return {}
