"""The UserMigration trigger (reference §7.7): a password sign-in or ForgotPassword names
nobody in the pool, so the pool's function is asked for the user; what it answers
becomes a new user.

The function runs with no transaction open (the runner asserts it): the caller has read
and found nobody, this module invokes, then writes the new user in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from recognito import errors
from recognito.crypto.credentials import NONE, credentials
from recognito.domain import messages, mfa
from recognito.domain.attributes import check_attributes, normalize_attributes
from recognito.domain.mfa import MfaSettings
from recognito.domain.records import Pool, User
from recognito.domain.user_status import INCORRECT, Status
from recognito.service.codes import queue_message
from recognito.service.context import Services
from recognito.service.identity import new_user_identity
from recognito.triggers import Call
from recognito.triggers.runner import UNRECOGNIZABLE

log = logging.getLogger("recognito.triggers")

AUTHENTICATION = "UserMigration_Authentication"
FORGOT_PASSWORD = "UserMigration_ForgotPassword"
# the response Cognito pre-fills (reference §7.7, with nulls)
_PREFILLED: dict[str, Any] = {
    "userAttributes": None,
    "finalUserStatus": None,
    "messageAction": None,
    "desiredDeliveryMediums": None,
    "forceAliasCreation": None,
    "enableSMSMFA": None,
}


def configured(svc: Services, pool: Pool) -> bool:
    return svc.triggers.arn(pool, "UserMigration") is not None


def migrate(
    svc: Services,
    pool: Pool,
    source: str,
    typed: str,
    client_id: str,
    *,
    password: str | None,
    validation: Mapping[str, str] | None,
    client_metadata: Mapping[str, str] | None,
    hides_existence: bool,
) -> User | None:
    """The user the function migrates, created; None when the pool has no UserMigration
    trigger, or when its function failed and the client hides who exists (the caller
    then answers as for any unknown name).

    `password` is the one typed at sign-in (None for ForgotPassword): with
    finalUserStatus CONFIRMED it becomes the user's password, not judged by the pool's
    policy (as Cognito does); any other status is RESET_REQUIRED, without a password."""
    if not configured(svc, pool):
        return None
    request: dict[str, Any] = {}
    if password is not None:
        request["password"] = password
    request["validationData"] = dict(validation) if validation is not None else None
    if client_metadata is not None:
        request["clientMetadata"] = dict(client_metadata)
    call = Call(
        "UserMigration",
        source,
        typed,
        client_id,
        svc.caller.user_agent,
        request,
        dict(_PREFILLED),
    )
    not_migrated = errors.UserNotFoundException(
        f"Exception migrating user in app client {client_id}"
    )
    try:
        answer = svc.triggers.run(pool, call)
    except errors.UserLambdaValidationException:
        # the function threw (typically "not in the legacy store"): Cognito answers as for
        # a name nobody has, in the form observed for migration (reference §7.7)
        if hides_existence:
            return None
        raise not_migrated from None
    try:
        return _create(svc, pool, typed, password, answer or {}, source)
    except _Unusable:
        if hides_existence:
            return None
        if source == AUTHENTICATION:  # observed: refused as a wrong password is (§7.7)
            raise errors.NotAuthorizedException(INCORRECT) from None
        raise not_migrated from None


class _Unusable(Exception):
    """The function's answer names no user this pool can hold."""


def _create(
    svc: Services,
    pool: Pool,
    typed: str,
    password: str | None,
    answer: dict[str, Any],
    source: str,
) -> User:
    attributes = _attributes(pool, answer.get("userAttributes"))
    confirmed = source == AUTHENTICATION and answer.get("finalUserStatus") == "CONFIRMED"
    welcome = _welcome_mediums(answer)
    sms_mfa = answer.get("enableSMSMFA") is True
    if sms_mfa:
        _check_sms_mfa(pool, attributes)
    try:
        identity = new_user_identity(pool, typed, attributes)
    except errors.InvalidParameterException:  # e.g. a username attribute pool and a plain name
        raise _Unusable from None
    # argon2 and the SRP verifier are computed before the write transaction
    secrets = (
        credentials(pool.id, identity.username, password)
        if confirmed and password is not None
        else NONE
    )
    with svc.store.write() as tx:
        user = identity.insert(
            tx,
            Status.CONFIRMED if confirmed else Status.RESET_REQUIRED,
            secrets,
            None,
            svc.clock.now(),
            exists="User account already exists",
            force_alias=answer.get("forceAliasCreation") is True,
        )
        if sms_mfa:  # on, not preferred: the only factor, so every sign-in asks for it
            tx.mfa.save(user.id, MfaSettings(sms_enabled=True))
        for medium, attribute in messages.reachable_mediums(user.attributes, welcome):
            text = messages.welcome(medium, typed, confirmed=confirmed)
            queue_message(svc, tx, pool, attribute, user.attributes[attribute], text, "welcome")
        return user


def _welcome_mediums(answer: dict[str, Any]) -> list[str]:
    """Where the welcome goes: nowhere with messageAction SUPPRESS, else by each of
    desiredDeliveryMediums (default SMS, as AdminCreateUser's invitation). A medium other
    than SMS or EMAIL is an answer Cognito's model cannot hold."""
    if answer.get("messageAction") == "SUPPRESS":
        return []
    mediums = answer.get("desiredDeliveryMediums") or ["SMS"]
    if not all(medium in ("SMS", "EMAIL") for medium in mediums):
        raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
    return list(dict.fromkeys(mediums))


def _check_sms_mfa(pool: Pool, attributes: dict[str, str]) -> None:
    """enableSMSMFA needs a pool whose MFA is on (ON or OPTIONAL, with SMS) and a phone
    number; otherwise the answer names a user this pool cannot hold as asked."""
    config = pool.config
    if (config.get("MfaConfiguration") or "OFF") == "OFF" or mfa.SMS not in mfa.pool_factors(
        config
    ):
        log.warning("pool %s: UserMigration enableSMSMFA, but the pool has no SMS MFA", pool.id)
        raise _Unusable
    if not attributes.get("phone_number"):
        log.warning("pool %s: UserMigration enableSMSMFA for a user with no phone", pool.id)
        raise _Unusable


def _attributes(pool: Pool, given: Any) -> dict[str, str]:
    """The function's userAttributes as the pool's schema takes them. Without usable ones
    Cognito refuses the sign-in as a wrong password would be refused (§7.7)."""
    if (
        not isinstance(given, dict)
        or not given
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in given.items())
    ):
        raise _Unusable
    # `username` and `sub` are Cognito's to set, not attributes of the schema
    wanted = {k: v for k, v in given.items() if k not in ("username", "sub")}
    schema = pool.config["SchemaAttributes"]
    try:
        attributes = normalize_attributes(schema, wanted)
        check_attributes(schema, attributes, updating=False)
    except errors.InvalidParameterException:
        raise _Unusable from None
    return attributes
