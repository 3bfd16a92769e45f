"""Self-service password reset: ForgotPassword and ConfirmForgotPassword (and what
AdminResetUserPassword shares with them). The operations and the hosted pages both call
these, so the rules are decided once."""

from __future__ import annotations

from collections.abc import Callable

from recognito import errors
from recognito.crypto.credentials import Credentials
from recognito.domain import clients, messages, recovery, risk
from recognito.domain.codes import EXPIRED, Purpose
from recognito.domain.quotas import Quota
from recognito.domain.records import Pool, User
from recognito.domain.user_status import RESETTABLE, Status, check_enabled
from recognito.service import hooks, migration, threats
from recognito.service.codes import accept_code, refuse_code, send_code, simulated_delivery
from recognito.service.context import Services
from recognito.service.limits import subject, take
from recognito.service.lookups import (
    PublicCall,
    check_secret_hash,
    client_and_pool,
    find_user,
    identifiers,
    pool_and_user,
    public_call,
)
from recognito.service.passwords import (
    HistoryToCheck,
    check_history,
    checked_credentials,
    earlier_passwords,
    still_there,
    store_password,
)
from recognito.shapes import (
    AdminResetUserPasswordRequest,
    ConfirmForgotPasswordRequest,
    ConfirmForgotPasswordResponse,
    ForgotPasswordRequest,
    ForgotPasswordResponse,
)
from recognito.triggers.senders import Origin

CANNOT_RESET = "User password cannot be reset in the current state."


def reset_destination(pool: Pool, user: User) -> str:
    """The attribute a reset code goes to, or Cognito's error why there is none."""
    if user.status not in RESETTABLE:
        raise errors.NotAuthorizedException(CANNOT_RESET)
    return recovery.recovery_attribute(pool.config, user)


def reset_message(
    svc: Services,
    pool_id: str | None,
    username: str,
    public: ForgotPasswordRequest | None,
    req: AdminResetUserPasswordRequest | ForgotPasswordRequest,
) -> Callable[[str], messages.Text] | None:
    """CustomMessage_ForgotPassword (also for AdminResetUserPassword), run before the
    write when a reset code will go out; errors are left for the write to answer."""
    with svc.store.read() as tx:
        try:
            if public is not None:
                call = public_call(tx, public)
                pool, user, client_id = call.pool, call.user, call.client.id
            else:
                assert pool_id is not None
                pool, user = pool_and_user(tx, pool_id, username)
                client_id = None
        except errors.CognitoError:
            return None
    if not _gets_code(pool, user):
        return None
    assert user is not None
    try:
        attribute = reset_destination(pool, user)
    except errors.CognitoError:
        return None
    return hooks.verification_message(
        svc,
        pool,
        "CustomMessage_ForgotPassword",
        user.username,
        hooks.user_attributes(user),
        attribute,
        client_id,
        req.get("ClientMetadata"),
    )


def forgot_password(svc: Services, req: ForgotPasswordRequest) -> ForgotPasswordResponse:
    with svc.store.read() as tx:
        _, pool = client_and_pool(tx, req["ClientId"])
    render = None
    # the functions run before the write, each after a read of its own: only for a pool
    # that has them, so a plain reset costs no more than the client's row
    if migration.configured(svc, pool) or svc.triggers.arn(pool, "CustomMessage"):
        _migrate_unknown(svc, req)
        render = reset_message(svc, None, req["Username"], req, req)
    with svc.store.write() as tx:
        call = public_call(tx, req)
        pool, user = call.pool, call.user
        if recovery.admin_only(pool.config):
            raise errors.NotAuthorizedException("Contact administrator to reset password.")
        take(svc, tx, Quota.PASSWORD_RESET, subject(svc, pool, user, req["Username"]))
        if call.hides_existence and not _gets_code(pool, user):
            # unknown, disabled, unreachable and unresettable users look alike to a hiding
            # client: the same answer, the same work, the same quota
            details = simulated_delivery(
                svc,
                tx,
                pool,
                req["Username"],
                Purpose.PASSWORD_RESET,
                recovery.likely_attribute(pool.config),
            )
            return {"CodeDeliveryDetails": details}
        assert user is not None  # public_call refuses unknown users unless hiding
        check_enabled(user)
        attribute = reset_destination(pool, user)
        where = threats.context(svc, call.client, req)
        threats.record(svc, tx, pool, user, threats.Event("ForgotPassword", "Pass", where))
        origin = Origin("ForgotPassword", call.client.id, req.get("ClientMetadata"))
        return {
            "CodeDeliveryDetails": send_code(
                svc, tx, pool, user, Purpose.PASSWORD_RESET, attribute, origin=origin, text=render
            )
        }


def _migrate_unknown(svc: Services, req: ForgotPasswordRequest) -> None:
    """UserMigration_ForgotPassword for a name nobody has, read first and invoked with no
    transaction open; the user it creates (RESET_REQUIRED) then gets the code as any user
    would, and without one the usual unknown-name answer follows."""
    with svc.store.read() as tx:
        client, pool = client_and_pool(tx, req["ClientId"])
        if not migration.configured(svc, pool) or find_user(tx, pool, req["Username"]):
            return
        hides = clients.hides_user_existence(client.config)
        check_secret_hash(
            client, req.get("SecretHash"), identifiers(None, req["Username"]), auth=False
        )
    if recovery.admin_only(pool.config):
        return  # the usual refusal follows
    migration.migrate(
        svc,
        pool,
        migration.FORGOT_PASSWORD,
        req["Username"],
        client.id,
        password=None,
        validation=None,
        client_metadata=req.get("ClientMetadata"),
        hides_existence=hides,
    )


def _gets_code(pool: Pool, user: User | None) -> bool:
    return (
        user is not None
        and user.enabled
        and user.status in RESETTABLE
        and recovery.find_recovery_attribute(pool.config, user) is not None
    )


def confirm_forgot_password(
    svc: Services, req: ConfirmForgotPasswordRequest
) -> ConfirmForgotPasswordResponse:
    with svc.store.read() as tx:
        call = public_call(tx, req)
    pool, user = call.pool, call.user
    # the policy is checked and the password hashed for every caller, known or not:
    # neither the answer nor the time it takes tells who exists
    secrets = checked_credentials(pool, user.username if user else req["Username"], req["Password"])
    compromised = user is not None and threats.screen_password(
        svc, pool, call.client.id, req["Password"], risk.PASSWORD_CHANGE
    )
    try:
        reset = _confirm_forgot_password(
            svc, req, call, secrets, compromised, history_checked=False
        )
    except HistoryToCheck as signal:
        # only the holder of the right code learns whether the password was used before
        check_history(signal.hashes, req["Password"])
        reset = _confirm_forgot_password(svc, req, call, secrets, compromised, history_checked=True)
    if reset and user is not None:  # committed: a failing trigger keeps the new password
        hooks.post_confirmation(
            svc,
            pool,
            "PostConfirmation_ConfirmForgotPassword",
            user.id,
            call.client.id,
            req.get("ClientMetadata"),
        )
    return {}


def _confirm_forgot_password(
    svc: Services,
    req: ConfirmForgotPasswordRequest,
    call: PublicCall,
    secrets: Credentials,
    compromised: bool,
    *,
    history_checked: bool,
) -> bool:
    """Whether the password was reset (a wrong code commits its count and answers the
    error after COMMIT: False)."""
    pool, user = call.pool, call.user
    with svc.store.write() as tx:
        take(svc, tx, Quota.PASSWORD_RESET, subject(svc, pool, user, req["Username"]))
        if user is None or (call.hides_existence and not user.enabled):
            nobody = subject(svc, pool, None, req["Username"])
            refuse_code(svc, tx, nobody, Purpose.PASSWORD_RESET, req["ConfirmationCode"])
            return False
        current = still_there(tx, user)
        if current.status not in RESETTABLE:
            raise errors.ExpiredCodeException(EXPIRED)
        if accept_code(svc, tx, user.sub, Purpose.PASSWORD_RESET, req["ConfirmationCode"]):
            earlier = earlier_passwords(tx, pool, current)
            if earlier and not history_checked:
                raise HistoryToCheck(earlier)  # rolls back: the code and the quota unspent
            store_password(svc, tx, user, secrets, Status.CONFIRMED)
            where = threats.context(svc, call.client, req)
            event = threats.Event("PasswordChange", "Pass", where, compromised=compromised)
            threats.record(svc, tx, pool, user, event)
            return True
    return False
