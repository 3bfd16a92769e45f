# ruff: noqa: F811  (the fixtures imported from test_triggers are parameters here)
"""The UserMigration trigger (reference §7.7): a password sign-in or ForgotPassword for a
name nobody has asks the pool's function, and the user it answers with is created. The
server and the functions are test_triggers.py's (`py-migrate` is
trigger_functions.migrate, whose typed name picks its answer)."""

from __future__ import annotations

import json
from typing import Any

from pycognito import Cognito

from .support import (
    NEW_PASSWORD,
    Inbox,
    ServerProcess,
    admin_attributes,
    as_attributes,
    attributes,
    cognito_error,
    new_email,
    new_phone,
    unique,
    user_status,
)
from .support.lambdas import HookServer, arn
from .support.server import run_recognito
from .support.trigger_shapes import check_event
from .test_triggers import (  # noqa: F401  (module fixtures: the same server setup)
    hooks,
    idp,
    lambda_api,
    make_app,
    password_sign_in,
    trigger_server,
    triggers_log,
)
from .trigger_functions import LEGACY_PASSWORD, events_of

MIGRATE = arn("py-migrate")


def test_sign_in_migrates_the_user_then_signs_in_without_asking_again(
    idp: Any,
    hooks: HookServer,
    trigger_server: ServerProcess,
) -> None:
    pool_id, client_id = make_app(idp, UserMigration=MIGRATE, PreAuthentication=arn("hook-echo"))
    username = unique("mig")

    first = password_sign_in(idp, client_id, username, LEGACY_PASSWORD, ClientMetadata={"a": "b"})

    assert "AccessToken" in first["AuthenticationResult"]
    [event] = events_of(pool_id)
    check_event(event, "UserMigration_Authentication", pool_id)
    assert event["userName"] == username
    assert event["request"]["password"] == LEGACY_PASSWORD
    assert event["request"]["validationData"] == {"a": "b"}  # InitiateAuth's ClientMetadata
    assert "clientMetadata" not in event["request"]
    assert event["callerContext"]["clientId"] == client_id
    assert user_status(idp, pool_id, username) == "CONFIRMED"
    stored = admin_attributes(idp, pool_id, username)
    assert stored["email"] == f"{username}@legacy.example"
    assert stored["email_verified"] == "true"
    assert stored["name"] == f"Legacy {username}"
    # PreAuthentication ran for the migrated user, after the migration
    [pre] = hooks.events(pool_id)
    assert pre["request"]["userAttributes"]["email"] == stored["email"]

    again = password_sign_in(idp, client_id, username, LEGACY_PASSWORD)

    assert "AccessToken" in again["AuthenticationResult"]
    assert len(events_of(pool_id)) == 1  # the user exists now: no second migration
    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        password_sign_in(idp, client_id, username, "Wr0ng-Password!")
    assert len(events_of(pool_id)) == 1
    log = triggers_log(trigger_server, pool_id)
    assert [e["trigger"] for e in log] == [
        "UserMigration",
        "PreAuthentication",
        "PreAuthentication",
        "PreAuthentication",
    ]


def test_reset_required_final_status_asks_for_a_password_reset(idp: Any) -> None:
    pool_id, client_id = make_app(idp, UserMigration=MIGRATE)
    username = unique("reset-")

    with cognito_error("PasswordResetRequiredException", "Password reset required for the user"):
        password_sign_in(idp, client_id, username, LEGACY_PASSWORD)

    assert user_status(idp, pool_id, username) == "RESET_REQUIRED"


def test_forgot_password_migrates_the_user_and_sends_the_code(
    idp: Any,
    inbox: Inbox,
    trigger_server: ServerProcess,
) -> None:
    pool_id, client_id = make_app(idp, UserMigration=MIGRATE)
    username = unique("fp")
    email = f"{username}@legacy.example"

    answer = idp.forgot_password(ClientId=client_id, Username=username, ClientMetadata={"k": "v"})

    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    [event] = events_of(pool_id)
    check_event(event, "UserMigration_ForgotPassword", pool_id)
    assert "password" not in event["request"]
    assert event["request"]["clientMetadata"] == {"k": "v"}
    # the function said CONFIRMED, but a user migrated by a reset must set a password first
    assert user_status(idp, pool_id, username) == "RESET_REQUIRED"
    idp.confirm_forgot_password(
        ClientId=client_id,
        Username=username,
        ConfirmationCode=inbox.wait_code(email),
        Password=NEW_PASSWORD,
    )
    assert (
        "AccessToken"
        in password_sign_in(idp, client_id, username, NEW_PASSWORD)["AuthenticationResult"]
    )
    assert [e["source"] for e in triggers_log(trigger_server, pool_id)] == [
        "UserMigration_ForgotPassword"
    ]


def test_a_failing_function_creates_nobody_and_answers_as_cognito_does(
    idp: Any,
    trigger_server: ServerProcess,
) -> None:
    pool_id, client_id = make_app(idp, UserMigration=MIGRATE)
    gone, known = unique("gone-"), unique("mig")
    not_migrated = f"Exception migrating user in app client {client_id}"

    with cognito_error("UserNotFoundException", not_migrated):
        password_sign_in(idp, client_id, gone, LEGACY_PASSWORD)
    with cognito_error("UserNotFoundException", not_migrated):  # the legacy store said no
        password_sign_in(idp, client_id, known, "Wr0ng-Password!")
    with cognito_error("UserNotFoundException", not_migrated):
        idp.forgot_password(ClientId=client_id, Username=gone)

    for name in (gone, known):
        with cognito_error("UserNotFoundException", "User does not exist."):
            idp.admin_get_user(UserPoolId=pool_id, Username=name)
    log = triggers_log(trigger_server, pool_id)
    assert [e["outcome"] for e in log] == ["UserLambdaValidationException"] * 3
    assert log[0]["error"] == "UserMigration failed with error not in the legacy store."


def test_an_answer_without_attributes_is_refused_as_a_wrong_password(idp: Any) -> None:
    pool_id, client_id = make_app(idp, UserMigration=MIGRATE)
    username = unique("blank-")

    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        password_sign_in(idp, client_id, username, LEGACY_PASSWORD)

    with cognito_error("UserNotFoundException", "User does not exist."):
        idp.admin_get_user(UserPoolId=pool_id, Username=username)


def test_a_client_hiding_user_existence_gets_the_usual_answers(idp: Any, inbox: Inbox) -> None:
    pool_id, client_id = make_app(idp, UserMigration=MIGRATE)
    idp.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=client_id,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
    )

    for name in (unique("gone-"), unique("blank-")):
        with cognito_error("NotAuthorizedException", "Incorrect username or password."):
            password_sign_in(idp, client_id, name, LEGACY_PASSWORD)
    reset = idp.forgot_password(ClientId=client_id, Username=unique("gone-"))
    assert "CodeDeliveryDetails" in reset  # simulated, as for any unknown name
    migrated = unique("mig")
    assert (
        "AccessToken"
        in password_sign_in(idp, client_id, migrated, LEGACY_PASSWORD)["AuthenticationResult"]
    )
    assert len(events_of(pool_id)) == 4


def test_admin_password_sign_in_migrates_and_srp_never_does(
    idp: Any,
    trigger_server: ServerProcess,
) -> None:
    pool_id, _ = make_app(idp, UserMigration=MIGRATE)
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="py",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"],
    )["UserPoolClient"]["ClientId"]
    username = unique("mig")

    def cognito() -> Cognito:
        return Cognito(
            pool_id,
            client_id,
            username=username,
            boto3_client_kwargs={
                "endpoint_url": trigger_server.base_url,
                "aws_access_key_id": "test",
                "aws_secret_access_key": "test",
            },
        )

    # SRP never sends the password, so Cognito cannot migrate on it (reference §7.7)
    with cognito_error("UserNotFoundException", "User does not exist."):
        cognito().authenticate(password=LEGACY_PASSWORD)
    assert events_of(pool_id) == []

    admin = cognito()
    admin.admin_authenticate(password=LEGACY_PASSWORD)  # ADMIN_USER_PASSWORD_AUTH
    assert admin.id_claims["email"] == f"{username}@legacy.example"
    [event] = events_of(pool_id)
    check_event(event, "UserMigration_Authentication", pool_id)

    srp = cognito()  # the migrated password got an SRP verifier too
    srp.authenticate(password=LEGACY_PASSWORD)
    srp.verify_tokens()
    assert len(events_of(pool_id)) == 1


def test_an_alias_held_by_another_user_moves_only_with_force_alias_creation(idp: Any) -> None:
    pool_id = idp.create_user_pool(
        PoolName=unique("migalias"),
        AliasAttributes=["email"],
        LambdaConfig={"UserMigration": MIGRATE},
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    holder, shared = unique("holder"), new_email()
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=holder,
        MessageAction="SUPPRESS",
        UserAttributes=as_attributes({"email": shared, "email_verified": "true"}),
    )
    username = unique("mig")

    with cognito_error("AliasExistsException", "An account with the email already exists."):
        password_sign_in(
            idp, client_id, username, LEGACY_PASSWORD, ClientMetadata={"email": shared}
        )
    with cognito_error("UserNotFoundException", "User does not exist."):
        idp.admin_get_user(UserPoolId=pool_id, Username=username)

    metadata = {"email": shared, "force": "true"}
    answer = password_sign_in(idp, client_id, username, LEGACY_PASSWORD, ClientMetadata=metadata)

    assert "AccessToken" in answer["AuthenticationResult"]
    assert admin_attributes(idp, pool_id, holder)["email_verified"] == "false"
    # the alias is the migrated user's now
    by_alias = password_sign_in(idp, client_id, shared, LEGACY_PASSWORD)
    assert "AccessToken" in by_alias["AuthenticationResult"]
    assert len(events_of(pool_id)) == 2


def test_an_email_username_pool_migrates_the_typed_email(idp: Any) -> None:
    pool_id = idp.create_user_pool(
        PoolName=unique("migemail"),
        UsernameAttributes=["email"],
        LambdaConfig={"UserMigration": MIGRATE},
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    email = new_email()

    answer = password_sign_in(idp, client_id, email, LEGACY_PASSWORD)

    assert "AccessToken" in answer["AuthenticationResult"]
    [event] = events_of(pool_id)
    assert event["userName"] == email  # the name typed, not the sub it is stored under
    user = idp.admin_get_user(UserPoolId=pool_id, Username=email)
    stored = attributes(user["UserAttributes"])
    assert user["Username"] == stored["sub"] != email
    assert stored["email"] == email
    # a plain name cannot be a user of this pool: refused as a wrong password
    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        password_sign_in(idp, client_id, unique("plain"), LEGACY_PASSWORD)


# ------------------------------------------------------------------ welcome and SMS MFA
WELCOME_SUBJECT = "Your account is ready"


def outbox(server: ServerProcess, recipient: str) -> list[dict[str, Any]]:
    """What the server queued for `recipient` (newest first), with each message's kind:
    written in the migration's own transaction, so it is there when the call returns."""
    proc = run_recognito("outbox", "--data-dir", str(server.data_dir), "--to", recipient, "--json")
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def welcome_of(server: ServerProcess, recipient: str) -> list[dict[str, Any]]:
    return [row for row in outbox(server, recipient) if row["kind"] == "welcome"]


def test_the_welcome_goes_by_sms_by_default_and_to_an_email_only_user_by_email(
    idp: Any, inbox: Inbox, trigger_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(idp, UserMigration=MIGRATE)
    with_phone, phone = unique("mig"), new_phone()

    metadata = {"welcome": "default", "phone": phone}
    password_sign_in(idp, client_id, with_phone, LEGACY_PASSWORD, ClientMetadata=metadata)

    # no messageAction, no desiredDeliveryMediums: the welcome, by SMS only
    text = f"Your username is {with_phone}. Your account is ready: sign in with your password."
    assert inbox.wait(phone).body == text
    assert len(welcome_of(trigger_server, phone)) == 1
    assert welcome_of(trigger_server, f"{with_phone}@legacy.example") == []

    email_only = unique("mig")
    password_sign_in(
        idp, client_id, email_only, LEGACY_PASSWORD, ClientMetadata={"welcome": "default"}
    )
    email = f"{email_only}@legacy.example"
    mail = inbox.wait(email)
    assert mail.subject == WELCOME_SUBJECT
    assert mail.body.strip() == (
        f"Your username is {email_only}. Your account is ready: sign in with your password."
    )


def test_suppress_sends_no_welcome_and_the_mediums_pick_the_channels(
    idp: Any, trigger_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(idp, UserMigration=MIGRATE)
    quiet, phone = unique("mig"), new_phone()
    # trigger_functions.migrate answers messageAction SUPPRESS when no welcome is asked for
    password_sign_in(idp, client_id, quiet, LEGACY_PASSWORD, ClientMetadata={"phone": phone})
    assert outbox(trigger_server, phone) == []
    assert outbox(trigger_server, f"{quiet}@legacy.example") == []

    both, phone = unique("mig"), new_phone()
    metadata = {"welcome": "EMAIL,SMS", "phone": phone}
    password_sign_in(idp, client_id, both, LEGACY_PASSWORD, ClientMetadata=metadata)
    assert len(welcome_of(trigger_server, phone)) == 1
    [mail] = welcome_of(trigger_server, f"{both}@legacy.example")
    assert mail["subject"] == WELCOME_SUBJECT

    by_email, phone = unique("mig"), new_phone()
    metadata = {"welcome": "EMAIL", "phone": phone}
    password_sign_in(idp, client_id, by_email, LEGACY_PASSWORD, ClientMetadata=metadata)
    assert outbox(trigger_server, phone) == []
    assert len(welcome_of(trigger_server, f"{by_email}@legacy.example")) == 1


def test_a_user_who_must_reset_is_welcomed_to_set_a_password(
    idp: Any, inbox: Inbox, trigger_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(idp, UserMigration=MIGRATE)
    signing_in, resetting = unique("reset-"), unique("fp")

    with cognito_error("PasswordResetRequiredException"):
        password_sign_in(
            idp, client_id, signing_in, LEGACY_PASSWORD, ClientMetadata={"welcome": "EMAIL"}
        )
    idp.forgot_password(ClientId=client_id, Username=resetting, ClientMetadata={"welcome": "EMAIL"})

    def welcome(name: str) -> str:
        return f"Your username is {name}. Your account is ready: set a new password to sign in."

    assert inbox.wait(f"{signing_in}@legacy.example").body.strip() == welcome(signing_in)
    # ForgotPassword still sends its code, queued after the welcome (either may arrive first)
    email = f"{resetting}@legacy.example"
    assert [row["kind"] for row in outbox(trigger_server, email)] == ["password_reset", "welcome"]
    inbox.wait(email, after=1)
    bodies = {message.body.strip() for message in inbox.mail.messages_to(email)}
    assert welcome(resetting) in bodies
    assert any(body.startswith("Your verification code is ") for body in bodies)


def test_a_medium_cognito_does_not_know_is_an_invalid_lambda_response(idp: Any) -> None:
    pool_id, client_id = make_app(idp, UserMigration=MIGRATE)
    username = unique("mig")

    with cognito_error("InvalidLambdaResponseException", "Unrecognizable lambda output"):
        password_sign_in(
            idp, client_id, username, LEGACY_PASSWORD, ClientMetadata={"welcome": "FAX"}
        )

    with cognito_error("UserNotFoundException", "User does not exist."):
        idp.admin_get_user(UserPoolId=pool_id, Username=username)


def sms_mfa_pool(idp: Any) -> tuple[str, str]:
    pool_id, client_id = make_app(idp, UserMigration=MIGRATE)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Sign-in code {####}"},
    )
    return pool_id, client_id


def test_enable_sms_mfa_makes_the_first_sign_in_ask_for_an_sms_code(idp: Any, inbox: Inbox) -> None:
    pool_id, client_id = sms_mfa_pool(idp)
    username, phone = unique("mig"), new_phone()

    first = password_sign_in(
        idp, client_id, username, LEGACY_PASSWORD, ClientMetadata={"phone": phone, "mfa": "true"}
    )

    assert first["ChallengeName"] == "SMS_MFA"
    assert first["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    assert user["UserMFASettingList"] == ["SMS_MFA"]
    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SMS_MFA",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": username, "SMS_MFA_CODE": inbox.wait_code(phone)},
    )
    assert "AccessToken" in done["AuthenticationResult"]
    # and every later sign-in too
    assert password_sign_in(idp, client_id, username, LEGACY_PASSWORD)["ChallengeName"] == "SMS_MFA"


def test_enable_sms_mfa_without_pool_mfa_or_a_phone_migrates_nobody(idp: Any) -> None:
    no_mfa_pool, no_mfa_client = make_app(idp, UserMigration=MIGRATE)
    mfa_pool, mfa_client = sms_mfa_pool(idp)
    cases = [
        (no_mfa_pool, no_mfa_client, {"phone": new_phone(), "mfa": "true"}),
        (mfa_pool, mfa_client, {"mfa": "true"}),  # no phone number
    ]
    for pool_id, client_id, metadata in cases:
        username = unique("mig")
        with cognito_error("NotAuthorizedException", "Incorrect username or password."):
            password_sign_in(idp, client_id, username, LEGACY_PASSWORD, ClientMetadata=metadata)
        with cognito_error("UserNotFoundException", "User does not exist."):
            idp.admin_get_user(UserPoolId=pool_id, Username=username)
        with cognito_error(
            "UserNotFoundException", f"Exception migrating user in app client {client_id}"
        ):
            idp.forgot_password(ClientId=client_id, Username=username, ClientMetadata=metadata)

    # a client hiding who exists answers as for any unknown name
    idp.update_user_pool_client(
        UserPoolId=mfa_pool,
        ClientId=mfa_client,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
        PreventUserExistenceErrors="ENABLED",
    )
    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        password_sign_in(
            idp, mfa_client, unique("mig"), LEGACY_PASSWORD, ClientMetadata={"mfa": "true"}
        )


# ------------------------------------------------------------------ pycognito end to end
def pycognito_app(idp: Any, server: ServerProcess) -> tuple[str, str]:
    pool_id, _ = make_app(idp, UserMigration=MIGRATE)
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="pycognito",
        ExplicitAuthFlows=[
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def pycognito(server: ServerProcess, app: tuple[str, str], username: str, **tokens: str) -> Cognito:
    return Cognito(
        *app,
        username=username,
        boto3_client_kwargs={
            "endpoint_url": server.base_url,
            "aws_access_key_id": "test",
            "aws_secret_access_key": "test",
        },
        **tokens,
    )


def test_pycognito_signs_an_unknown_user_in_with_a_password_and_the_user_stays(
    idp: Any, trigger_server: ServerProcess
) -> None:
    """pycognito has no USER_PASSWORD_AUTH method: the sign-in goes through its boto3 client,
    and pycognito checks the tokens; later sign-ins are pycognito's own SRP."""
    app = pycognito_app(idp, trigger_server)
    username = unique("mig")
    first = pycognito(trigger_server, app, username)

    result = first.client.initiate_auth(
        ClientId=app[1],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": LEGACY_PASSWORD},
    )["AuthenticationResult"]

    signed_in = pycognito(
        trigger_server,
        app,
        username,
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result["RefreshToken"],
    )
    signed_in.verify_tokens()  # signature, issuer, audience, token use
    assert signed_in.id_claims["email"] == f"{username}@legacy.example"
    assert signed_in.get_user().name == f"Legacy {username}"  # GetUser with the access token
    signed_in.renew_access_token()

    again = pycognito(trigger_server, app, username)
    again.authenticate(password=LEGACY_PASSWORD)  # SRP: the migrated user has a verifier
    again.verify_tokens()
    assert again.id_claims["sub"] == signed_in.id_claims["sub"]
    assert [e["triggerSource"] for e in events_of(app[0])] == ["UserMigration_Authentication"]


def test_pycognito_forgot_password_migrates_and_the_reset_password_signs_in(
    idp: Any, inbox: Inbox, trigger_server: ServerProcess
) -> None:
    app = pycognito_app(idp, trigger_server)
    username = unique("fp")
    user = pycognito(trigger_server, app, username)

    user.initiate_forgot_password()  # the name is unknown: the function migrates it

    assert user_status(idp, app[0], username) == "RESET_REQUIRED"
    user.confirm_forgot_password(inbox.wait_code(f"{username}@legacy.example"), NEW_PASSWORD)
    assert user_status(idp, app[0], username) == "CONFIRMED"
    user.authenticate(password=NEW_PASSWORD)
    user.verify_tokens()
    assert user.id_claims["cognito:username"] == username
    assert [e["triggerSource"] for e in events_of(app[0])] == ["UserMigration_ForgotPassword"]
