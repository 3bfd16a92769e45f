"""The custom authentication flow through a real server (reference §7.8, docs/behaviour.md
§18): DefineAuthChallenge, CreateAuthChallenge and VerifyAuthChallengeResponse as
in-process callables (trigger_functions.py's "magic number": round n asks for 7 * n, two
right answers sign in, a wrong one fails); events checked against Cognito's shapes and
Powertools' models; each round's session is single-use and any node takes it."""

# ruff: noqa: F811  (test_triggers' fixtures, imported, are the tests' parameters)

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

import pyotp
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from tests.postgres import server_args, throwaway_database

from .support import (
    PASSWORD,
    Inbox,
    ServerProcess,
    StartServer,
    cognito_error,
    open_boto_client,
    unique,
)
from .support.lambdas import arn
from .support.tokens import fetch_jwks, verify_jwt
from .support.trigger_shapes import check_event
from .test_triggers import (  # noqa: F401  (its fixtures: the same server setup)
    hooks,
    idp,
    lambda_api,
    password_sign_in,
    sms_mfa_user,
    trigger_server,
    user_in,
)
from .trigger_functions import events_of

PYTHON = "python:tests.api.trigger_functions:"
USED = "Invalid session for the user, session can only be used once."
NOT_CONFIGURED = "Custom auth lambda trigger is not configured for the user pool."
MAGIC = {
    "DefineAuthChallenge": arn("py-define-magic"),
    "CreateAuthChallenge": arn("py-create-magic"),
    "VerifyAuthChallengeResponse": arn("py-verify-magic"),
}


def custom_app(idp: Any, flows: list[str] | None = None, **lambdas: str) -> tuple[str, str]:
    pool_id = idp.create_user_pool(PoolName=unique("custom"), LambdaConfig=lambdas or MAGIC)[
        "UserPool"
    ]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=flows or ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def start(idp: Any, client_id: str, username: str, **extra: Any) -> Any:
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": username},
        **extra,
    )


def answer(idp: Any, client_id: str, username: str, session: str, value: str, **extra: Any) -> Any:
    return idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=session,
        ChallengeResponses={"USERNAME": username, "ANSWER": value},
        **extra,
    )


def srp_start(
    idp: Any, pool_id: str, client_id: str, username: str, password: str, *, admin: bool = False
) -> tuple[AWSSRP, Any]:
    """CUSTOM_AUTH begun with a password: CHALLENGE_NAME SRP_A and pycognito's SRP_A."""
    client = AWSSRP(
        username=username, password=password, pool_id=pool_id, client_id=client_id, client=idp
    )
    params = {**client.get_auth_params(), "CHALLENGE_NAME": "SRP_A"}
    if admin:
        first = idp.admin_initiate_auth(
            UserPoolId=pool_id, ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters=params
        )
    else:
        first = idp.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters=params)
    return client, first


def srp_answer(idp: Any, client_id: str, client: AWSSRP, challenge: Any, **extra: Any) -> Any:
    """RespondToAuthChallenge PASSWORD_VERIFIER with pycognito's proof."""
    responses = client.process_challenge(
        challenge["ChallengeParameters"], {"USERNAME": client.username}
    )
    return idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=responses,
        **extra,
    )


def test_two_right_answers_sign_in_with_tokens_that_verify(
    idp: Any, trigger_server: ServerProcess
) -> None:
    pool_id, client_id = custom_app(idp, None, PostAuthentication=arn("py-record"), **MAGIC)
    username = user_in(idp, pool_id)

    first = start(idp, client_id, username, ClientMetadata={"from": "initiate"})
    assert first["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert first["ChallengeParameters"] == {"round": "1", "USERNAME": username}
    second = answer(idp, client_id, username, first["Session"], "7", ClientMetadata={"k": "v"})
    assert second["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert second["ChallengeParameters"] == {"round": "2", "USERNAME": username}
    assert second["Session"] != first["Session"]  # a new session each round
    done = answer(idp, client_id, username, second["Session"], "14")

    result = done["AuthenticationResult"]
    jwks = fetch_jwks(trigger_server.base_url, pool_id)
    _, identity = verify_jwt(result["IdToken"], jwks, f"{trigger_server.base_url}/{pool_id}")
    assert identity["cognito:username"] == username
    assert result["RefreshToken"]
    events = events_of(pool_id)
    assert [e["triggerSource"].split("_")[0] for e in events] == [
        "DefineAuthChallenge",
        "CreateAuthChallenge",
        "VerifyAuthChallengeResponse",
        "DefineAuthChallenge",
        "CreateAuthChallenge",
        "VerifyAuthChallengeResponse",
        "DefineAuthChallenge",
        "PostAuthentication",
    ]
    for event in events:
        check_event(event, event["triggerSource"], pool_id)
    define_1, create_1, verify_1, define_2, create_2, _, define_3, _ = events
    # InitiateAuth's ClientMetadata reaches neither Define nor Create; the answer's
    # reaches Verify and the Define after it, not Create
    assert define_1["request"]["session"] == [] and "clientMetadata" not in define_1["request"]
    assert "clientMetadata" not in create_1["request"]
    assert create_1["request"]["challengeName"] == "CUSTOM_CHALLENGE"
    assert verify_1["request"]["privateChallengeParameters"] == {"answer": "7"}
    assert verify_1["request"]["challengeAnswer"] == "7"
    assert verify_1["request"]["clientMetadata"] == {"k": "v"}
    round_1 = {
        "challengeName": "CUSTOM_CHALLENGE",
        "challengeResult": True,
        "challengeMetadata": "ROUND-1",
    }
    assert define_2["request"]["session"] == [round_1]
    assert define_2["request"]["clientMetadata"] == {"k": "v"}
    assert "clientMetadata" not in create_2["request"]
    assert create_2["request"]["session"] == [round_1]
    round_2 = {**round_1, "challengeMetadata": "ROUND-2"}
    assert define_3["request"]["session"] == [round_1, round_2]
    assert define_3["request"]["userAttributes"]["sub"] == identity["sub"]


def test_a_wrong_answer_fails_the_sign_in_and_its_session_is_spent(idp: Any) -> None:
    pool_id, client_id = custom_app(idp)
    username = user_in(idp, pool_id)
    first = start(idp, client_id, username)

    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        answer(idp, client_id, username, first["Session"], "8")
    last = events_of(pool_id)[-1]
    assert last["triggerSource"] == "DefineAuthChallenge_Authentication"
    assert last["request"]["session"] == [
        {
            "challengeName": "CUSTOM_CHALLENGE",
            "challengeResult": False,
            "challengeMetadata": "ROUND-1",
        }
    ]
    with cognito_error("NotAuthorizedException", USED):  # the right answer comes too late
        answer(idp, client_id, username, first["Session"], "7")


def test_a_session_answered_already_is_refused(idp: Any) -> None:
    pool_id, client_id = custom_app(idp)
    username = user_in(idp, pool_id)
    first = start(idp, client_id, username)
    second = answer(idp, client_id, username, first["Session"], "7")
    answer(idp, client_id, username, second["Session"], "14")["AuthenticationResult"]

    for session in (first["Session"], second["Session"]):
        with cognito_error("NotAuthorizedException", USED):
            answer(idp, client_id, username, session, "14")


def test_admin_initiate_auth_runs_the_same_flow(idp: Any) -> None:
    pool_id, client_id = custom_app(idp)
    username = user_in(idp, pool_id)

    first = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": username},
    )
    second = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": username, "ANSWER": "7"},
    )
    done = answer(idp, client_id, username, second["Session"], "14")

    assert done["AuthenticationResult"]["AccessToken"]


def test_a_client_without_allow_custom_auth_is_refused(idp: Any) -> None:
    pool_id, client_id = custom_app(idp, ["ALLOW_USER_PASSWORD_AUTH"])
    username = user_in(idp, pool_id)

    with cognito_error("InvalidParameterException", "CUSTOM_AUTH flow not enabled for this client"):
        start(idp, client_id, username)
    assert events_of(pool_id) == []


def test_a_pool_without_define_auth_challenge_is_refused(idp: Any) -> None:
    pool_id, client_id = custom_app(idp, PostAuthentication=arn("py-record"))
    username = user_in(idp, pool_id)

    with cognito_error(
        "InvalidParameterException",
        "Custom auth lambda trigger is not configured for the user pool.",
    ):
        start(idp, client_id, username)


def test_a_define_answer_that_decides_nothing_is_an_invalid_lambda_response(idp: Any) -> None:
    pool_id, client_id = custom_app(idp, DefineAuthChallenge=arn("py-record"))
    username = user_in(idp, pool_id)

    with cognito_error("InvalidLambdaResponseException"):
        start(idp, client_id, username)


def test_each_round_can_be_answered_on_another_node(
    private_server: StartServer, tmp_path: Path
) -> None:
    """No round lives in a node's memory: two nodes on one PostgreSQL database take turns."""
    table = tmp_path / "triggers.toml"
    names = ("define_magic", "create_magic", "verify_magic")
    table.write_text(
        "".join(f'"{arn("py-" + n.replace("_", "-"))}" = "{PYTHON}{n}"\n' for n in names)
    )
    with throwaway_database(f"recognito_custom_{os.getpid()}_{uuid.uuid4().hex[:6]}") as url:
        shared = [*server_args(url, tmp_path), "--triggers", str(table)]
        a = private_server(tmp_path / "a", extra_args=shared)
        b = private_server(tmp_path / "b", extra_args=shared)
        with open_boto_client(a.base_url) as node_a, open_boto_client(b.base_url) as node_b:
            pool_id, client_id = custom_app(node_a)
            username = user_in(node_a, pool_id)
            first = start(node_a, client_id, username)
            second = answer(node_b, client_id, username, first["Session"], "7")
            done = answer(node_a, client_id, username, second["Session"], "14")
            assert done["AuthenticationResult"]["IdToken"]
            with cognito_error("NotAuthorizedException", USED):
                answer(node_b, client_id, username, second["Session"], "14")
        for process in (a, b):
            process.stop()


PASSWORD_FIRST = {**MAGIC, "DefineAuthChallenge": arn("py-define-password-first")}
SRP_A_ROUND = {"challengeName": "SRP_A", "challengeResult": True, "challengeMetadata": None}
VERIFIER_ROUND = {
    "challengeName": "PASSWORD_VERIFIER",
    "challengeResult": True,
    "challengeMetadata": None,
}


def test_a_password_first_then_a_custom_round_signs_in(
    idp: Any, trigger_server: ServerProcess
) -> None:
    pool_id, client_id = custom_app(
        idp,
        None,
        PreAuthentication=arn("py-record"),
        PostAuthentication=arn("py-record"),
        **PASSWORD_FIRST,
    )
    username = user_in(idp, pool_id)
    client, first = srp_start(idp, pool_id, client_id, username, PASSWORD)

    # the normal PASSWORD_VERIFIER challenge, with a session for the rounds
    assert first["ChallengeName"] == "PASSWORD_VERIFIER"
    assert set(first["ChallengeParameters"]) == {
        "SALT",
        "SRP_B",
        "SECRET_BLOCK",
        "USERNAME",
        "USER_ID_FOR_SRP",
    }
    assert first["ChallengeParameters"]["USER_ID_FOR_SRP"] == username
    assert first["Session"]
    second = srp_answer(
        idp, client_id, client, first, Session=first["Session"], ClientMetadata={"k": "v"}
    )
    assert second["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert second["ChallengeParameters"] == {"round": "3", "USERNAME": username}
    done = answer(idp, client_id, username, second["Session"], "21")

    result = done["AuthenticationResult"]
    jwks = fetch_jwks(trigger_server.base_url, pool_id)
    _, identity = verify_jwt(result["IdToken"], jwks, f"{trigger_server.base_url}/{pool_id}")
    assert identity["cognito:username"] == username
    events = events_of(pool_id)
    # PreAuthentication does not run in custom authentication, password first or not
    assert [e["triggerSource"].split("_")[0] for e in events] == [
        "DefineAuthChallenge",
        "DefineAuthChallenge",
        "CreateAuthChallenge",
        "VerifyAuthChallengeResponse",
        "DefineAuthChallenge",
        "PostAuthentication",
    ]
    for event in events:
        check_event(event, event["triggerSource"], pool_id)
    define_1, define_2, create, _, define_3, _ = events
    assert define_1["request"]["session"] == [SRP_A_ROUND]
    assert "clientMetadata" not in define_1["request"]
    # the PASSWORD_VERIFIER answer's ClientMetadata reaches the Define after it
    assert define_2["request"]["session"] == [SRP_A_ROUND, VERIFIER_ROUND]
    assert define_2["request"]["clientMetadata"] == {"k": "v"}
    assert create["request"]["session"] == [SRP_A_ROUND, VERIFIER_ROUND]
    custom_round = {
        "challengeName": "CUSTOM_CHALLENGE",
        "challengeResult": True,
        "challengeMetadata": "ROUND-3",
    }
    assert define_3["request"]["session"] == [SRP_A_ROUND, VERIFIER_ROUND, custom_round]
    # the password round's session and proof were single-use
    with cognito_error("NotAuthorizedException", USED):
        srp_answer(idp, client_id, client, first, Session=first["Session"])


def test_the_password_alone_can_be_the_custom_flow_through_admin_calls(idp: Any) -> None:
    pool_id, client_id = custom_app(idp, None, DefineAuthChallenge=arn("py-define-password-only"))
    username = user_in(idp, pool_id)
    client, first = srp_start(idp, pool_id, client_id, username, PASSWORD, admin=True)
    responses = client.process_challenge(first["ChallengeParameters"], {"USERNAME": username})

    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        Session=first["Session"],
        ChallengeResponses=responses,
    )

    assert done["AuthenticationResult"]["AccessToken"]
    sessions = [e["request"]["session"] for e in events_of(pool_id)]
    assert sessions == [[SRP_A_ROUND], [SRP_A_ROUND, VERIFIER_ROUND]]


def test_a_wrong_password_in_custom_auth_is_refused_at_once_and_counts_for_lockout(
    idp: Any,
) -> None:
    pool_id, client_id = custom_app(idp, None, **PASSWORD_FIRST)
    username = user_in(idp, pool_id)

    client, first = srp_start(idp, pool_id, client_id, username, "Wr0ng-Password!")
    with cognito_error("NotAuthorizedException", "Incorrect username or password."):
        srp_answer(idp, client_id, client, first, Session=first["Session"])
    # Define is not asked again: no `false` password round reaches the functions
    assert [e["request"]["session"] for e in events_of(pool_id)] == [[SRP_A_ROUND]]

    # the same lockout as USER_SRP_AUTH: four more failures, then locked (1 s, doubling)
    messages = []
    for _ in range(8):
        client, first = srp_start(idp, pool_id, client_id, username, "Wr0ng-Password!")
        try:
            srp_answer(idp, client_id, client, first, Session=first["Session"])
        except ClientError as exc:
            messages.append(exc.response["Error"]["Message"])
        if messages[-1] == "Password attempts exceeded":
            break
    assert messages[:4] == ["Incorrect username or password."] * 4
    assert messages[-1] == "Password attempts exceeded"


def test_define_cannot_ask_for_the_password_without_srp_a(idp: Any) -> None:
    pool_id, client_id = custom_app(idp, None, **PASSWORD_FIRST)
    username = user_in(idp, pool_id)

    with cognito_error("InvalidLambdaResponseException", "Unrecognizable lambda output"):
        start(idp, client_id, username)  # no SRP_A: there is no A to answer with


def test_a_bad_srp_a_is_refused_before_any_function_runs(idp: Any) -> None:
    pool_id, client_id = custom_app(idp, None, **PASSWORD_FIRST)
    username = user_in(idp, pool_id)

    for params in ({"SRP_A": "0"}, {}):
        with cognito_error("InvalidParameterException"):
            idp.initiate_auth(
                ClientId=client_id,
                AuthFlow="CUSTOM_AUTH",
                AuthParameters={"USERNAME": username, "CHALLENGE_NAME": "SRP_A", **params},
            )
    assert events_of(pool_id) == []


def test_the_password_round_needs_its_session(idp: Any) -> None:
    """Without the round's session the proof cannot skip Define: the block alone is refused."""
    pool_id, client_id = custom_app(idp, None, **PASSWORD_FIRST)
    username = user_in(idp, pool_id)
    client, first = srp_start(idp, pool_id, client_id, username, PASSWORD)

    with cognito_error("NotAuthorizedException", "Invalid session for the user."):
        srp_answer(idp, client_id, client, first)
    assert len(events_of(pool_id)) == 1


def test_a_user_with_mfa_answers_the_code_after_the_password_then_define_decides(
    idp: Any, inbox: Inbox
) -> None:
    pool_id, client_id = custom_app(idp, None, **PASSWORD_FIRST)
    phone, username = sms_mfa_user(idp, pool_id, "mfa")
    client, first = srp_start(idp, pool_id, client_id, username, PASSWORD)

    second = srp_answer(idp, client_id, client, first, Session=first["Session"])

    # the code comes before Define hears of the password
    assert second["ChallengeName"] == "SMS_MFA"
    assert second["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"].endswith(phone[-4:])
    assert [e["request"]["session"] for e in events_of(pool_id)] == [[SRP_A_ROUND]]

    def code(value: str) -> Any:
        return idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="SMS_MFA",
            Session=second["Session"],
            ChallengeResponses={"USERNAME": username, "SMS_MFA_CODE": value},
        )

    right = inbox.wait_code(phone)
    with cognito_error("CodeMismatchException"):  # a mistyped code may be tried again
        code("000000" if right != "000000" else "111111")
    done = code(right)

    assert done["AuthenticationResult"]["AccessToken"]
    mfa_round = {"challengeName": "SMS_MFA", "challengeResult": True, "challengeMetadata": None}
    last = events_of(pool_id)[-1]
    check_event(last, "DefineAuthChallenge_Authentication", pool_id)
    assert last["request"]["session"] == [SRP_A_ROUND, VERIFIER_ROUND, mfa_round]


def test_custom_challenges_without_a_password_ask_no_mfa_code(idp: Any) -> None:
    """MFA follows a password (reference §7.8); custom rounds alone are the functions' say."""
    pool_id, client_id = custom_app(idp)
    _, username = sms_mfa_user(idp, pool_id, "mfa")
    first = start(idp, client_id, username)
    second = answer(idp, client_id, username, first["Session"], "7")

    done = answer(idp, client_id, username, second["Session"], "14")

    assert done["AuthenticationResult"]["AccessToken"]


def test_an_authenticator_code_can_be_the_round_after_the_password(idp: Any) -> None:
    pool_id, client_id = custom_app(
        idp, ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH"], **PASSWORD_FIRST
    )
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    username = user_in(idp, pool_id)
    token = password_sign_in(idp, client_id, username, PASSWORD)["AuthenticationResult"]
    secret = idp.associate_software_token(AccessToken=token["AccessToken"])["SecretCode"]
    authenticator = pyotp.TOTP(secret)
    idp.verify_software_token(AccessToken=token["AccessToken"], UserCode=authenticator.now())
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username=username, SoftwareTokenMfaSettings={"Enabled": True}
    )
    client, first = srp_start(idp, pool_id, client_id, username, PASSWORD)
    second = srp_answer(idp, client_id, client, first, Session=first["Session"])
    assert second["ChallengeName"] == "SOFTWARE_TOKEN_MFA"

    done = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=second["Session"],
        # the coming step's code: accepted now, and newer than the one used to verify
        ChallengeResponses={
            "USERNAME": username,
            "SOFTWARE_TOKEN_MFA_CODE": authenticator.at(time.time() + 30),
        },
    )

    assert done["AuthenticationResult"]["AccessToken"]
    totp_round = {
        "challengeName": "SOFTWARE_TOKEN_MFA",
        "challengeResult": True,
        "challengeMetadata": None,
    }
    assert events_of(pool_id)[-1]["request"]["session"] == [
        SRP_A_ROUND,
        VERIFIER_ROUND,
        totp_round,
    ]
