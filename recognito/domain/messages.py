"""Message texts from the pool's templates: `{####}` is the code or temporary password,
`{username}` the username (invitations only)."""

from __future__ import annotations

from dataclasses import dataclass

from recognito.shapes import StoredUserPool

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


AUTHENTICATION_BODY = "Your authentication code is {####}. "


def authentication(config: StoredUserPool, code: str) -> Text:
    """The SMS that carries an SMS_MFA sign-in code."""
    template = (config.get("SmsMfaConfiguration") or {}).get("SmsAuthenticationMessage")
    body = template or config.get("SmsAuthenticationMessage") or AUTHENTICATION_BODY
    return Text(None, body.replace("{####}", code))
