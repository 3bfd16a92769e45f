"""Golden shapes of trigger events (docs: /work/shared/cognito-triggers.md §3, §7): the
exact envelope, and per source the request members that must be there, those that may
be, and the pre-filled response. Each event is also parsed with Powertools' Cognito
parser models (pydantic), which handlers written with them use: a mismatch fails."""

from __future__ import annotations

import re
from typing import Any

from aws_lambda_powertools.utilities.parser.models import (
    CognitoCreateAuthChallengeTriggerModel,
    CognitoCustomEmailSenderTriggerModel,
    CognitoCustomMessageTriggerModel,
    CognitoCustomSMSSenderTriggerModel,
    CognitoDefineAuthChallengeTriggerModel,
    CognitoMigrateUserTriggerModel,
    CognitoPostAuthenticationTriggerModel,
    CognitoPostConfirmationTriggerModel,
    CognitoPreAuthenticationTriggerModel,
    CognitoPreSignupTriggerModel,
    CognitoPreTokenGenerationTriggerModelV1,
    CognitoPreTokenGenerationTriggerModelV2AndV3,
    CognitoVerifyAuthChallengeTriggerModel,
)
from pydantic import BaseModel

ENVELOPE = {
    "version",
    "triggerSource",
    "region",
    "userPoolId",
    "userName",
    "callerContext",
    "request",
    "response",
}
SDK_FORM = r"^aws-sdk-[a-z0-9-]+-[0-9A-Za-z.\-]+$|^aws-sdk-unknown-unknown$"

# source -> (request members always present, members present only when sent, response)
SHAPES: dict[str, tuple[set[str], set[str], dict[str, Any]]] = {
    "PreSignUp_SignUp": (
        {"userAttributes", "validationData"},
        {"clientMetadata"},
        {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    ),
    "PreSignUp_AdminCreateUser": (
        {"userAttributes", "validationData"},
        {"clientMetadata"},
        {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    ),
    # the first federated sign-in (reference §7.1): validationData null, no clientMetadata
    "PreSignUp_ExternalProvider": (
        {"userAttributes", "validationData"},
        set(),
        {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    ),
    # reference §7.10 (typings; Powertools has no model for it)
    "InboundFederation_ExternalProvider": (
        {"providerName", "providerType", "attributes"},
        set(),
        {"userAttributesToMap": {}},
    ),
    "PostConfirmation_ConfirmSignUp": ({"userAttributes"}, {"clientMetadata"}, {}),
    "PostConfirmation_ConfirmForgotPassword": ({"userAttributes"}, {"clientMetadata"}, {}),
    "PreAuthentication_Authentication": (
        {"userAttributes", "validationData"},
        {"userNotFound"},
        {},
    ),
    "PostAuthentication_Authentication": (
        {"userAttributes", "newDeviceUsed"},
        {"clientMetadata"},
        {},
    ),
}
for _source in (
    "SignUp",
    "ResendCode",
    "ForgotPassword",
    "AdminCreateUser",
    "UpdateUserAttribute",
    "VerifyUserAttribute",
    "Authentication",
):
    SHAPES[f"CustomMessage_{_source}"] = (
        {"userAttributes", "codeParameter", "linkParameter", "usernameParameter"},
        {"clientMetadata"},
        {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    )
_MIGRATION_RESPONSE = dict.fromkeys(
    (
        "userAttributes",
        "finalUserStatus",
        "messageAction",
        "desiredDeliveryMediums",
        "forceAliasCreation",
        "enableSMSMFA",
    )
)
SHAPES["UserMigration_Authentication"] = (
    {"password", "validationData"},
    {"clientMetadata"},
    _MIGRATION_RESPONSE,
)
SHAPES["UserMigration_ForgotPassword"] = (
    {"validationData"},
    {"clientMetadata"},
    _MIGRATION_RESPONSE,
)
for _source in (
    "Authentication",
    "NewPasswordChallenge",
    "RefreshTokens",
    "HostedAuth",
    "ClientCredentials",
):
    # V1_0's shape; V2_0/V3_0 add `scopes` and pre-fill claimsAndScopeOverrideDetails
    SHAPES[f"TokenGeneration_{_source}"] = (
        {"userAttributes", "groupConfiguration"},
        {"clientMetadata"},
        {"claimsOverrideDetails": None},
    )
SHAPES["DefineAuthChallenge_Authentication"] = (
    {"userAttributes", "session"},
    {"clientMetadata", "userNotFound"},
    {"challengeName": None, "issueTokens": None, "failAuthentication": None},
)
SHAPES["CreateAuthChallenge_Authentication"] = (
    {"userAttributes", "challengeName", "session"},
    {"clientMetadata", "userNotFound"},
    {
        "publicChallengeParameters": None,
        "privateChallengeParameters": None,
        "challengeMetadata": None,
    },
)
SHAPES["VerifyAuthChallengeResponse_Authentication"] = (
    {"userAttributes", "privateChallengeParameters", "challengeAnswer"},
    {"clientMetadata", "userNotFound"},
    {"answerCorrect": None},
)
for _source in (
    "SignUp",
    "ResendCode",
    "ForgotPassword",
    "AdminCreateUser",
    "UpdateUserAttribute",
    "VerifyUserAttribute",
    "Authentication",
):
    for _sender in ("CustomEmailSender", "CustomSMSSender"):
        # reference §7.9: no response is read; Recognito sends the envelope's `{}`
        SHAPES[f"{_sender}_{_source}"] = (
            {"type", "code", "userAttributes"},
            {"clientMetadata"},
            {},
        )
# the models pin the source (PreSignUp_SignUp, PostConfirmation_ConfirmSignUp); the
# other sources of the same trigger have the same body and are parsed with them
MODELS: dict[str, type[BaseModel]] = {
    "PreSignUp": CognitoPreSignupTriggerModel,
    "PostConfirmation": CognitoPostConfirmationTriggerModel,
    "PreAuthentication": CognitoPreAuthenticationTriggerModel,
    "PostAuthentication": CognitoPostAuthenticationTriggerModel,
    "CustomMessage": CognitoCustomMessageTriggerModel,
    "UserMigration": CognitoMigrateUserTriggerModel,
    "TokenGeneration": CognitoPreTokenGenerationTriggerModelV1,
    "DefineAuthChallenge": CognitoDefineAuthChallengeTriggerModel,
    "CreateAuthChallenge": CognitoCreateAuthChallengeTriggerModel,
    "VerifyAuthChallengeResponse": CognitoVerifyAuthChallengeTriggerModel,
    "CustomEmailSender": CognitoCustomEmailSenderTriggerModel,
    "CustomSMSSender": CognitoCustomSMSSenderTriggerModel,
}
PINNED = {
    "PreSignUp": "PreSignUp_SignUp",
    "PostConfirmation": "PostConfirmation_ConfirmSignUp",
    "PreAuthentication": "PreAuthentication_Authentication",
    "PostAuthentication": "PostAuthentication_Authentication",
    "CustomMessage": "CustomMessage_SignUp",  # the model takes any source
    "UserMigration": "UserMigration_Authentication",
    "TokenGeneration": "TokenGeneration_Authentication",
    "DefineAuthChallenge": "DefineAuthChallenge_Authentication",
    "CreateAuthChallenge": "CreateAuthChallenge_Authentication",
    "VerifyAuthChallengeResponse": "VerifyAuthChallengeResponse_Authentication",
    "CustomEmailSender": "CustomEmailSender_SignUp",
    "CustomSMSSender": "CustomSMSSender_SignUp",
}


def check_event(event: dict[str, Any], source: str, pool_id: str, version: str = "1") -> None:
    """Fail unless `event` has exactly Cognito's shape for `source` (`version`: "2"/"3"
    for PreTokenGeneration V2_0/V3_0)."""
    assert set(event) == ENVELOPE, sorted(event)
    assert event["version"] == version
    assert event["triggerSource"] == source
    assert event["userPoolId"] == pool_id
    assert event["region"] == pool_id.split("_")[0]
    assert isinstance(event["userName"], str) and event["userName"]
    caller = event["callerContext"]
    assert set(caller) == {"awsSdkVersion", "clientId"}, caller
    assert re.match(SDK_FORM, caller["awsSdkVersion"]), caller
    assert isinstance(caller["clientId"], str) and caller["clientId"]
    required, optional, response = SHAPES[source]
    if version != "1":
        required, response = required | {"scopes"}, {"claimsAndScopeOverrideDetails": None}
    request = event["request"]
    assert required <= set(request) <= required | optional, sorted(request)
    if "userAttributes" in required:  # every source but UserMigration's
        assert all(isinstance(v, str) for v in request["userAttributes"].values()), request
    assert event["response"] == response
    trigger = source.split("_", 1)[0]
    if source == "UserMigration_ForgotPassword" or trigger not in MODELS:
        return  # Powertools' model requires `password`, which this source never has
    if version != "1":
        assert all(isinstance(s, str) for s in request["scopes"]), request
        # Powertools types `scopes` as an object, Cognito sends a list (reference §7.5)
        request = {k: v for k, v in request.items() if k != "scopes"}
        CognitoPreTokenGenerationTriggerModelV2AndV3.model_validate({**event, "request": request})
        return
    if trigger == "VerifyAuthChallengeResponse":
        # Powertools types the pre-filled answerCorrect as a boolean; Cognito sends null
        # (reference §7.8, captured events), which the shape check above pinned
        event = {**event, "response": {"answerCorrect": False}}
    if "session" in request:
        # Powertools' challengeName literal omits CUSTOM_CHALLENGE, which Cognito documents
        # (reference §7.8): the rest of each round is still checked by the model
        rounds = [
            {**done, "challengeName": "SRP_A"}
            if done["challengeName"] == "CUSTOM_CHALLENGE"
            else done
            for done in request["session"]
        ]
        event = {**event, "request": {**request, "session": rounds}}
    MODELS[trigger].model_validate({**event, "triggerSource": PINNED[trigger]})
