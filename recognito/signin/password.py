"""Signing in with a password: the USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH flow,
and the NEW_PASSWORD_REQUIRED challenge that a temporary password leads to."""

from __future__ import annotations

from recognito import errors
from recognito.crypto.passwords import hash_password, needs_rehash, verify_password
from recognito.domain.attributes import missing_required, required_error
from recognito.domain.records import User
from recognito.domain.risk import breached
from recognito.domain.user_status import Status, check_enabled
from recognito.service import hooks, migration, threats
from recognito.service.attribute_changes import apply_changes, check_writable, checked_changes
from recognito.service.lookups import find_user, unknown_user
from recognito.service.passwords import (
    checked_credentials,
    earlier_passwords,
    still_there,
    store_password,
)
from recognito.signin.attempt import Attempt
from recognito.signin.issuing import INVALID_SESSION, Answer
from recognito.signin.outcome import finish_sign_in, refuse_unknown
from recognito.store.unit_of_work import UnitOfWork
from recognito.triggers.senders import Origin


def password_flow(attempt: Attempt) -> Answer:
    svc, pool = attempt.svc, attempt.pool
    username = attempt.param("USERNAME")
    password = attempt.param("PASSWORD")
    with svc.store.read() as tx:
        user = find_user(tx, pool, username)
    attempt.prove_client(user, username)
    if user is None and migration.configured(svc, pool):
        return _migrated_sign_in(attempt, username, password)
    if user is not None:  # before the password is judged: its refusal counts no failure
        hooks.pre_authentication(
            svc, pool, user, attempt.client.id, attempt.metadata, attempt.hides_existence
        )
    # argon2 runs outside any transaction so sign-ins don't queue on the write lock;
    # it runs for unknown users too, so timing does not reveal who exists
    ok = verify_password(user.password_hash if user else None, password)
    if user is None:
        if attempt.hides_existence:
            refuse_unknown(attempt, username)
        raise unknown_user()
    if ok and user.password_hash and needs_rehash(user.password_hash):
        upgraded = hash_password(password)  # hashing parameters were raised since
        with svc.store.write() as tx:
            tx.users.update(user.id, password_hash=upgraded)
    # a breached password is judged where it is seen in the clear (not with SRP: Cognito
    # does not check SRP sign-ins either); only pools with threat protection look
    compromised = ok and threats.protected(pool) and breached(password)
    return finish_sign_in(attempt, user, ok, compromised=compromised)


def _migrated_sign_in(attempt: Attempt, username: str, password: str) -> Answer:
    """An unknown name in a pool with a UserMigration trigger: the function decides who
    the user is (and has judged the password: it becomes theirs); PreAuthentication and
    the rest of the sign-in then run as for any user. Without a migrated user the answer
    is the usual one for an unknown name."""
    svc, pool = attempt.svc, attempt.pool
    user = migration.migrate(
        svc,
        pool,
        migration.AUTHENTICATION,
        username,
        attempt.client.id,
        password=password,
        validation=attempt.metadata,
        client_metadata=None,  # InitiateAuth's ClientMetadata arrives as validationData
        hides_existence=attempt.hides_existence,
    )
    if user is None:
        refuse_unknown(attempt, username)
    hooks.pre_authentication(
        svc, pool, user, attempt.client.id, attempt.metadata, attempt.hides_existence
    )
    return finish_sign_in(attempt, user, True)


NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"


def answer_new_password(attempt: Attempt, handle: str | None) -> Answer:
    """NEW_PASSWORD_REQUIRED. A refusal by the schema or the password policy proves nothing
    about the user, so it leaves the session for another try; success spends it."""
    svc, pool = attempt.svc, attempt.pool
    with svc.store.read() as tx:
        _, user = attempt.answering(tx, handle, NEW_PASSWORD_REQUIRED, lock=False)
        _awaiting_new_password(user)
        given = _challenge_attributes(tx, attempt, user)
        earlier = earlier_passwords(tx, pool, user)
    # the policy and history checks and the hashing come before the write: no lock is held
    secrets = checked_credentials(
        pool, user.username, attempt.param("NEW_PASSWORD"), earlier=earlier
    )
    with svc.store.write() as tx:
        session, user = attempt.answering(tx, handle, NEW_PASSWORD_REQUIRED)
        _awaiting_new_password(user)  # again: the user may have changed since
        # a code for a changed email/phone reports the challenge's client, no metadata
        origin = Origin("UpdateUserAttribute", attempt.client.id, None)
        apply_changes(svc, tx, pool, user, given, origin, admin=False)
        store_password(svc, tx, user, secrets, Status.CONFIRMED)
        session.spend()
        confirmed = still_there(tx, user)
    return finish_sign_in(attempt, confirmed, True)


def _awaiting_new_password(user: User) -> None:
    if user.status != Status.FORCE_CHANGE_PASSWORD:
        raise errors.NotAuthorizedException(INVALID_SESSION)
    check_enabled(user)


def _challenge_attributes(tx: UnitOfWork, attempt: Attempt, user: User) -> dict[str, str]:
    """The `userAttributes.*` of the answer, checked as UpdateUserAttributes would check
    them; required ones that already have a value stay as they are (docs/behaviour.md §7.3), and
    afterwards no required one may be missing."""
    given = {
        k.removeprefix("userAttributes."): v
        for k, v in attempt.params.items()
        if k.startswith("userAttributes.")
    }
    schema = {entry["Name"]: entry for entry in attempt.pool.config["SchemaAttributes"]}
    for name in given:
        if schema.get(name, {}).get("Required") and user.attributes.get(name):
            raise errors.InvalidParameterException(
                f"Cannot modify the required attribute {name}: it already has a value."
            )
    check_writable(tx, attempt.client.id, given)
    checked_changes(attempt.pool, given, admin=False)
    missing = missing_required(list(schema.values()), {**user.attributes, **given})
    if missing:
        raise required_error(missing)
    return given
