"""The password story through boto3: admin reset, forgot/confirm, change, set, challenge."""

from __future__ import annotations

import json
from typing import Any

from .support import (
    NEW_PASSWORD,
    PASSWORD,
    TEMP_PASSWORD,
    App,
    Inbox,
    MakeClient,
    MakePool,
    MakeUser,
    User,
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

NO_RECOVERY = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)
BAD_CODE = "Invalid verification code provided, please try again."
USED_CODE = "Invalid code provided, please request a code again."
WRONG_PASSWORD = "Incorrect username or password."
CANNOT_RESET = "User password cannot be reset in the current state."


def confirm_forgot_password(
    cognito: Any, app: App, username: str, code: str, password: str = NEW_PASSWORD
) -> None:
    cognito.confirm_forgot_password(
        ClientId=app.client_id,
        Username=username,
        ConfirmationCode=code,
        Password=password,
        **app.secret_kwargs(username),
    )


def set_temporary_password(cognito: Any, user: User, password: str = TEMP_PASSWORD) -> None:
    cognito.admin_set_user_password(
        UserPoolId=user.pool_id, Username=user.username, Password=password, Permanent=False
    )


# --------------------------------------------------------------------------- AdminResetUserPassword


def test_admin_reset_without_verified_email_is_invalid_parameter(
    cognito: Any, pool_id: str, make_user: MakeUser
) -> None:
    user = make_user(pool_id, email=new_email("uma"), email_verified=False)

    with cognito_error("InvalidParameterException", NO_RECOVERY):
        cognito.admin_reset_user_password(UserPoolId=pool_id, Username=user.username)

    assert user_status(cognito, pool_id, user.username) == "CONFIRMED"


def test_admin_reset_without_any_email_is_invalid_parameter(
    cognito: Any, pool_id: str, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    with cognito_error("InvalidParameterException", NO_RECOVERY):
        cognito.admin_reset_user_password(UserPoolId=pool_id, Username=user.username)


def test_admin_reset_works_once_email_is_marked_verified(
    cognito: Any, pool_id: str, make_user: MakeUser, inbox: Inbox
) -> None:
    email = new_email("uma")
    user = make_user(pool_id, email=email, email_verified=False)
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username=user.username,
        UserAttributes=as_attributes({"email_verified": "true"}),
    )

    response = cognito.admin_reset_user_password(UserPoolId=pool_id, Username=user.username)

    assert set(response) == {"ResponseMetadata"}
    assert user_status(cognito, pool_id, user.username) == "RESET_REQUIRED"
    message = inbox.wait(email)
    assert message.subject == "Your verification code"
    assert f"Your verification code is {message.code}." in message.body


def test_full_admin_reset_flow(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser, inbox: Inbox
) -> None:
    email = new_email("vic")
    user = make_user(pool_id, email=email)

    cognito.admin_reset_user_password(UserPoolId=pool_id, Username=user.username)
    code = inbox.wait_code(email)

    with cognito_error("PasswordResetRequiredException", "Password reset required for the user"):
        password_auth(cognito, app, user.username, user.password)
    with cognito_error("CodeMismatchException", BAD_CODE):
        confirm_forgot_password(cognito, app, user.username, wrong_code(code))
    assert user_status(cognito, pool_id, user.username) == "RESET_REQUIRED"

    confirm_forgot_password(cognito, app, user.username, code)

    assert user_status(cognito, pool_id, user.username) == "CONFIRMED"
    assert sign_in(cognito, app, user.username, NEW_PASSWORD)["AccessToken"]
    with cognito_error("NotAuthorizedException", WRONG_PASSWORD):
        password_auth(cognito, app, user.username, user.password)
    with cognito_error("ExpiredCodeException", USED_CODE):
        confirm_forgot_password(cognito, app, user.username, code, password="An0ther-Pass!")


def test_admin_reset_by_sms_when_phone_is_verified(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser, inbox: Inbox
) -> None:
    phone = new_phone()
    user = make_user(pool_id, phone=phone)

    cognito.admin_reset_user_password(UserPoolId=pool_id, Username=user.username)
    sms = inbox.wait(phone)

    assert sms.payload["to"] == phone
    assert sms.payload["poolId"] == pool_id
    assert isinstance(sms.payload["kind"], str) and sms.payload["kind"]
    assert f"Your verification code is {sms.code}." in sms.body
    confirm_forgot_password(cognito, app, user.username, sms.code)
    assert user_status(cognito, pool_id, user.username) == "CONFIRMED"
    assert sign_in(cognito, app, user.username, NEW_PASSWORD)["IdToken"]


def test_reset_prefers_verified_phone_without_recovery_setting(
    cognito: Any, pool_id: str, make_user: MakeUser, inbox: Inbox
) -> None:
    email, phone = new_email("wes"), new_phone()
    user = make_user(pool_id, email=email, phone=phone)

    cognito.admin_reset_user_password(UserPoolId=pool_id, Username=user.username)

    assert inbox.wait_code(phone)
    assert inbox.count(email) == 0


def test_reset_follows_account_recovery_priority(
    cognito: Any, make_pool: MakePool, make_user: MakeUser, inbox: Inbox
) -> None:
    pool_id = make_pool(
        AccountRecoverySetting={
            "RecoveryMechanisms": [
                {"Priority": 1, "Name": "verified_email"},
                {"Priority": 2, "Name": "verified_phone_number"},
            ]
        }
    )
    email, phone = new_email("xia"), new_phone()
    user = make_user(pool_id, email=email, phone=phone)

    cognito.admin_reset_user_password(UserPoolId=pool_id, Username=user.username)

    assert inbox.wait_code(email)
    assert inbox.count(phone) == 0


def test_admin_reset_of_force_change_password_user_is_refused(
    cognito: Any, pool_id: str, make_user: MakeUser
) -> None:
    user = make_user(pool_id, email=new_email("yan"))
    set_temporary_password(cognito, user)

    with cognito_error("NotAuthorizedException", CANNOT_RESET):
        cognito.admin_reset_user_password(UserPoolId=pool_id, Username=user.username)


def test_admin_reset_of_unknown_user(cognito: Any, pool_id: str) -> None:
    with cognito_error("UserNotFoundException", "User does not exist."):
        cognito.admin_reset_user_password(UserPoolId=pool_id, Username="nobody")


# --------------------------------------------------------------------------- ForgotPassword


def test_forgot_password_returns_masked_delivery_and_confirm_completes(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser, inbox: Inbox
) -> None:
    email = new_email("zoe")
    user = make_user(pool_id, email=email)

    response = cognito.forgot_password(ClientId=app.client_id, Username=user.username)
    code = inbox.wait_code(email)

    assert response["CodeDeliveryDetails"] == {
        "Destination": mask_email(email),
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    assert user_status(cognito, pool_id, user.username) == "CONFIRMED"
    confirm_forgot_password(cognito, app, user.username, code)
    assert sign_in(cognito, app, user.username, NEW_PASSWORD)["AccessToken"]
    with cognito_error("NotAuthorizedException", WRONG_PASSWORD):
        password_auth(cognito, app, user.username, user.password)


def test_forgot_password_by_sms_masks_the_phone(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser, inbox: Inbox
) -> None:
    phone = new_phone()
    user = make_user(pool_id, phone=phone)

    response = cognito.forgot_password(ClientId=app.client_id, Username=user.username)

    assert response["CodeDeliveryDetails"] == {
        "Destination": mask_phone(phone),
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }
    confirm_forgot_password(cognito, app, user.username, inbox.wait_code(phone))
    assert sign_in(cognito, app, user.username, NEW_PASSWORD)["AccessToken"]


def test_forgot_password_for_force_change_password_user_is_refused(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id, email=new_email("abe"))
    set_temporary_password(cognito, user)

    with cognito_error("NotAuthorizedException", CANNOT_RESET):
        cognito.forgot_password(ClientId=app.client_id, Username=user.username)


def test_forgot_password_for_unknown_user(cognito: Any, app: App) -> None:
    with cognito_error("UserNotFoundException", "Username/client id combination not found."):
        cognito.forgot_password(ClientId=app.client_id, Username="nobody")


def test_forgot_password_without_verified_destination(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id, email=new_email("bea"), email_verified=False)

    with cognito_error("InvalidParameterException", NO_RECOVERY):
        cognito.forgot_password(ClientId=app.client_id, Username=user.username)


def test_confirm_forgot_password_without_a_requested_code(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id, email=new_email("cal"))

    with cognito_error("ExpiredCodeException", USED_CODE):
        confirm_forgot_password(cognito, app, user.username, "123456")


def test_confirm_forgot_password_enforces_policy(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser, inbox: Inbox
) -> None:
    email = new_email("dan")
    user = make_user(pool_id, email=email)
    cognito.forgot_password(ClientId=app.client_id, Username=user.username)
    code = inbox.wait_code(email)

    with cognito_error(
        "InvalidPasswordException", "Password does not conform to policy: Password not long enough"
    ):
        confirm_forgot_password(cognito, app, user.username, code, password="Sh0rt!")

    confirm_forgot_password(cognito, app, user.username, code)
    assert sign_in(cognito, app, user.username, NEW_PASSWORD)["AccessToken"]


# --------------------------------------------------------------------------- ChangePassword


def test_change_password_with_wrong_previous_password(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    access = sign_in(cognito, app, user.username, user.password)["AccessToken"]

    with cognito_error("NotAuthorizedException", WRONG_PASSWORD):
        cognito.change_password(
            PreviousPassword="Wr0ng-Password!", ProposedPassword=NEW_PASSWORD, AccessToken=access
        )

    assert sign_in(cognito, app, user.username, user.password)["AccessToken"]


def test_change_password_with_weak_proposed_password(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    access = sign_in(cognito, app, user.username, user.password)["AccessToken"]

    with cognito_error("InvalidPasswordException") as info:
        cognito.change_password(
            PreviousPassword=user.password, ProposedPassword="Sh0rt!", AccessToken=access
        )

    assert info.value.response["Error"]["Message"].endswith(": Password not long enough")


def test_change_password_success(cognito: Any, pool_id: str, app: App, make_user: MakeUser) -> None:
    user = make_user(pool_id)
    access = sign_in(cognito, app, user.username, user.password)["AccessToken"]

    response = cognito.change_password(
        PreviousPassword=user.password, ProposedPassword=NEW_PASSWORD, AccessToken=access
    )

    assert set(response) == {"ResponseMetadata"}
    assert user_status(cognito, pool_id, user.username) == "CONFIRMED"
    assert sign_in(cognito, app, user.username, NEW_PASSWORD)["AccessToken"]
    with cognito_error("NotAuthorizedException", WRONG_PASSWORD):
        password_auth(cognito, app, user.username, user.password)


def test_change_password_needs_a_valid_access_token(cognito: Any) -> None:
    with cognito_error("NotAuthorizedException", "Invalid Access Token"):
        cognito.change_password(
            PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD, AccessToken="not-a-token"
        )


# --------------------------------------------------------------------------- AdminSetUserPassword


def test_admin_set_permanent_password(cognito: Any, pool_id: str, app: App) -> None:
    username = unique("eli")
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        TemporaryPassword=TEMP_PASSWORD,
        MessageAction="SUPPRESS",
    )
    assert user_status(cognito, pool_id, username) == "FORCE_CHANGE_PASSWORD"

    response = cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=NEW_PASSWORD, Permanent=True
    )

    assert set(response) == {"ResponseMetadata"}
    assert user_status(cognito, pool_id, username) == "CONFIRMED"
    assert sign_in(cognito, app, username, NEW_PASSWORD)["AccessToken"]


def test_admin_set_password_enforces_policy(
    cognito: Any, pool_id: str, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    with cognito_error("InvalidPasswordException") as info:
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=user.username, Password="Sh0rt!", Permanent=True
        )

    assert info.value.response["Error"]["Message"].endswith(": Password not long enough")


def test_admin_set_temporary_password_leads_to_new_password_challenge(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    email = new_email("fay")
    user = make_user(pool_id, email=email)

    set_temporary_password(cognito, user)
    assert user_status(cognito, pool_id, user.username) == "FORCE_CHANGE_PASSWORD"
    challenge = password_auth(cognito, app, user.username, TEMP_PASSWORD)

    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert len(challenge["Session"]) >= 20
    assert "AuthenticationResult" not in challenge
    params = challenge["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == user.username
    assert params["requiredAttributes"] == "[]"
    user_attributes = json.loads(params["userAttributes"])
    assert user_attributes["email"] == email
    assert user_attributes["email_verified"] == "true"
    assert "sub" not in user_attributes


def test_new_password_challenge_issues_tokens_and_session_is_single_use(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id, email=new_email("gus"))
    set_temporary_password(cognito, user)
    session = password_auth(cognito, app, user.username, TEMP_PASSWORD)["Session"]
    answer = {"USERNAME": user.username, "NEW_PASSWORD": NEW_PASSWORD}

    response = cognito.respond_to_auth_challenge(
        ClientId=app.client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=session,
        ChallengeResponses=answer,
    )

    result = response["AuthenticationResult"]
    assert {"IdToken", "AccessToken", "RefreshToken"} <= set(result)
    assert result["TokenType"] == "Bearer"
    assert result["ExpiresIn"] == 3600
    assert user_status(cognito, pool_id, user.username) == "CONFIRMED"
    assert sign_in(cognito, app, user.username, NEW_PASSWORD)["AccessToken"]
    with cognito_error(
        "NotAuthorizedException", "Invalid session for the user, session can only be used once."
    ):
        cognito.respond_to_auth_challenge(
            ClientId=app.client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=session,
            ChallengeResponses=answer,
        )


def test_new_password_challenge_with_garbage_session(
    cognito: Any, app: App, pool_id: str, make_user: MakeUser
) -> None:
    user = make_user(pool_id)

    with cognito_error("NotAuthorizedException", "Invalid session for the user."):
        cognito.respond_to_auth_challenge(
            ClientId=app.client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session="AYABeGarbageGarbageGarbageGarbageGarbage",
            ChallengeResponses={"USERNAME": user.username, "NEW_PASSWORD": NEW_PASSWORD},
        )


def test_new_password_challenge_enforces_policy(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    set_temporary_password(cognito, user)
    session = password_auth(cognito, app, user.username, TEMP_PASSWORD)["Session"]

    with cognito_error(
        "InvalidPasswordException", "Password does not conform to policy: Password not long enough"
    ):
        cognito.respond_to_auth_challenge(
            ClientId=app.client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=session,
            ChallengeResponses={"USERNAME": user.username, "NEW_PASSWORD": "Sh0rt!"},
        )

    assert user_status(cognito, pool_id, user.username) == "FORCE_CHANGE_PASSWORD"


def test_new_password_challenge_can_be_retried_after_a_policy_failure(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    """A password the policy refuses proves nothing: the same session takes another one."""
    user = make_user(pool_id)
    set_temporary_password(cognito, user)
    session = password_auth(cognito, app, user.username, TEMP_PASSWORD)["Session"]

    def answer(password: str) -> Any:
        return cognito.respond_to_auth_challenge(
            ClientId=app.client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=session,
            ChallengeResponses={"USERNAME": user.username, "NEW_PASSWORD": password},
        )

    with cognito_error("InvalidPasswordException"):
        answer("Sh0rt!")
    assert {"IdToken", "AccessToken"} <= set(answer(NEW_PASSWORD)["AuthenticationResult"])
    assert user_status(cognito, pool_id, user.username) == "CONFIRMED"


def test_session_from_another_client_is_invalid(
    cognito: Any, pool_id: str, app: App, make_client: MakeClient, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    set_temporary_password(cognito, user)
    session = password_auth(cognito, app, user.username, TEMP_PASSWORD)["Session"]
    other = make_client(pool_id)

    with cognito_error("NotAuthorizedException", "Invalid session for the user."):
        cognito.respond_to_auth_challenge(
            ClientId=other.client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=session,
            ChallengeResponses={"USERNAME": user.username, "NEW_PASSWORD": NEW_PASSWORD},
        )


def test_temporary_password_wrong_is_incorrect_password(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id)
    set_temporary_password(cognito, user)

    with cognito_error("NotAuthorizedException", WRONG_PASSWORD):
        password_auth(cognito, app, user.username, "Wr0ng-Password!")


def test_admin_respond_to_new_password_challenge(
    cognito: Any, pool_id: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(pool_id, email=new_email("hal"))
    set_temporary_password(cognito, user)

    challenge = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=app.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": TEMP_PASSWORD},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    response = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=app.client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": user.username, "NEW_PASSWORD": NEW_PASSWORD},
    )

    assert {"IdToken", "AccessToken", "RefreshToken"} <= set(response["AuthenticationResult"])
    assert user_status(cognito, pool_id, user.username) == "CONFIRMED"


def test_new_password_challenge_lists_and_accepts_required_attributes(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    pool_id = make_pool(
        Schema=[{"Name": "given_name", "AttributeDataType": "String", "Required": True}]
    )
    app = make_client(pool_id)
    username = unique("ivy")
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        TemporaryPassword=TEMP_PASSWORD,
        MessageAction="SUPPRESS",
    )

    challenge = password_auth(cognito, app, username, TEMP_PASSWORD)
    assert json.loads(challenge["ChallengeParameters"]["requiredAttributes"]) == [
        "userAttributes.given_name"
    ]
    cognito.respond_to_auth_challenge(
        ClientId=app.client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={
            "USERNAME": username,
            "NEW_PASSWORD": NEW_PASSWORD,
            "userAttributes.given_name": "Ivy",
        },
    )

    assert admin_attributes(cognito, pool_id, username)["given_name"] == "Ivy"
    assert user_status(cognito, pool_id, username) == "CONFIRMED"
