"""PreTokenGeneration through a real server (reference §7.5, docs/behaviour.md §18):
V1_0 changes the ID token and the groups, V2_0 both tokens and the access token's scopes,
on every path that issues tokens; protected claims stay; a failing function leaves the
caller without tokens. Functions are the in-process callables of trigger_functions.py."""

# ruff: noqa: F811  (test_triggers' fixtures, imported, are the tests' parameters)

from __future__ import annotations

from typing import Any

from .support import (
    NEW_PASSWORD,
    PASSWORD,
    Inbox,
    ServerProcess,
    cognito_error,
    unique,
)
from .support.lambdas import arn
from .support.tokens import fetch_jwks, unverified_claims, verify_jwt
from .support.trigger_shapes import check_event
from .test_triggers import (  # noqa: F401  (its fixtures: the same server setup)
    hooks,
    idp,
    lambda_api,
    make_app,
    password_sign_in,
    sms_mfa_user,
    trigger_server,
    triggers_log,
    user_in,
)
from .trigger_functions import events_of

ROLE = "arn:aws:iam::123456789012:role/admins"


def claims(server: ServerProcess, pool_id: str, result: dict[str, Any]) -> tuple[Any, Any]:
    """The ID and access token's claims, after checking their signatures."""
    jwks = fetch_jwks(server.base_url, pool_id)
    issuer = server.base_url + "/" + pool_id
    _, identity = verify_jwt(result["IdToken"], jwks, issuer)
    _, access = verify_jwt(result["AccessToken"], jwks, issuer)
    return identity, access


def admin_in_group(idp: Any, pool_id: str) -> str:
    username = user_in(idp, pool_id)
    idp.create_group(GroupName="admins", UserPoolId=pool_id, RoleArn=ROLE, Precedence=1)
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName="admins")
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username=username, UserAttributes=[{"Name": "name", "Value": "Ann"}]
    )
    return username


def refresh(idp: Any, client_id: str, token: str) -> Any:
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": token},
    )["AuthenticationResult"]


def test_v1_adds_overrides_and_suppresses_id_token_claims_and_overrides_groups(
    idp: Any, trigger_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(idp, PreTokenGeneration=arn("py-pretoken-v1"))
    username = admin_in_group(idp, pool_id)

    result = password_sign_in(idp, client_id, username, PASSWORD)["AuthenticationResult"]

    identity, access = claims(trigger_server, pool_id, result)
    assert identity["tier"] == "gold" and identity["name"] == "Overridden"
    assert "email" not in identity
    # protected claims are neither overridden nor suppressed
    assert identity["sub"] != "x" and identity["iss"].endswith(pool_id)
    assert identity["token_use"] == "id"
    assert identity["cognito:groups"] == ["from-lambda"]
    assert identity["cognito:roles"] == ["arn:aws:iam::123456789012:role/lambda"]
    assert identity["cognito:preferred_role"] == "arn:aws:iam::123456789012:role/lambda"
    # V1 changes only the ID token, but the groups of both
    assert access["cognito:groups"] == ["from-lambda"]
    assert "tier" not in access and access["scope"] == "aws.cognito.signin.user.admin"
    [event] = events_of(pool_id)
    check_event(event, "TokenGeneration_Authentication", pool_id)
    assert event["userName"] == username
    assert event["request"]["groupConfiguration"] == {
        "groupsToOverride": ["admins"],
        "iamRolesToOverride": [ROLE],
        "preferredRole": ROLE,
    }
    assert event["request"]["userAttributes"]["name"] == "Ann"
    assert "clientMetadata" not in event["request"]  # never InitiateAuth's
    assert [e["trigger"] for e in triggers_log(trigger_server, pool_id)] == ["PreTokenGeneration"]


def test_refresh_runs_it_with_token_generation_refresh_tokens(
    idp: Any, trigger_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(idp, PreTokenGeneration=arn("py-pretoken-v1"))
    username = admin_in_group(idp, pool_id)
    first = password_sign_in(idp, client_id, username, PASSWORD)["AuthenticationResult"]

    refreshed = refresh(idp, client_id, first["RefreshToken"])
    rotated = idp.get_tokens_from_refresh_token(
        ClientId=client_id, RefreshToken=first["RefreshToken"], ClientMetadata={"k": "v"}
    )["AuthenticationResult"]

    for result in (refreshed, rotated):
        identity, access = claims(trigger_server, pool_id, result)
        assert identity["tier"] == "gold" and access["cognito:groups"] == ["from-lambda"]
    _, by_refresh, by_get_tokens = events_of(pool_id)
    check_event(by_refresh, "TokenGeneration_RefreshTokens", pool_id)
    assert "clientMetadata" not in by_refresh["request"]
    check_event(by_get_tokens, "TokenGeneration_RefreshTokens", pool_id)
    assert by_get_tokens["request"]["clientMetadata"] == {"k": "v"}


def test_v2_changes_access_token_claims_and_scopes(idp: Any, trigger_server: ServerProcess) -> None:
    pool_id, client_id = make_app(
        idp,
        PreTokenGenerationConfig={"LambdaVersion": "V2_0", "LambdaArn": arn("py-pretoken-v2")},
    )
    username = admin_in_group(idp, pool_id)

    result = password_sign_in(idp, client_id, username, PASSWORD)["AuthenticationResult"]

    identity, access = claims(trigger_server, pool_id, result)
    assert identity["plan"] == {"seats": 3}
    assert access["tenant"] == "t-1" and access["roles"] == ["a", "b"]
    assert access["client_id"] == client_id and access["username"] == username
    assert "debug" not in access  # both added and suppressed: suppressed
    assert isinstance(access["auth_time"], int)  # protected: not suppressed
    assert access["scope"] == "api/read api/write"
    # an empty groupOverrideDetails leaves both tokens without groups
    assert "cognito:groups" not in identity and "cognito:roles" not in identity
    assert "cognito:groups" not in access
    [event] = events_of(pool_id)
    check_event(event, "TokenGeneration_Authentication", pool_id, version="2")
    assert event["request"]["scopes"] == ["aws.cognito.signin.user.admin"]

    refreshed = refresh(idp, client_id, result["RefreshToken"])

    _, access = claims(trigger_server, pool_id, refreshed)
    assert access["scope"] == "api/read api/write" and access["tenant"] == "t-1"


def test_v2_ignores_a_v1_answer_and_v1_refuses_a_non_string_claim(idp: Any) -> None:
    pool_id, client_id = make_app(
        idp,
        PreTokenGenerationConfig={
            "LambdaVersion": "V2_0",
            "LambdaArn": arn("py-pretoken-v1-shape"),
        },
    )
    username = user_in(idp, pool_id)
    result = password_sign_in(idp, client_id, username, PASSWORD)["AuthenticationResult"]
    assert "tier" not in unverified_claims(result["IdToken"])

    pool_id, client_id = make_app(idp, PreTokenGeneration=arn("py-pretoken-array-v1"))
    username = user_in(idp, pool_id)
    with cognito_error("InvalidLambdaResponseException", "Unrecognizable lambda output"):
        password_sign_in(idp, client_id, username, PASSWORD)


def test_a_failing_function_gives_no_tokens_on_sign_in_or_refresh(idp: Any) -> None:
    pool_id, client_id = make_app(idp, PreTokenGeneration=arn("py-refuse"))
    username = user_in(idp, pool_id)
    refusal = "PreTokenGeneration failed with error 'k'."

    with cognito_error("UserLambdaValidationException", refusal):
        password_sign_in(idp, client_id, username, PASSWORD)

    idp.update_user_pool(UserPoolId=pool_id, LambdaConfig={})
    token = password_sign_in(idp, client_id, username, PASSWORD)["AuthenticationResult"][
        "RefreshToken"
    ]
    idp.update_user_pool(UserPoolId=pool_id, LambdaConfig={"PreTokenGeneration": arn("py-refuse")})
    with cognito_error("UserLambdaValidationException", refusal):
        refresh(idp, client_id, token)
    with cognito_error("UserLambdaValidationException", refusal):
        idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=token)


def test_new_password_required_gives_token_generation_new_password_challenge(
    idp: Any, trigger_server: ServerProcess
) -> None:
    pool_id, client_id = make_app(
        idp, PostAuthentication=arn("py-record"), PreTokenGeneration=arn("py-pretoken-v1")
    )
    username = unique("np")
    idp.admin_create_user(
        UserPoolId=pool_id, Username=username, TemporaryPassword=PASSWORD, MessageAction="SUPPRESS"
    )
    step = password_sign_in(idp, client_id, username, PASSWORD)

    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD},
        ClientMetadata={"flow": "first-login"},
    )

    identity, _ = claims(trigger_server, pool_id, done["AuthenticationResult"])
    assert identity["tier"] == "gold"
    post, pre_token = events_of(pool_id)
    check_event(post, "PostAuthentication_Authentication", pool_id)
    check_event(pre_token, "TokenGeneration_NewPasswordChallenge", pool_id)
    assert pre_token["request"]["clientMetadata"] == {"flow": "first-login"}
    assert pre_token["request"]["groupConfiguration"] == {
        "groupsToOverride": [],
        "iamRolesToOverride": [],
        "preferredRole": None,
    }
    log = triggers_log(trigger_server, pool_id)
    assert [e["trigger"] for e in log] == ["PostAuthentication", "PreTokenGeneration"]


def test_sms_mfa_and_srp_sign_ins_run_it_where_the_tokens_are_issued(
    idp: Any, trigger_server: ServerProcess, inbox: Inbox
) -> None:
    from pycognito.aws_srp import AWSSRP

    pool_id, client_id = make_app(idp, PreTokenGeneration=arn("py-pretoken-v1"))
    phone, username = sms_mfa_user(idp, pool_id, "pm")
    step = password_sign_in(idp, client_id, username, PASSWORD)
    assert events_of(pool_id) == []  # not before the second factor

    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SMS_MFA",
        Session=step["Session"],
        ChallengeResponses={"USERNAME": username, "SMS_MFA_CODE": inbox.wait_code(phone)},
        ClientMetadata={"y": "2"},
    )

    identity, _ = claims(trigger_server, pool_id, done["AuthenticationResult"])
    assert identity["tier"] == "gold"
    [event] = events_of(pool_id)
    check_event(event, "TokenGeneration_Authentication", pool_id)
    assert event["request"]["clientMetadata"] == {"y": "2"}

    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username=username, SMSMfaSettings={"Enabled": False}
    )
    srp_client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="srp", ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"]
    )["UserPoolClient"]["ClientId"]
    srp = AWSSRP(
        username=username, password=PASSWORD, pool_id=pool_id, client_id=srp_client, client=idp
    )

    result = srp.authenticate_user()

    identity, access = claims(trigger_server, pool_id, result["AuthenticationResult"])
    assert identity["tier"] == "gold" and access["client_id"] == srp_client
    srp_event = events_of(pool_id)[-1]
    check_event(srp_event, "TokenGeneration_Authentication", pool_id)
    assert srp_event["callerContext"]["clientId"] == srp_client


def test_the_pool_echoes_both_forms_and_refuses_two_different_functions(idp: Any) -> None:
    legacy, _ = make_app(idp, PreTokenGeneration=arn("py-pretoken-v1"))
    versioned, _ = make_app(
        idp,
        PreTokenGenerationConfig={"LambdaVersion": "V2_0", "LambdaArn": arn("py-pretoken-v2")},
    )

    def lambdas(pool_id: str) -> Any:
        return idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["LambdaConfig"]

    assert lambdas(legacy) == {
        "PreTokenGeneration": arn("py-pretoken-v1"),
        "PreTokenGenerationConfig": {"LambdaArn": arn("py-pretoken-v1"), "LambdaVersion": "V1_0"},
    }
    assert lambdas(versioned) == {
        "PreTokenGeneration": arn("py-pretoken-v2"),
        "PreTokenGenerationConfig": {"LambdaArn": arn("py-pretoken-v2"), "LambdaVersion": "V2_0"},
    }
    with cognito_error("InvalidParameterException"):
        idp.update_user_pool(
            UserPoolId=legacy,
            LambdaConfig={
                "PreTokenGeneration": arn("py-pretoken-v1"),
                "PreTokenGenerationConfig": {
                    "LambdaVersion": "V2_0",
                    "LambdaArn": arn("py-pretoken-v2"),
                },
            },
        )
