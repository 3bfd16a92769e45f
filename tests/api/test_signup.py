"""Self-service sign-up: SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp."""

from __future__ import annotations

from typing import Any

import pytest

from .support import (
    EMAIL_FROM,
    PASSWORD,
    UUID_RE,
    App,
    Inbox,
    MakeClient,
    MakePool,
    admin_attributes,
    as_attributes,
    cognito_error,
    mask_email,
    mask_phone,
    new_email,
    new_phone,
    password_auth,
    sign_in,
    unique,
    user_status,
    wrong_code,
)


@pytest.fixture
def email_app(make_pool: MakePool, make_client: MakeClient) -> App:
    """A client of a pool that emails sign-up codes (AutoVerifiedAttributes=[email])."""
    return make_client(make_pool(AutoVerifiedAttributes=["email"]))


def sign_up(cognito: Any, app: App, username: str, email: str, password: str = PASSWORD) -> Any:
    return cognito.sign_up(
        ClientId=app.client_id,
        Username=username,
        Password=password,
        UserAttributes=as_attributes({"email": email}),
    )


def test_sign_up_creates_an_unconfirmed_user_and_emails_a_code(
    cognito: Any, email_app: App, inbox: Inbox
) -> None:
    username, email = unique("alice"), new_email("alice")

    response = sign_up(cognito, email_app, username, email)

    assert response["UserConfirmed"] is False
    assert UUID_RE.match(response["UserSub"]), response["UserSub"]
    assert response["CodeDeliveryDetails"] == {
        "Destination": mask_email(email),
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    assert user_status(cognito, email_app.pool_id, username) == "UNCONFIRMED"
    attrs = admin_attributes(cognito, email_app.pool_id, username)
    assert attrs["sub"] == response["UserSub"]
    assert attrs["email"] == email
    message = inbox.wait(email)
    assert message.subject == "Your verification code"
    assert f"Your verification code is {message.code}." in message.body
    assert message.payload["mail_from"] == EMAIL_FROM
    assert EMAIL_FROM in message.sender


def test_confirm_sign_up_with_wrong_code_is_code_mismatch(
    cognito: Any, email_app: App, inbox: Inbox
) -> None:
    username, email = unique("alice"), new_email("alice")
    sign_up(cognito, email_app, username, email)
    code = inbox.wait_code(email)

    with cognito_error(
        "CodeMismatchException", "Invalid verification code provided, please try again."
    ):
        cognito.confirm_sign_up(
            ClientId=email_app.client_id, Username=username, ConfirmationCode=wrong_code(code)
        )

    assert user_status(cognito, email_app.pool_id, username) == "UNCONFIRMED"


def test_confirm_sign_up_with_right_code_confirms_and_verifies_email(
    cognito: Any, email_app: App, inbox: Inbox
) -> None:
    username, email = unique("alice"), new_email("alice")
    sign_up(cognito, email_app, username, email)

    cognito.confirm_sign_up(
        ClientId=email_app.client_id, Username=username, ConfirmationCode=inbox.wait_code(email)
    )

    assert user_status(cognito, email_app.pool_id, username) == "CONFIRMED"
    assert admin_attributes(cognito, email_app.pool_id, username)["email_verified"] == "true"
    assert sign_in(cognito, email_app, username, PASSWORD)["AccessToken"]


def test_confirm_sign_up_twice_reports_the_current_status(
    cognito: Any, email_app: App, inbox: Inbox
) -> None:
    username, email = unique("alice"), new_email("alice")
    sign_up(cognito, email_app, username, email)
    code = inbox.wait_code(email)
    cognito.confirm_sign_up(ClientId=email_app.client_id, Username=username, ConfirmationCode=code)

    with cognito_error(
        "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED"
    ):
        cognito.confirm_sign_up(
            ClientId=email_app.client_id, Username=username, ConfirmationCode=code
        )


def test_duplicate_sign_up_is_username_exists(cognito: Any, email_app: App) -> None:
    username = unique("alice")
    sign_up(cognito, email_app, username, new_email("alice"))

    with cognito_error("UsernameExistsException", "User already exists"):
        sign_up(cognito, email_app, username, new_email("other"))


def test_a_case_variant_of_a_taken_email_is_taken_in_a_case_insensitive_pool(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    app = make_client(
        make_pool(UsernameAttributes=["email"], UsernameConfiguration={"CaseSensitive": False})
    )
    email = new_email("alice")
    cognito.sign_up(ClientId=app.client_id, Username=email, Password=PASSWORD)

    with cognito_error(
        "UsernameExistsException", "An account with the given email already exists."
    ):
        cognito.sign_up(ClientId=app.client_id, Username=email.upper(), Password=PASSWORD)


def test_resend_confirmation_code_sends_a_new_working_code(
    cognito: Any, email_app: App, inbox: Inbox
) -> None:
    username, email = unique("alice"), new_email("alice")
    sign_up(cognito, email_app, username, email)
    inbox.wait(email)

    response = cognito.resend_confirmation_code(ClientId=email_app.client_id, Username=username)
    code = inbox.wait_code(email, after=1)

    assert response["CodeDeliveryDetails"] == {
        "Destination": mask_email(email),
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    cognito.confirm_sign_up(ClientId=email_app.client_id, Username=username, ConfirmationCode=code)
    assert user_status(cognito, email_app.pool_id, username) == "CONFIRMED"


def test_resend_confirmation_code_to_a_confirmed_user_is_rejected(
    cognito: Any, email_app: App, inbox: Inbox
) -> None:
    username, email = unique("alice"), new_email("alice")
    sign_up(cognito, email_app, username, email)
    cognito.confirm_sign_up(
        ClientId=email_app.client_id, Username=username, ConfirmationCode=inbox.wait_code(email)
    )

    with cognito_error("InvalidParameterException", "User is already confirmed."):
        cognito.resend_confirmation_code(ClientId=email_app.client_id, Username=username)


def test_admin_confirm_sign_up_confirms_without_verifying_email(
    cognito: Any, email_app: App
) -> None:
    username = unique("alice")
    sign_up(cognito, email_app, username, new_email("alice"))

    response = cognito.admin_confirm_sign_up(UserPoolId=email_app.pool_id, Username=username)

    assert set(response) == {"ResponseMetadata"}
    assert user_status(cognito, email_app.pool_id, username) == "CONFIRMED"
    attrs = admin_attributes(cognito, email_app.pool_id, username)
    assert attrs.get("email_verified", "false") == "false"
    assert sign_in(cognito, email_app, username, PASSWORD)["IdToken"]


def test_sign_up_without_auto_verification_sends_no_code(
    cognito: Any, app: App, inbox: Inbox
) -> None:
    username, email = unique("bob"), new_email("bob")

    response = sign_up(cognito, app, username, email)

    assert response["UserConfirmed"] is False
    assert "CodeDeliveryDetails" not in response
    assert inbox.count(email) == 0
    assert user_status(cognito, app.pool_id, username) == "UNCONFIRMED"


def test_sign_up_code_goes_by_sms_when_phone_is_auto_verified(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, inbox: Inbox
) -> None:
    app = make_client(make_pool(AutoVerifiedAttributes=["phone_number"]))
    username, phone = unique("carol"), new_phone()

    response = cognito.sign_up(
        ClientId=app.client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=as_attributes({"phone_number": phone}),
    )
    sms = inbox.wait(phone)

    assert response["CodeDeliveryDetails"] == {
        "Destination": mask_phone(phone),
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }
    assert sms.payload["poolId"] == app.pool_id
    cognito.confirm_sign_up(ClientId=app.client_id, Username=username, ConfirmationCode=sms.code)
    assert admin_attributes(cognito, app.pool_id, username)["phone_number_verified"] == "true"


def test_custom_verification_template_is_used(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, inbox: Inbox
) -> None:
    pool_id = make_pool(
        AutoVerifiedAttributes=["email"],
        VerificationMessageTemplate={
            "DefaultEmailOption": "CONFIRM_WITH_CODE",
            "EmailMessage": "Welcome aboard! Your code: {####}",
            "EmailSubject": "Confirm your account",
        },
    )
    app = make_client(pool_id)
    email = new_email("dave")

    sign_up(cognito, app, unique("dave"), email)
    message = inbox.wait(email)

    assert message.subject == "Confirm your account"
    assert f"Welcome aboard! Your code: {message.code}" in message.body


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Sh0rt!", "Password not long enough"),
        ("lowercase-only-1", "Password must have uppercase characters"),
        ("UPPERCASE-ONLY-1", "Password must have lowercase characters"),
        ("No-Digits-Here!", "Password must have numeric characters"),
        ("NoSymbols1234", "Password must have symbol characters"),
    ],
)
def test_sign_up_enforces_the_password_policy(
    cognito: Any, app: App, password: str, rule: str
) -> None:
    username = unique("weak")

    with cognito_error("InvalidPasswordException", f"Password did not conform with policy: {rule}"):
        sign_up(cognito, app, username, new_email("weak"), password=password)

    with cognito_error("UserNotFoundException", "User does not exist."):
        cognito.admin_get_user(UserPoolId=app.pool_id, Username=username)


def test_unconfirmed_user_cannot_sign_in(cognito: Any, email_app: App) -> None:
    username = unique("alice")
    sign_up(cognito, email_app, username, new_email("alice"))

    with cognito_error("UserNotConfirmedException", "User is not confirmed."):
        password_auth(cognito, email_app, username, PASSWORD)


def test_unconfirmed_user_with_wrong_password_still_gets_not_confirmed(
    cognito: Any, email_app: App
) -> None:
    username = unique("alice")
    sign_up(cognito, email_app, username, new_email("alice"))

    with cognito_error("UserNotConfirmedException", "User is not confirmed."):
        password_auth(cognito, email_app, username, "Wr0ng-Password!")


def test_sign_up_refused_when_only_admins_create_users(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    app = make_client(make_pool(AdminCreateUserConfig={"AllowAdminCreateUserOnly": True}))

    with cognito_error("NotAuthorizedException"):
        sign_up(cognito, app, unique("eve"), new_email("eve"))


def test_sign_up_with_unknown_attribute_is_a_schema_error(cognito: Any, app: App) -> None:
    with cognito_error("InvalidParameterException") as info:
        cognito.sign_up(
            ClientId=app.client_id,
            Username=unique("frank"),
            Password=PASSWORD,
            UserAttributes=as_attributes({"custom:nope": "x"}),
        )

    message = info.value.response["Error"]["Message"]
    assert message.startswith("Attributes did not conform to the schema"), message


def test_sign_up_with_bad_phone_number_is_rejected(cognito: Any, app: App) -> None:
    with cognito_error("InvalidParameterException", "Invalid phone number format."):
        cognito.sign_up(
            ClientId=app.client_id,
            Username=unique("gina"),
            Password=PASSWORD,
            UserAttributes=as_attributes({"phone_number": "555-1234"}),
        )
