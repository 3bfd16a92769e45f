"""In-process trigger functions: the test server imports this module itself
(`python:tests.api.trigger_functions:<name>` in its --triggers file; the server
runs with the repository root as its working directory).

They run in the server's process, so what they saw is written to a JSON-lines file per
pool (`events_of`), which the test process reads.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

EVENTS_DIR = Path(tempfile.gettempdir()) / "recognito-trigger-functions"


def _keep(event: dict[str, Any]) -> None:
    EVENTS_DIR.mkdir(exist_ok=True)
    with (EVENTS_DIR / f"{event['userPoolId']}.jsonl").open("a") as handle:
        handle.write(json.dumps(event) + "\n")


def events_of(pool_id: str) -> list[dict[str, Any]]:
    path = EVENTS_DIR / f"{pool_id}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Keeps the event and answers it unchanged (Cognito's default behaviour)."""
    _keep(event)
    assert context.function_name == "py-record"
    return event


def auto_confirm(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _keep(event)
    event["response"]["autoConfirmUser"] = True
    return event


def refuse(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _keep(event)
    raise KeyError("k")  # Lambda's Python runtime reports str(exception): 'k'


# the one password the "legacy store" of `migrate` accepts
LEGACY_PASSWORD = "Legacy-Pa55!"


def migrate(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A UserMigration function over a pretend legacy store. The typed name picks the
    answer: `gone-*` are not in the store (the function throws), `blank-*` answer without
    userAttributes, `reset-*` migrate as RESET_REQUIRED, any other name migrates
    CONFIRMED with a verified `<name>@legacy.example` (the name itself if it is an email, or
    the sign-in's ClientMetadata `email`; `force: "true"` sets forceAliasCreation); sign-in
    needs LEGACY_PASSWORD. The welcome is suppressed unless the ClientMetadata (sign-in's
    or ForgotPassword's) says `welcome`: `default` (no messageAction, no mediums) or the
    mediums, comma-separated; `phone` adds a verified phone number, `mfa: "true"` sets
    enableSMSMFA."""
    _keep(event)
    name = event["userName"]
    if name.startswith("gone-"):
        raise LookupError("not in the legacy store")
    if event["triggerSource"] == "UserMigration_Authentication":
        if event["request"]["password"] != LEGACY_PASSWORD:
            raise ValueError("Bad password")
    if name.startswith("blank-"):
        return event
    # the sign-in's ClientMetadata (validationData) may name the email and force the alias
    given = event["request"]["validationData"] or event["request"].get("clientMetadata") or {}
    attributes = {
        "email": given.get("email") or (name if "@" in name else f"{name}@legacy.example"),
        "email_verified": "true",
        "name": "Legacy " + name,
    }
    if "phone" in given:
        attributes |= {"phone_number": given["phone"], "phone_number_verified": "true"}
    event["response"]["userAttributes"] = attributes
    event["response"]["finalUserStatus"] = (
        "RESET_REQUIRED" if name.startswith("reset-") else "CONFIRMED"
    )
    welcome = given.get("welcome")
    if welcome is None:
        event["response"]["messageAction"] = "SUPPRESS"
    elif welcome != "default":
        event["response"]["desiredDeliveryMediums"] = welcome.split(",")
    if given.get("force") == "true":
        event["response"]["forceAliasCreation"] = True
    if given.get("mfa") == "true":
        event["response"]["enableSMSMFA"] = True
    return event


# PreTokenGeneration answers (the tests in test_triggers_pretoken.py expect these)
def pretoken_v1(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Adds and overrides ID token claims, suppresses one, tries protected ones, and
    replaces the groups."""
    _keep(event)
    event["response"]["claimsOverrideDetails"] = {
        "claimsToAddOrOverride": {"tier": "gold", "name": "Overridden", "sub": "x", "iss": "x"},
        "claimsToSuppress": ["email", "token_use"],
        "groupOverrideDetails": {
            "groupsToOverride": ["from-lambda"],
            "iamRolesToOverride": ["arn:aws:iam::123456789012:role/lambda"],
            "preferredRole": "arn:aws:iam::123456789012:role/lambda",
        },
    }
    return event


def pretoken_v2(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Changes both tokens: access claims (a complex value), scopes, and the groups
    suppressed (an empty groupOverrideDetails)."""
    _keep(event)
    event["response"]["claimsAndScopeOverrideDetails"] = {
        "idTokenGeneration": {"claimsToAddOrOverride": {"plan": {"seats": 3}}},
        "accessTokenGeneration": {
            "claimsToAddOrOverride": {
                "tenant": "t-1",
                "roles": ["a", "b"],
                "debug": True,
                "client_id": "x",
            },
            "claimsToSuppress": ["debug", "auth_time", "username"],
            "scopesToAdd": ["api/read", "api/write"],
            "scopesToSuppress": ["aws.cognito.signin.user.admin"],
        },
        "groupOverrideDetails": {},
    }
    return event


def pretoken_v1_shape(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A V1 answer, which a V2_0 configuration does not read."""
    _keep(event)
    event["response"]["claimsOverrideDetails"] = {"claimsToAddOrOverride": {"tier": "gold"}}
    return event


def pretoken_array_v1(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """V1 claim values must be strings."""
    _keep(event)
    event["response"]["claimsOverrideDetails"] = {"claimsToAddOrOverride": {"tier": ["a"]}}
    return event


# The custom authentication "magic number" challenge: round n asks for 7 * n; two right
# answers sign in, any wrong one ends the sign-in.
def define_magic(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _keep(event)
    rounds = event["request"]["session"]
    if any(not done["challengeResult"] for done in rounds):
        event["response"]["failAuthentication"] = True
    elif len(rounds) >= 2:
        event["response"]["issueTokens"] = True
    else:
        event["response"]["challengeName"] = "CUSTOM_CHALLENGE"
    return event


def create_magic(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _keep(event)
    number = len(event["request"]["session"]) + 1
    event["response"]["publicChallengeParameters"] = {"round": str(number)}
    event["response"]["privateChallengeParameters"] = {"answer": str(7 * number)}
    event["response"]["challengeMetadata"] = f"ROUND-{number}"
    return event


def verify_magic(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _keep(event)
    expected = event["request"]["privateChallengeParameters"]["answer"]
    event["response"]["answerCorrect"] = event["request"]["challengeAnswer"] == expected
    return event


# CustomEmailSender / CustomSMSSender functions, written as AWS documents them: the code is
# decrypted with the AWS Encryption SDK, by KMS when the server encrypts with KMS (the
# key named in the message; AWS_ENDPOINT_URL_KMS points botocore at the test's KMS), else
# with the offline raw AES key of the server's --sender-key-file (RECOGNITO_SENDER_KEY_FILE).
def _decrypt(code: str) -> str:
    import base64
    import os

    import aws_encryption_sdk
    from aws_encryption_sdk.identifiers import CommitmentPolicy

    client = aws_encryption_sdk.EncryptionSDKClient(
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT
    )
    provider: Any
    if os.environ.get("AWS_ENDPOINT_URL_KMS"):
        provider = aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider()
    else:
        from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
        from aws_encryption_sdk.key_providers.raw import RawMasterKey, WrappingKey

        key_file = Path(os.environ["RECOGNITO_SENDER_KEY_FILE"])
        provider = RawMasterKey(
            provider_id="recognito-offline",
            key_id=b"custom-sender",
            wrapping_key=WrappingKey(
                wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
                wrapping_key=base64.b64decode(key_file.read_text()),
                wrapping_key_type=EncryptionKeyType.SYMMETRIC,
            ),
        )
    plaintext, _ = client.decrypt(source=base64.b64decode(code), key_provider=provider)
    return str(plaintext.decode())


def _keep_code(event: dict[str, Any], code: str) -> None:
    EVENTS_DIR.mkdir(exist_ok=True)
    with (EVENTS_DIR / f"{event['userPoolId']}.codes.jsonl").open("a") as handle:
        handle.write(json.dumps({"source": event["triggerSource"], "code": code}) + "\n")


def codes_of(pool_id: str) -> list[tuple[str, str]]:
    """(triggerSource, decrypted code) of each sender call of the pool, oldest first."""
    path = EVENTS_DIR / f"{pool_id}.codes.jsonl"
    if not path.exists():
        return []
    return [(e["source"], e["code"]) for e in map(json.loads, path.read_text().splitlines())]


def sender(event: dict[str, Any], context: Any) -> None:
    """Decrypts the code and "sends" it (records it); temporary passwords arrive
    HTML-escaped and are unescaped, as AWS's examples do. Returns nothing: no answer of a
    sender is read."""
    import html

    _keep(event)
    _keep_code(event, html.unescape(_decrypt(event["request"]["code"])))


def failing_sender(event: dict[str, Any], context: Any) -> None:
    """Decrypts and records the code, then fails, as a function whose mail service is
    down does."""
    _keep(event)
    _keep_code(event, _decrypt(event["request"]["code"]))
    raise RuntimeError("mail service unavailable")


def define_password_first(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A password first (the client's SRP_A answered with PASSWORD_VERIFIER), then one
    magic-number round; any failed round fails. A session that did not start with SRP_A
    is asked for PASSWORD_VERIFIER anyway (which then cannot be asked)."""
    _keep(event)
    rounds = event["request"]["session"]
    names = [done["challengeName"] for done in rounds]
    if any(not done["challengeResult"] for done in rounds):
        event["response"]["failAuthentication"] = True
    elif names in ([], ["SRP_A"]):
        event["response"]["challengeName"] = "PASSWORD_VERIFIER"
    elif names == ["SRP_A", "PASSWORD_VERIFIER"]:
        event["response"]["challengeName"] = "CUSTOM_CHALLENGE"
    else:
        event["response"]["issueTokens"] = True
    return event


def define_password_only(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Tokens once the password was verified: SRP inside CUSTOM_AUTH with no custom round."""
    _keep(event)
    names = [done["challengeName"] for done in event["request"]["session"]]
    if names == ["SRP_A"]:
        event["response"]["challengeName"] = "PASSWORD_VERIFIER"
    elif names == ["SRP_A", "PASSWORD_VERIFIER"]:
        event["response"]["issueTokens"] = True
    else:
        event["response"]["failAuthentication"] = True
    return event
