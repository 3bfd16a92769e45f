"""The Lambda triggers operations share: the events they send, built from what the
operation knows, run through `Services.triggers` (recognito/triggers/).

Each helper runs a function, so none may be called inside a store transaction: the
operations read, leave the transaction, call these, then write (pre-* triggers) or
write, commit, then call them (post-* triggers, whose failure keeps what was written).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recognito import errors
from recognito.domain import messages
from recognito.domain.attributes import DELIVERY_MEDIUM
from recognito.domain.records import Pool, User
from recognito.service.codes import channel_of
from recognito.service.context import Services
from recognito.shapes import AttributeType
from recognito.triggers import Call
from recognito.triggers import user_attributes as user_attributes  # for the operations
from recognito.triggers.events import metadata, validation_data

# PreSignUp's response flags and the attribute each one verifies
_AUTO_VERIFY = {"autoVerifyEmail": "email", "autoVerifyPhone": "phone_number"}


@dataclass(frozen=True)
class SignUpDecision:
    """What PreSignUp decided: confirm at once, and which attributes count as verified."""

    confirm: bool = False
    verified: tuple[str, ...] = ()


def pre_sign_up(
    svc: Services,
    pool: Pool,
    source: str,
    user_name: str,
    attributes: Mapping[str, str],
    client_id: str | None,
    validation: Sequence[AttributeType] | None,
    client_metadata: Mapping[str, str] | None,
) -> SignUpDecision:
    """PreSignUp_SignUp / PreSignUp_AdminCreateUser. The new user has no `sub` in the
    event (as observed on Cognito). An error stops the sign-up before anything is
    written. AdminCreateUser's sources ignore the response flags."""
    request: dict[str, Any] = {
        "userAttributes": {k: v for k, v in attributes.items() if k != "sub"},
        "validationData": validation_data(list(validation) if validation is not None else None),
    }
    call = Call(
        "PreSignUp",
        source,
        user_name,
        client_id,
        svc.caller.user_agent,
        metadata(request, dict(client_metadata) if client_metadata is not None else None),
        {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    )
    answer = svc.triggers.run(pool, call)
    if not answer or source != "PreSignUp_SignUp":
        return SignUpDecision()
    verified = tuple(attr for flag, attr in _AUTO_VERIFY.items() if answer.get(flag))
    for attribute in verified:
        if not attributes.get(attribute):
            # Cognito fails the sign-up when the attribute to verify is missing
            raise errors.InvalidParameterException(
                f"Cannot auto verify {attribute}: the user has no {attribute}."
            )
    return SignUpDecision(bool(answer.get("autoConfirmUser")), verified)


def verified_attributes(decision: SignUpDecision) -> dict[str, str]:
    """The `*_verified` attributes PreSignUp's auto-verify flags set."""
    return {f"{attribute}_verified": "true" for attribute in decision.verified}


def post_confirmation(
    svc: Services,
    pool: Pool,
    source: str,
    user_id: int,
    client_id: str | None,
    client_metadata: Mapping[str, str] | None,
) -> None:
    """PostConfirmation_ConfirmSignUp / _ConfirmForgotPassword, after the change was
    committed: the event shows the confirmed user, and a failure keeps the change (the
    caller still gets the error, reference §4.3)."""
    if svc.triggers.arn(pool, "PostConfirmation") is None:
        return  # no read for pools without the trigger
    with svc.store.read() as tx:
        user = tx.users.by_id(user_id)
    if user is None:  # deleted meanwhile: nobody to tell about
        return
    svc.triggers.run(pool, _post_confirmation_call(svc, user, source, client_id, client_metadata))


def _post_confirmation_call(
    svc: Services,
    user: User,
    source: str,
    client_id: str | None,
    client_metadata: Mapping[str, str] | None,
) -> Call:
    request = metadata(
        {"userAttributes": user_attributes(user)},
        dict(client_metadata) if client_metadata is not None else None,
    )
    return Call(
        "PostConfirmation", source, user.username, client_id, svc.caller.user_agent, request
    )


def pre_authentication(
    svc: Services,
    pool: Pool,
    user: User,
    client_id: str,
    client_metadata: Mapping[str, str] | None,
    hides_existence: bool,
) -> None:
    """PreAuthentication_Authentication, before the password is judged: InitiateAuth's
    ClientMetadata arrives as `validationData` (null when not sent); `userNotFound` is
    there only for clients that hide who exists. Its error refuses the sign-in."""
    if svc.triggers.arn(pool, "PreAuthentication") is None:
        return
    request: dict[str, Any] = {
        "userAttributes": user_attributes(user),
        "validationData": dict(client_metadata) if client_metadata is not None else None,
    }
    if hides_existence:
        request["userNotFound"] = False
    call = Call(
        "PreAuthentication",
        "PreAuthentication_Authentication",
        user.username,
        client_id,
        svc.caller.user_agent,
        request,
    )
    svc.triggers.run(pool, call)


def post_authentication(
    svc: Services,
    pool: Pool,
    user: User,
    client_metadata: Mapping[str, str] | None,
    initiating: bool,
    client_id: str,
) -> None:
    """PostAuthentication_Authentication, once the sign-in succeeded and before tokens
    are issued; `clientMetadata` only when the sign-in finished in RespondToAuthChallenge
    (reference §5). Its error leaves the caller without tokens."""
    request: dict[str, Any] = {"userAttributes": user_attributes(user), "newDeviceUsed": False}
    if not initiating:
        metadata(request, dict(client_metadata) if client_metadata is not None else None)
    call = Call(
        "PostAuthentication",
        "PostAuthentication_Authentication",
        user.username,
        client_id,
        svc.caller.user_agent,
        request,
    )
    svc.triggers.run(pool, call)


def custom_message(
    svc: Services,
    pool: Pool,
    source: str,
    user_name: str,
    attributes: Mapping[str, str],
    client_id: str | None,
    client_metadata: Mapping[str, str] | None,
    *,
    invitation: bool = False,
) -> dict[str, Any] | None:
    """CustomMessage_<source> before a code (or temporary password) is sent: the
    function sees placeholders only (`{####}`, `{username}` for invitations); what it
    answers (`messages.customized` reads it) becomes the template the code is put into
    afterwards, so it runs before the transaction that issues the code. None: the pool
    has no CustomMessage trigger."""
    if svc.triggers.arn(pool, "CustomMessage") is None:
        return None
    request: dict[str, Any] = {
        "userAttributes": dict(attributes),
        "codeParameter": messages.CODE_PLACEHOLDER,
        "linkParameter": messages.LINK_PLACEHOLDER,
        "usernameParameter": messages.USERNAME_PLACEHOLDER if invitation else None,
    }
    metadata(request, dict(client_metadata) if client_metadata is not None else None)
    call = Call(
        "CustomMessage",
        source,
        user_name,
        client_id,
        svc.caller.user_agent,
        request,
        {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    )
    return svc.triggers.run(pool, call) or {}


def verification_message(
    svc: Services,
    pool: Pool,
    source: str,
    user_name: str,
    attributes: Mapping[str, str],
    attribute: str,
    client_id: str | None,
    client_metadata: Mapping[str, str] | None,
    default: Callable[[str], messages.Text] | None = None,
) -> Callable[[str], messages.Text] | None:
    """custom_message for a code sent to `attribute` with the pool's verification text
    (or `default`, where the function leaves a field null); not for a channel with a
    custom sender, whose function makes its own text."""
    if svc.triggers.sender(pool, channel_of(attribute)) is not None:
        return None
    answer = custom_message(svc, pool, source, user_name, attributes, client_id, client_metadata)
    if answer is None:
        return None
    medium = DELIVERY_MEDIUM[attribute]

    def pool_text(code: str) -> messages.Text:
        return messages.verification(pool.config, medium, code)

    return messages.customized(default or pool_text, medium, answer)
