"""Self-service sign-up: SignUp, ConfirmSignUp and ResendConfirmationCode. The operations
and the hosted pages both call these, so the rules are decided once."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from functools import partial
from urllib.parse import urlencode

from recognito import errors
from recognito.crypto.credentials import NONE as NO_PASSWORD
from recognito.crypto.credentials import credentials
from recognito.domain import messages, pool_domains, pools, risk
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
from recognito.service import hooks, threats
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
    public_call,
)
from recognito.shapes import (
    ConfirmSignUpRequest,
    ConfirmSignUpResponse,
    ResendConfirmationCodeRequest,
    ResendConfirmationCodeResponse,
    SignUpRequest,
    SignUpResponse,
)
from recognito.triggers.senders import Origin

_log = logging.getLogger(__name__)


def confirmation_attribute(pool: Pool, user: User) -> str | None:
    """Where the sign-up code goes: SMS wins when both are auto-verified
    (docs/behaviour.md §11.3)."""
    return _confirmation_target(pool, user.attributes)


def _confirmation_target(pool: Pool, attributes: dict[str, str]) -> str | None:
    for attribute in ("phone_number", "email"):
        if attribute in pools.auto_verified(pool.config) and attributes.get(attribute):
            return attribute
    return None


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
    password = req.get("Password")
    compromised = False
    if password:
        check_password(pools.password_policy(pool.config), password, PasswordContext.SIGN_UP)
        compromised = threats.screen_password(svc, pool, client.id, password, risk.SIGN_UP)
        secrets = credentials(pool.id, identity.username, password)
    elif pools.passwordless(pool.config):
        secrets = NO_PASSWORD  # signs in by a one-time code (USER_AUTH) once confirmed
    else:
        raise errors.InvalidParameterException("Missing required parameter Password")
    # PreSignUp runs with no transaction open; its error leaves nothing written
    decision = hooks.pre_sign_up(
        svc,
        pool,
        "PreSignUp_SignUp",
        identity.username,
        identity.attributes,
        client.id,
        req.get("ValidationData"),
        req.get("ClientMetadata"),
    )
    if decision.verified:
        verified = hooks.verified_attributes(decision)
        identity = dataclasses.replace(identity, attributes={**identity.attributes, **verified})
    status = Status.CONFIRMED if decision.confirm else Status.UNCONFIRMED
    target = None if decision.confirm else _confirmation_target(pool, identity.attributes)
    render = None
    if target is not None:  # CustomMessage, before the write: its error creates nobody
        render = _confirmation_text(
            svc,
            pool,
            "CustomMessage_SignUp",
            identity.username,
            {**identity.attributes, "cognito:user_status": status},
            target,
            client.id,
            req.get("ClientMetadata"),
        )
    now = svc.clock.now()
    with svc.store.write() as tx:
        # an auto-verified email/phone alias is claimed, as a confirmation would
        user = identity.insert(
            tx,
            status,
            secrets,
            None,
            now,
            exists="User already exists",
            force_alias=bool(decision.verified),
        )
        where = threats.context(svc, client, req)
        event = threats.Event("SignUp", "Pass", where, compromised=compromised)
        threats.record(svc, tx, pool, user, event)
        answer: SignUpResponse = {"UserConfirmed": decision.confirm, "UserSub": user.sub}
        if target:
            answer["CodeDeliveryDetails"] = send_code(
                svc,
                tx,
                pool,
                user,
                Purpose.SIGN_UP,
                target,
                origin=Origin("SignUp", client.id, req.get("ClientMetadata")),
                text=render,
            )
    if decision.confirm:  # auto-confirmed: PostConfirmation, without the ClientMetadata
        hooks.post_confirmation(
            svc, pool, "PostConfirmation_ConfirmSignUp", user.id, client.id, None
        )
    return answer


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
        confirmed = accept_code(svc, tx, user.sub, Purpose.SIGN_UP, req["ConfirmationCode"])
        if confirmed:
            attribute = confirmation_attribute(pool, user)
            if attribute:
                claim_alias(tx, pool, user, attribute, bool(req.get("ForceAliasCreation")))
                tx.users.set_attributes(user.id, pool.id, {VERIFIABLE[attribute]: "true"})
            tx.users.update(user.id, status=Status.CONFIRMED, modified_at=svc.clock.now())
    if confirmed:  # committed: a failing PostConfirmation leaves the user confirmed
        hooks.post_confirmation(
            svc,
            pool,
            "PostConfirmation_ConfirmSignUp",
            user.id,
            req["ClientId"],
            req.get("ClientMetadata"),
        )
    return {}


def resend_confirmation_code(
    svc: Services, req: ResendConfirmationCodeRequest
) -> ResendConfirmationCodeResponse:
    render = _resend_message(svc, req)
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
        origin = Origin("ResendCode", call.client.id, req.get("ClientMetadata"))
        details = send_code(
            svc, tx, pool, user, Purpose.SIGN_UP, attribute, origin=origin, text=render
        )
        return {"CodeDeliveryDetails": details}


def _resend_message(
    svc: Services, req: ResendConfirmationCodeRequest
) -> Callable[[str], messages.Text] | None:
    """CustomMessage_ResendCode, run before the write when a code will go out (read
    first, with no transaction kept open; the write checks everything again)."""
    with svc.store.read() as tx:
        try:
            call = public_call(tx, req)
        except errors.CognitoError:
            return None  # the write answers it
    pool, user = call.pool, call.user
    if user is None or (call.hides_existence and not user.enabled):
        return None
    if user.status != Status.UNCONFIRMED:
        return None
    attribute = confirmation_attribute(pool, user)
    if attribute is None:
        return None
    return _confirmation_text(
        svc,
        pool,
        "CustomMessage_ResendCode",
        user.username,
        hooks.user_attributes(user),
        attribute,
        call.client.id,
        req.get("ClientMetadata"),
    )


def _confirmation_text(
    svc: Services,
    pool: Pool,
    source: str,
    username: str,
    attributes: Mapping[str, str],
    attribute: str,
    client_id: str,
    client_metadata: Mapping[str, str] | None,
) -> Callable[[str], messages.Text] | None:
    """The sign-up confirmation message, run through CustomMessage (`source`): the pool's
    code text (None: send_code's default) or, for an email of a CONFIRM_WITH_LINK pool,
    its link text with `{##text##}` made a link to the domain's /confirmUser page."""
    custom = partial(
        hooks.verification_message,
        svc,
        pool,
        source,
        username,
        attributes,
        attribute,
        client_id,
        client_metadata,
    )
    if attribute != "email" or not messages.confirms_by_link(pool.config):
        return custom()
    link = _confirm_user_link(svc, pool, client_id, username)

    def by_link(code: str) -> messages.Text:
        return messages.verification_by_link(pool.config, code)

    render = custom(default=by_link) or by_link
    return lambda code: messages.linked(render(code), link(code) if link else None)


def _confirm_user_link(
    svc: Services, pool: Pool, client_id: str, username: str
) -> Callable[[str], str] | None:
    """The /confirmUser URL for a code, on the pool's domain; None when the pool has no
    domain (Cognito requires one for links; the text then goes as it is, docs/behaviour.md)."""
    with svc.store.read() as tx:
        domain = pool_domains.advertised(tx.domains.of_pool(pool.id))
    if domain is None:
        _log.warning("pool %s confirms by link but has no domain: the link is left out", pool.id)
        return None
    page = f"{pool_domains.domain_base_url(svc.settings, domain)}/confirmUser"

    def url(code: str) -> str:
        query = {"client_id": client_id, "user_name": username, "confirmation_code": code}
        return f"{page}?{urlencode(query)}"

    return url
