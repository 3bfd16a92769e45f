"""Message texts from pool templates (behaviour reference §3.3, §11.5)."""

from __future__ import annotations

from recognito.domain.messages import (
    LINK_BODY,
    Text,
    confirms_by_link,
    invitation,
    linked,
    reachable_mediums,
    verification,
    verification_by_link,
    welcome,
)
from recognito.shapes import MessageTemplateType, StoredUserPool


def invite_config(template: MessageTemplateType) -> StoredUserPool:
    return {"AdminCreateUserConfig": {"InviteMessageTemplate": template}}


# --- verification --------------------------------------------------------------------------------


def test_default_verification_sms() -> None:
    assert verification({}, "SMS", "123456") == Text(None, "Your verification code is 123456.")


def test_default_verification_email() -> None:
    assert verification({}, "EMAIL", "123456") == Text(
        "Your verification code", "Your verification code is 123456."
    )


def test_custom_verification_sms_template() -> None:
    config: StoredUserPool = {"VerificationMessageTemplate": {"SmsMessage": "Code: {####}"}}
    assert verification(config, "SMS", "654321").body == "Code: 654321"


def test_custom_verification_email_template_and_subject() -> None:
    config: StoredUserPool = {
        "VerificationMessageTemplate": {
            "EmailMessage": "<p>Your code: {####}</p>",
            "EmailSubject": "Welcome",
        }
    }
    assert verification(config, "EMAIL", "654321") == Text("Welcome", "<p>Your code: 654321</p>")


def test_verification_falls_back_to_legacy_fields() -> None:
    config: StoredUserPool = {
        "SmsVerificationMessage": "Legacy SMS {####}",
        "EmailVerificationMessage": "Legacy email {####}",
        "EmailVerificationSubject": "Legacy subject",
    }
    assert verification(config, "SMS", "111222").body == "Legacy SMS 111222"
    assert verification(config, "EMAIL", "111222") == Text("Legacy subject", "Legacy email 111222")


def test_verification_template_wins_over_legacy_fields() -> None:
    config: StoredUserPool = {
        "VerificationMessageTemplate": {"SmsMessage": "New {####}"},
        "SmsVerificationMessage": "Legacy {####}",
    }
    assert verification(config, "SMS", "111222").body == "New 111222"


def test_email_template_does_not_change_sms() -> None:
    config: StoredUserPool = {"VerificationMessageTemplate": {"EmailMessage": "Email {####}"}}
    assert verification(config, "SMS", "123456").body == "Your verification code is 123456."


# --- invitation ----------------------------------------------------------------------------------


def test_default_invitation_email() -> None:
    assert invitation({}, "EMAIL", "alice", "Tmp#Pass1") == Text(
        "Your temporary password",
        "Your username is alice and temporary password is Tmp#Pass1.",
    )


def test_default_invitation_sms_has_no_subject() -> None:
    assert invitation({}, "SMS", "alice", "Tmp#Pass1") == Text(
        None, "Your username is alice and temporary password is Tmp#Pass1."
    )


def test_custom_invitation_email_substitutes_username_and_password() -> None:
    config = invite_config(
        {"EmailMessage": "Hi {username}, use {####} to sign in.", "EmailSubject": "Welcome"}
    )
    assert invitation(config, "EMAIL", "bob", "Tmp#Pass2") == Text(
        "Welcome", "Hi bob, use Tmp#Pass2 to sign in."
    )


def test_custom_invitation_sms_substitutes_username_and_password() -> None:
    config = invite_config({"SMSMessage": "{username}: {####}"})
    assert invitation(config, "SMS", "bob", "Tmp#Pass2") == Text(None, "bob: Tmp#Pass2")


def test_custom_invitation_email_keeps_default_subject_when_none_given() -> None:
    config = invite_config({"EmailMessage": "Password {####}"})
    text = invitation(config, "EMAIL", "bob", "Tmp#Pass2")
    assert text is not None
    assert text.subject == "Your temporary password"


def test_invitation_without_password_placeholder_is_not_sent() -> None:
    config = invite_config({"EmailMessage": "Welcome {username}!", "SMSMessage": "Hi {username}"})
    assert invitation(config, "EMAIL", "bob", "Tmp#Pass2") is None
    assert invitation(config, "SMS", "bob", "Tmp#Pass2") is None


def test_invitation_template_for_other_medium_does_not_suppress_default() -> None:
    config = invite_config({"SMSMessage": "Hi {username}"})
    text = invitation(config, "EMAIL", "bob", "Tmp#Pass2")
    assert text is not None
    assert text.body == "Your username is bob and temporary password is Tmp#Pass2."


# --- invitation and welcome destinations -------------------------------------------------------


def test_requested_mediums_with_a_destination_are_reached() -> None:
    both = {"email": "a@example.com", "phone_number": "+15555550100"}
    assert reachable_mediums(both, ["EMAIL", "SMS"]) == [
        ("EMAIL", "email"),
        ("SMS", "phone_number"),
    ]
    assert reachable_mediums({"email": "a@example.com"}, ["EMAIL", "SMS"]) == [("EMAIL", "email")]


def test_the_default_sms_goes_by_email_to_a_user_with_only_an_email() -> None:
    assert reachable_mediums({"email": "a@example.com"}, ["SMS"]) == [("EMAIL", "email")]
    assert reachable_mediums({}, ["SMS"]) == []


def test_the_welcome_names_the_user_and_carries_no_password() -> None:
    assert welcome("SMS", "ann", confirmed=True) == Text(
        None, "Your username is ann. Your account is ready: sign in with your password."
    )
    assert welcome("EMAIL", "ann", confirmed=False) == Text(
        "Your account is ready",
        "Your username is ann. Your account is ready: set a new password to sign in.",
    )


# --- confirmation by link ------------------------------------------------------------------------


def test_link_texts_default_to_cognitos_and_carry_the_code() -> None:
    config: StoredUserPool = {
        "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_LINK"}
    }
    assert confirms_by_link(config)
    assert not confirms_by_link({})
    text = verification_by_link(config, "123456")
    assert text == Text("Your verification link", LINK_BODY)
    url = "https://auth.example/confirmUser?confirmation_code=123456"
    made = linked(text, url)
    assert (
        made.body
        == f"Please click the link below to verify your email address. Verify Email <{url}> "
    )


def test_any_link_text_becomes_the_link_and_no_url_leaves_it() -> None:
    text = Text("s", "Go: {##Click Here##}, or {##here##}.")
    assert (
        linked(text, "https://x/c").body == "Go: Click Here <https://x/c>, or here <https://x/c>."
    )
    assert linked(text, None) == text
