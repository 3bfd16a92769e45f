"""Message texts from the pool's templates: `{####}` is the code or temporary password,
`{username}` the username (invitations only), `{##text##}` the confirmation link of a
CONFIRM_WITH_LINK pool's sign-up email."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recognito import errors
from recognito.domain.attributes import DELIVERY_MEDIUM
from recognito.shapes import StoredUserPool

_MEDIUM_ATTRIBUTE: dict[str, str] = {
    medium: attribute for attribute, medium in DELIVERY_MEDIUM.items()
}
VERIFICATION_BODY = "Your verification code is {####}."
VERIFICATION_SUBJECT = "Your verification code"
INVITATION_BODY = "Your username is {username} and temporary password is {####}."
INVITATION_SUBJECT = "Your temporary password"


@dataclass(frozen=True)
class Text:
    subject: str | None  # email only
    body: str


def verification(config: StoredUserPool, medium: str, code: str) -> Text:
    """Sign-up, attribute-verification and password-reset codes share one template."""
    template = config.get("VerificationMessageTemplate") or {}
    if medium == "SMS":
        body = template.get("SmsMessage") or config.get("SmsVerificationMessage")
        return Text(None, (body or VERIFICATION_BODY).replace("{####}", code))
    body = template.get("EmailMessage") or config.get("EmailVerificationMessage")
    subject = template.get("EmailSubject") or config.get("EmailVerificationSubject")
    return Text(
        subject or VERIFICATION_SUBJECT, (body or VERIFICATION_BODY).replace("{####}", code)
    )


# Cognito's own texts for CONFIRM_WITH_LINK when the pool names none
LINK_BODY = "Please click the link below to verify your email address. {##Verify Email##} "
LINK_SUBJECT = "Your verification link"
LINK_PLACEHOLDER = "{##Click Here##}"  # what a CustomMessage function is handed
_LINK = re.compile(r"\{##(.*?)##\}", re.DOTALL)


def confirms_by_link(config: StoredUserPool) -> bool:
    """Whether sign-up emails carry a confirmation link rather than a code."""
    template = config.get("VerificationMessageTemplate") or {}
    return template.get("DefaultEmailOption") == "CONFIRM_WITH_LINK"


def verification_by_link(config: StoredUserPool, code: str) -> Text:
    """A CONFIRM_WITH_LINK sign-up email, its `{##text##}` still to be made a link (`linked`)."""
    template = config.get("VerificationMessageTemplate") or {}
    body = template.get("EmailMessageByLink") or LINK_BODY
    subject = template.get("EmailSubjectByLink") or LINK_SUBJECT
    return Text(subject, body.replace("{####}", code))


def linked(text: Text, url: str | None) -> Text:
    """`{##text##}` made a link to `url`: the text, then the URL in angle brackets, as plain
    text shows a link (mail goes out text/plain). Without a URL the text is left as it is."""
    if url is None:
        return text
    return Text(text.subject, _LINK.sub(lambda m: f"{m.group(1)} <{url}>", text.body))


def invitation(config: StoredUserPool, medium: str, username: str, password: str) -> Text | None:
    """The invitation, or None when the pool's template has no `{####}` to carry the password."""
    template = (config.get("AdminCreateUserConfig") or {}).get("InviteMessageTemplate") or {}
    given = template.get("SMSMessage") if medium == "SMS" else template.get("EmailMessage")
    body = given or INVITATION_BODY
    if "{####}" not in body:
        return None
    body = body.replace("{username}", username).replace("{####}", password)
    if medium == "SMS":
        return Text(None, body)
    return Text(template.get("EmailSubject") or INVITATION_SUBJECT, body)


def reachable_mediums(
    attributes: Mapping[str, str], mediums: Sequence[str]
) -> list[tuple[str, str]]:
    """(medium, attribute) for each requested medium the user has a destination for, as
    AdminCreateUser delivers its invitation: the default (SMS alone) goes by email to a
    user with only an email."""
    targets = [m for m in mediums if attributes.get(_MEDIUM_ATTRIBUTE[m])]
    if not targets and list(mediums) == ["SMS"] and attributes.get("email"):
        targets = ["EMAIL"]
    return [(m, _MEDIUM_ATTRIBUTE[m]) for m in targets]


# A migrated user's welcome (UserMigration's messageAction, behaviour.md): Cognito documents
# no text for it, and the invitation's `{####}` would be a password the user does not have
WELCOME_SUBJECT = "Your account is ready"
WELCOME_SIGN_IN = "Your username is {username}. Your account is ready: sign in with your password."
WELCOME_RESET = "Your username is {username}. Your account is ready: set a new password to sign in."


def welcome(medium: str, username: str, *, confirmed: bool) -> Text:
    """The welcome a migrated user gets: sign in (CONFIRMED) or set a password first."""
    body = (WELCOME_SIGN_IN if confirmed else WELCOME_RESET).replace("{username}", username)
    return Text(None if medium == "SMS" else WELCOME_SUBJECT, body)


AUTHENTICATION_BODY = "Your authentication code is {####}. "


def authentication(config: StoredUserPool, code: str) -> Text:
    """The SMS that carries an SMS_MFA sign-in code."""
    template = (config.get("SmsMfaConfiguration") or {}).get("SmsAuthenticationMessage")
    body = template or config.get("SmsAuthenticationMessage") or AUTHENTICATION_BODY
    return Text(None, body.replace("{####}", code))


AUTHENTICATION_SUBJECT = "Your authentication code"


def email_authentication(config: StoredUserPool, code: str) -> Text:
    """The email that carries an EMAIL_OTP sign-in code (EmailMfaConfiguration's template)."""
    template = config.get("EmailMfaConfiguration") or {}
    body = template.get("Message") or AUTHENTICATION_BODY
    return Text(template.get("Subject") or AUTHENTICATION_SUBJECT, body.replace("{####}", code))


CODE_PLACEHOLDER = "{####}"
USERNAME_PLACEHOLDER = "{username}"
_BODY_PATTERN = r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*"


def customized(
    default: Callable[[str], Text],
    medium: str,
    answer: Mapping[str, Any],
    username: str | None = None,
) -> Callable[[str], Text]:
    """The message a CustomMessage trigger answered, as a template the code (or temporary
    password) is put into: its `smsMessage` or `emailMessage`/`emailSubject`, each left
    null falling back to the pool's own text. A body must carry the `{####}` placeholder
    (an invitation also `{username}`), as Cognito's validation demands."""
    field = "smsMessage" if medium == "SMS" else "emailMessage"
    body = answer.get(field)
    subject = answer.get("emailSubject") if medium != "SMS" else None
    if body is not None:
        if not body.strip():
            raise errors.InvalidParameterException("The message is empty.")
        wanted = [CODE_PLACEHOLDER] + ([USERNAME_PLACEHOLDER] if username is not None else [])
        if any(placeholder not in body for placeholder in wanted):
            name = "emailBody" if medium != "SMS" else "smsMessage"
            raise errors.InvalidParameterException(
                f"1 validation error detected: Value at '{name}' failed to satisfy "
                f"constraint: Member must satisfy regular expression pattern: {_BODY_PATTERN}"
            )

    def render(code: str) -> Text:
        base = default(code)
        text = base.body
        if body is not None:
            text = body.replace(CODE_PLACEHOLDER, code)
            if username is not None:
                text = text.replace(USERNAME_PLACEHOLDER, username)
        return Text(None if medium == "SMS" else (subject or base.subject), text)

    return render
