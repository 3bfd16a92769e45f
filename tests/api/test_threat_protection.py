"""Threat protection through boto3: auth events, compromised passwords, risky sign-ins from a
new device, feedback, the risk configuration and the user-activity log, in AUDIT and
ENFORCED pools; and nothing of it for a pool without it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pyotp

from tests.api.support import (
    PASSWORD,
    REPO_ROOT,
    App,
    MakeClient,
    MakePool,
    MakeUser,
    ServerProcess,
    User,
    cognito_error,
    server_env,
    unique,
)

BREACHED = "P@ssw0rd"  # meets the default policy, and is in every breach list
BLOCKED = "Unable to login because of security reasons."
NOT_ENABLED = "Advanced security features are not enabled for this user pool."


def _pool(make_pool: MakePool, mode: str, **kwargs: Any) -> str:
    return make_pool(UserPoolAddOns={"AdvancedSecurityMode": mode}, **kwargs)


def _sign_in(cognito: Any, app: App, user: User, device: str, password: str = "") -> Any:
    """InitiateAuth from a device, told apart by UserContextData as the Amplify and
    Cognito SDKs send it."""
    return cognito.initiate_auth(
        ClientId=app.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user.username, "PASSWORD": password or user.password},
        UserContextData={"EncodedData": device},
    )


def _events(cognito: Any, user: User, **kwargs: Any) -> list[dict[str, Any]]:
    answer = cognito.admin_list_user_auth_events(
        UserPoolId=user.pool_id, Username=user.username, **kwargs
    )
    events: list[dict[str, Any]] = answer["AuthEvents"]
    return events


def _takeover(cognito: Any, pool_id: str, medium: str) -> None:
    """A new device at a known address is Medium risk: take `medium` then."""
    cognito.set_risk_configuration(
        UserPoolId=pool_id,
        AccountTakeoverRiskConfiguration={
            "Actions": {
                "LowAction": {"Notify": False, "EventAction": "NO_ACTION"},
                "MediumAction": {"Notify": False, "EventAction": medium},
                "HighAction": {"Notify": False, "EventAction": "BLOCK"},
            }
        },
    )


def _block_compromised(cognito: Any, pool_id: str) -> None:
    cognito.set_risk_configuration(
        UserPoolId=pool_id,
        CompromisedCredentialsRiskConfiguration={
            "EventFilter": ["SIGN_IN", "SIGN_UP", "PASSWORD_CHANGE"],
            "Actions": {"EventAction": "BLOCK"},
        },
    )


def test_a_pool_without_threat_protection_has_no_events(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    user = make_user(pool_id)
    _sign_in(cognito, make_client(pool_id), user, "laptop")
    with cognito_error("UserPoolAddOnNotEnabledException", NOT_ENABLED):
        _events(cognito, user)
    with cognito_error("UserPoolAddOnNotEnabledException", NOT_ENABLED):
        cognito.describe_risk_configuration(UserPoolId=pool_id)
    with cognito_error("UserPoolAddOnNotEnabledException", NOT_ENABLED):
        _block_compromised(cognito, pool_id)


def test_a_breached_password_is_refused_at_sign_up_when_enforced(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    pool_id = _pool(make_pool, "ENFORCED")
    _block_compromised(cognito, pool_id)
    app = make_client(pool_id)
    with cognito_error(
        "InvalidPasswordException", "Provided password cannot be used for security reasons."
    ):
        cognito.sign_up(ClientId=app.client_id, Username=unique("u"), Password=BREACHED)
    signed_up = cognito.sign_up(ClientId=app.client_id, Username=unique("u"), Password=PASSWORD)
    assert signed_up["UserConfirmed"] is False


def test_a_breached_password_is_only_recorded_in_audit(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    pool_id = _pool(make_pool, "AUDIT")
    _block_compromised(cognito, pool_id)
    app = make_client(pool_id)
    username = unique("u")
    cognito.sign_up(ClientId=app.client_id, Username=username, Password=BREACHED)
    (event,) = _events(cognito, User(pool_id, username, BREACHED))
    assert event["EventType"] == "SignUp"
    assert event["EventResponse"] == "Pass"
    assert event["EventRisk"]["CompromisedCredentialsDetected"] is True
    assert event["EventContextData"]["IpAddress"] == "127.0.0.1"


def test_a_breached_password_at_sign_in_requires_a_reset_when_enforced(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = _pool(make_pool, "ENFORCED")
    _block_compromised(cognito, pool_id)
    user = make_user(pool_id, password=BREACHED)  # an administrator's choice is not screened
    with cognito_error("PasswordResetRequiredException", "Password reset required for the user"):
        _sign_in(cognito, make_client(pool_id), user, "laptop")
    status = cognito.admin_get_user(UserPoolId=pool_id, Username=user.username)["UserStatus"]
    assert status == "RESET_REQUIRED"
    sign_in = [e for e in _events(cognito, user) if e["EventType"] == "SignIn"][0]
    assert sign_in["EventResponse"] == "Fail"
    assert sign_in["EventRisk"]["RiskDecision"] == "Block"
    assert sign_in["EventRisk"]["CompromisedCredentialsDetected"] is True


def test_a_new_device_is_blocked_when_enforced(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = _pool(make_pool, "ENFORCED")
    _takeover(cognito, pool_id, "BLOCK")
    app = make_client(pool_id)
    user = make_user(pool_id)
    assert "AuthenticationResult" in _sign_in(cognito, app, user, "laptop")
    assert "AuthenticationResult" in _sign_in(cognito, app, user, "laptop")
    with cognito_error("NotAuthorizedException", BLOCKED):
        _sign_in(cognito, app, user, "stranger's phone")
    newest = [e for e in _events(cognito, user) if e["EventType"] == "SignIn"]
    assert [e["EventResponse"] for e in newest] == ["Fail", "Pass", "Pass"]
    assert newest[0]["EventRisk"]["RiskDecision"] == "Block"
    assert newest[0]["EventRisk"]["RiskLevel"] == "Medium"
    assert newest[1]["EventRisk"]["RiskDecision"] == "NoRisk"
    assert "RiskLevel" not in newest[1]["EventRisk"]


def test_a_new_device_is_only_recorded_in_audit(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = _pool(make_pool, "AUDIT")
    _takeover(cognito, pool_id, "BLOCK")
    app = make_client(pool_id)
    user = make_user(pool_id)
    _sign_in(cognito, app, user, "laptop")
    assert "AuthenticationResult" in _sign_in(cognito, app, user, "stranger's phone")
    newest = _events(cognito, user)[0]
    assert newest["EventResponse"] == "Pass"
    assert newest["EventRisk"]["RiskDecision"] == "Block"  # what ENFORCED would have done
    assert newest["EventRisk"]["RiskLevel"] == "Medium"


def test_a_new_device_must_answer_mfa_when_required(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = _pool(make_pool, "ENFORCED")
    totp_on = {"SoftwareTokenMfaConfiguration": {"Enabled": True}}
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL", **totp_on)
    _takeover(cognito, pool_id, "MFA_REQUIRED")
    app = make_client(pool_id)
    user = make_user(pool_id)
    token = _sign_in(cognito, app, user, "laptop")["AuthenticationResult"]["AccessToken"]
    secret = cognito.associate_software_token(AccessToken=token)["SecretCode"]
    authenticator = pyotp.TOTP(secret)
    cognito.verify_software_token(AccessToken=token, UserCode=authenticator.now())
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username=user.username, SoftwareTokenMfaSettings={"Enabled": True}
    )
    # the pool stops asking for MFA: only risk makes the user answer it now
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF", **totp_on)
    assert "AuthenticationResult" in _sign_in(cognito, app, user, "laptop")
    step = _sign_in(cognito, app, user, "new tablet")
    assert step["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert _events(cognito, user)[0]["EventResponse"] == "InProgress"
    done = cognito.respond_to_auth_challenge(
        ClientId=app.client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=step["Session"],
        ChallengeResponses={
            "USERNAME": user.username,
            "SOFTWARE_TOKEN_MFA_CODE": str(authenticator.at(time.time() + 30)),
        },
    )
    assert "AccessToken" in done["AuthenticationResult"]
    newest = _events(cognito, user)[0]
    assert newest["EventResponse"] == "Pass"
    assert newest["EventRisk"]["RiskDecision"] == "AccountTakeover"
    assert [c["ChallengeName"] for c in newest["ChallengeResponses"]] == ["Password", "Mfa"]


def test_mfa_required_blocks_a_new_device_of_a_user_without_mfa(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = _pool(make_pool, "ENFORCED")
    _takeover(cognito, pool_id, "MFA_REQUIRED")
    app = make_client(pool_id)
    user = make_user(pool_id)
    _sign_in(cognito, app, user, "laptop")
    with cognito_error("NotAuthorizedException", BLOCKED):
        _sign_in(cognito, app, user, "new tablet")


def test_events_are_paged_newest_first_and_take_feedback(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = _pool(make_pool, "AUDIT")
    app = make_client(pool_id)
    user = make_user(pool_id)
    for _ in range(3):
        _sign_in(cognito, app, user, "laptop")
    with cognito_error("NotAuthorizedException"):
        _sign_in(cognito, app, user, "laptop", password="Wr0ng-Password!")
    pages: list[list[dict[str, Any]]] = []
    token: dict[str, str] = {}
    while not pages or token:
        page = cognito.admin_list_user_auth_events(
            UserPoolId=pool_id, Username=user.username, MaxResults=2, **token
        )
        pages.append(page["AuthEvents"])
        token = {"NextToken": page["NextToken"]} if "NextToken" in page else {}
    assert [len(p) for p in pages] == [2, 2, 1]
    listed = [event for p in pages for event in p]
    assert [e["EventType"] for e in listed] == ["SignIn"] * 4 + ["PasswordChange"]
    assert [e["EventResponse"] for e in listed[:4]] == ["Fail", "Pass", "Pass", "Pass"]
    assert listed[0]["ChallengeResponses"] == [
        {"ChallengeName": "Password", "ChallengeResponse": "Failure"}
    ]
    assert len({e["EventId"] for e in listed}) == 5

    event_id = listed[1]["EventId"]
    cognito.admin_update_auth_event_feedback(
        UserPoolId=pool_id, Username=user.username, EventId=event_id, FeedbackValue="Invalid"
    )
    feedback = _events(cognito, user)[1]["EventFeedback"]
    assert feedback["FeedbackValue"] == "Invalid"
    assert feedback["Provider"] == "Admin"
    with cognito_error("NotAuthorizedException"):
        cognito.update_auth_event_feedback(
            UserPoolId=pool_id,
            Username=user.username,
            EventId=event_id,
            FeedbackToken="not-the-token",
            FeedbackValue="Valid",
        )
    with cognito_error("ResourceNotFoundException"):
        cognito.admin_update_auth_event_feedback(
            UserPoolId=pool_id, Username=user.username, EventId="nope", FeedbackValue="Valid"
        )


def test_risk_configuration_round_trips_per_pool_and_client(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    pool_id = _pool(make_pool, "ENFORCED")
    app = make_client(pool_id)
    _block_compromised(cognito, pool_id)
    _takeover(cognito, pool_id, "MFA_IF_CONFIGURED")
    described = cognito.describe_risk_configuration(UserPoolId=pool_id)["RiskConfiguration"]
    assert described["UserPoolId"] == pool_id
    assert "CompromisedCredentialsRiskConfiguration" not in described  # the last Set replaces
    medium = described["AccountTakeoverRiskConfiguration"]["Actions"]["MediumAction"]
    assert medium["EventAction"] == "MFA_IF_CONFIGURED"
    cognito.set_risk_configuration(
        UserPoolId=pool_id,
        ClientId=app.client_id,
        RiskExceptionConfiguration={"SkippedIPRangeList": ["127.0.0.0/8"]},
    )
    own = cognito.describe_risk_configuration(UserPoolId=pool_id, ClientId=app.client_id)
    assert own["RiskConfiguration"]["ClientId"] == app.client_id
    assert own["RiskConfiguration"]["RiskExceptionConfiguration"] == {
        "SkippedIPRangeList": ["127.0.0.0/8"]
    }
    with cognito_error("InvalidParameterException"):
        cognito.set_risk_configuration(
            UserPoolId=pool_id, RiskExceptionConfiguration={"BlockedIPRangeList": ["nonsense"]}
        )


def test_a_skipped_address_range_is_not_judged(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = _pool(make_pool, "ENFORCED")
    app = make_client(pool_id)
    cognito.set_risk_configuration(
        UserPoolId=pool_id,
        ClientId=app.client_id,
        AccountTakeoverRiskConfiguration={
            "Actions": {"MediumAction": {"Notify": False, "EventAction": "BLOCK"}}
        },
        RiskExceptionConfiguration={"SkippedIPRangeList": ["127.0.0.0/8"]},
    )
    user = make_user(pool_id)
    _sign_in(cognito, app, user, "laptop")
    assert "AuthenticationResult" in _sign_in(cognito, app, user, "new tablet")


def test_activity_log_lines_hold_events_and_no_secrets(
    cognito: Any,
    server: ServerProcess,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
) -> None:
    pool_id = _pool(make_pool, "AUDIT")
    arn = "arn:aws:logs:us-east-1:000000000000:log-group:recognito-activity"
    configured = cognito.set_log_delivery_configuration(
        UserPoolId=pool_id,
        LogConfigurations=[
            {
                "EventSource": "userAuthEvents",
                "LogLevel": "INFO",
                "CloudWatchLogsConfiguration": {"LogGroupArn": arn},
            }
        ],
    )
    got = cognito.get_log_delivery_configuration(UserPoolId=pool_id)
    assert got["LogDeliveryConfiguration"] == configured["LogDeliveryConfiguration"]
    app = make_client(pool_id)
    user = make_user(pool_id)
    result = _sign_in(cognito, app, user, "laptop")["AuthenticationResult"]
    cognito.change_password(
        AccessToken=result["AccessToken"], PreviousPassword=PASSWORD, ProposedPassword=BREACHED
    )
    lines = [
        json.loads(line)
        for line in (server.data_dir / "user-activity.jsonl").read_text().splitlines()
        if pool_id in line
    ]
    assert [(line["eventType"], line["destination"]) for line in lines] == [
        ("PasswordChange", arn),  # make_user's AdminSetUserPassword
        ("SignIn", arn),
        ("PasswordChange", arn),
    ]
    assert lines[-1]["eventRisk"]["CompromisedCredentialsDetected"] is True
    assert lines[1]["username"] == user.username
    everything = "\n".join(
        [
            (server.data_dir / "user-activity.jsonl").read_text(),
            server.stdout(),
            server.stderr(),
        ]
    )
    for secret in (PASSWORD, BREACHED, *result.values()):
        if isinstance(secret, str) and len(secret) > 8:
            assert secret not in everything


def test_recognito_events_shows_a_users_events(
    cognito: Any,
    server: ServerProcess,
    make_pool: MakePool,
    make_client: MakeClient,
    make_user: MakeUser,
) -> None:
    pool_id = _pool(make_pool, "AUDIT")
    app = make_client(pool_id)
    user = make_user(pool_id)
    _sign_in(cognito, app, user, "laptop")
    store = ["--data-dir", str(server.data_dir)]
    base = [sys.executable, "-m", "recognito", "events", *store, "--pool", pool_id]
    shown = subprocess.run(
        [*base, "--user", user.username, "--json"],
        cwd=REPO_ROOT,
        env=server_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    records = [json.loads(line) for line in shown.stdout.splitlines()]
    assert [(r["event_type"], r["response"]) for r in records] == [
        ("SignIn", "Pass"),
        ("PasswordChange", "Pass"),
    ]
    assert {r["username"] for r in records} == {user.username}
    text = subprocess.run(
        base, cwd=REPO_ROOT, env=server_env(), capture_output=True, text=True, check=True
    ).stdout
    assert f"{pool_id} {user.username} SignIn Pass risk=NoRisk/-" in text
    assert "IpAddress=127.0.0.1" in text
