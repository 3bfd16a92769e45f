"""Self-service sign-up: SignUp, ConfirmSignUp, ResendConfirmationCode, and AdminConfirmSignUp."""

from __future__ import annotations

from recognito import errors
from recognito.crypto.credentials import credentials
from recognito.domain import pools, risk
from recognito.domain.attributes import (
    VERIFIABLE,
    check_attributes,
    missing_required,
    normalize_attributes,
    required_error,
)
from recognito.domain.codes import Purpose
from recognito.domain.password_policy import PasswordContext, check_password
from recognito.domain.quotas import Quota
from recognito.domain.records import Pool, User
from recognito.domain.user_status import Status, check_confirmable
from recognito.service import threats
from recognito.service.codes import (
    accept_code,
    claim_alias,
    refuse_code,
    send_code,
    simulated_delivery,
)
from recognito.service.context import Services
from recognito.service.identity import new_user_identity
from recognito.service.limits import subject, take
from recognito.service.lookups import (
    attribute_map,
    check_secret_hash,
    client_and_pool,
    pool_and_user,
    public_call,
)
from recognito.service.registry import operation
from recognito.shapes import (
    AdminConfirmSignUpRequest,
    AdminConfirmSignUpResponse,
    ConfirmSignUpRequest,
    ConfirmSignUpResponse,
    ResendConfirmationCodeRequest,
    ResendConfirmationCodeResponse,
    SignUpRequest,
    SignUpResponse,
)


def confirmation_attribute(pool: Pool, user: User) -> str | None:
    """Where the sign-up code goes: SMS wins when both are auto-verified
    (docs/behaviour.md §11.3)."""
    for attribute in ("phone_number", "email"):
        if attribute in pools.auto_verified(pool.config) and user.attributes.get(attribute):
            return attribute
    return None


@operation("SignUp")
def sign_up(svc: Services, req: SignUpRequest) -> SignUpResponse:
    with svc.store.read() as tx:
        client, pool = client_and_pool(tx, req["ClientId"])
    check_secret_hash(client, req.get("SecretHash"), [req["Username"]], auth=False)
    if pools.admin_create_only(pool.config):
        raise errors.NotAuthorizedException("SignUp is not permitted for this user pool")
    schema = pool.config["SchemaAttributes"]
    attributes = normalize_attributes(schema, attribute_map(req.get("UserAttributes")))
    check_attributes(schema, attributes, updating=False)
    for name in VERIFIABLE.values():
        attributes.pop(name, None)  # only a code verifies an attribute at sign-up
    identity = new_user_identity(pool, req["Username"], attributes)
    missing = missing_required(schema, identity.attributes)
    if missing:
        raise required_error(missing)
    if not req.get("Password"):
        raise errors.InvalidParameterException("Missing required parameter Password")
    check_password(pools.password_policy(pool.config), req["Password"], PasswordContext.SIGN_UP)
    compromised = threats.screen_password(svc, pool, client.id, req["Password"], risk.SIGN_UP)
    secrets = credentials(pool.id, identity.username, req["Password"])
    now = svc.clock.now()
    with svc.store.write() as tx:
        user = identity.insert(
            tx, Status.UNCONFIRMED, secrets, None, now, exists="User already exists"
        )
        where = threats.context(svc, client, req)
        event = threats.Event("SignUp", "Pass", where, compromised=compromised)
        threats.record(svc, tx, pool, user, event)
        attribute = confirmation_attribute(pool, user)
        answer: SignUpResponse = {"UserConfirmed": False, "UserSub": user.sub}
        if attribute:
            answer["CodeDeliveryDetails"] = send_code(
                svc, tx, pool, user, Purpose.SIGN_UP, attribute
            )
    return answer


@operation("ConfirmSignUp")
def confirm_sign_up(svc: Services, req: ConfirmSignUpRequest) -> ConfirmSignUpResponse:
    with svc.store.write() as tx:
        call = public_call(tx, req)
        pool, user = call.pool, call.user
        take(svc, tx, Quota.CONFIRM_SIGN_UP, subject(svc, pool, user, req["Username"]))
        if user is None:
            nobody = subject(svc, pool, None, req["Username"])
            refuse_code(svc, tx, nobody, Purpose.SIGN_UP, req["ConfirmationCode"])
            return {}
        check_confirmable(user)
        if accept_code(svc, tx, user.sub, Purpose.SIGN_UP, req["ConfirmationCode"]):
            attribute = confirmation_attribute(pool, user)
            if attribute:
                claim_alias(tx, pool, user, attribute, bool(req.get("ForceAliasCreation")))
                tx.users.set_attributes(user.id, pool.id, {VERIFIABLE[attribute]: "true"})
            tx.users.update(user.id, status=Status.CONFIRMED, modified_at=svc.clock.now())
    return {}


@operation("ResendConfirmationCode")
def resend_confirmation_code(
    svc: Services, req: ResendConfirmationCodeRequest
) -> ResendConfirmationCodeResponse:
    with svc.store.write() as tx:
        call = public_call(tx, req)
        pool, user = call.pool, call.user
        take(svc, tx, Quota.RESEND_SIGN_UP_CODE, subject(svc, pool, user, req["Username"]))
        call_context = threats.context(svc, call.client, req)
        if user is None or (call.hides_existence and not user.enabled):
            likely = (
                "phone_number" if "phone_number" in pools.auto_verified(pool.config) else "email"
            )
            details = simulated_delivery(svc, tx, pool, req["Username"], Purpose.SIGN_UP, likely)
            return {"CodeDeliveryDetails": details}
        if user.status != Status.UNCONFIRMED:
            raise errors.InvalidParameterException("User is already confirmed.")
        attribute = confirmation_attribute(pool, user)
        if attribute is None:
            raise errors.InvalidParameterException(
                "Cannot resend codes. Auto verification not turned on."
            )
        threats.record(svc, tx, pool, user, threats.Event("ResendCode", "Pass", call_context))
        return {"CodeDeliveryDetails": send_code(svc, tx, pool, user, Purpose.SIGN_UP, attribute)}


@operation("AdminConfirmSignUp")
def admin_confirm_sign_up(
    svc: Services, req: AdminConfirmSignUpRequest
) -> AdminConfirmSignUpResponse:
    with svc.store.write() as tx:
        _, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        check_confirmable(user)
        tx.users.update(user.id, status=Status.CONFIRMED, modified_at=svc.clock.now())
    return {}
