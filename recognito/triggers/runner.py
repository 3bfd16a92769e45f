"""Run a pool's trigger: find its ARN in LambdaConfig, reach the function, judge the
answer (reference §4), record the call."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Any, cast

from recognito import errors
from recognito.clock import Clock
from recognito.config import Settings
from recognito.domain.records import Pool, TriggerInvocation
from recognito.store.db import Store
from recognito.triggers.events import Call, envelope
from recognito.triggers.invokers import InvocationFailed, load_targets, resolve

log = logging.getLogger("recognito.triggers")

# what each trigger's response may carry, and the JSON types Cognito accepts for it;
# any other key is ignored (only documented keys are read)
RESPONSE_TYPES: dict[str, dict[str, tuple[type, ...]]] = {
    "PreSignUp": {
        "autoConfirmUser": (bool,),
        "autoVerifyEmail": (bool,),
        "autoVerifyPhone": (bool,),
    },
    "PostConfirmation": {},
    "PreAuthentication": {},
    "PostAuthentication": {},
    "CustomMessage": {"smsMessage": (str,), "emailMessage": (str,), "emailSubject": (str,)},
    "UserMigration": {
        "userAttributes": (dict,),
        "finalUserStatus": (str,),
        "messageAction": (str,),
        "desiredDeliveryMediums": (list,),
        "forceAliasCreation": (bool,),
        "enableSMSMFA": (bool,),
    },
    "DefineAuthChallenge": {
        "challengeName": (str,),
        "issueTokens": (bool,),
        "failAuthentication": (bool,),
    },
    "CreateAuthChallenge": {
        "publicChallengeParameters": (dict,),
        "privateChallengeParameters": (dict,),
        "challengeMetadata": (str,),
    },
    "VerifyAuthChallengeResponse": {"answerCorrect": (bool,)},
    # V1_0 answers the first, V2_0/V3_0 the second (service/pretoken.py reads inside)
    "PreTokenGeneration": {
        "claimsOverrideDetails": (dict,),
        "claimsAndScopeOverrideDetails": (dict,),
    },
}
UNRECOGNIZABLE = "Unrecognizable lambda output"
# LambdaConfig keys that configure something other than a function Recognito runs
_NOT_TRIGGERS = {"KMSKeyID", "PreTokenGenerationConfig"}


def not_run(lambda_config: Mapping[str, Any]) -> list[str]:
    """The configured triggers this version stores and echoes but never runs."""
    return sorted(k for k in lambda_config if k not in RESPONSE_TYPES and k not in _NOT_TRIGGERS)


def pre_token_generation(lambda_config: Mapping[str, Any]) -> tuple[str | None, str]:
    """The PreTokenGeneration function and its LambdaVersion: PreTokenGenerationConfig
    when set, else the legacy `PreTokenGeneration` ARN, which is V1_0."""
    versioned = lambda_config.get("PreTokenGenerationConfig")
    if isinstance(versioned, Mapping) and versioned.get("LambdaArn"):
        return str(versioned["LambdaArn"]), str(versioned.get("LambdaVersion") or "V1_0")
    legacy = lambda_config.get("PreTokenGeneration")
    return (legacy if isinstance(legacy, str) and legacy else None), "V1_0"


class Triggers:
    """The triggers of every pool, as this server reaches them; one per process."""

    def __init__(self, settings: Settings, store: Store, clock: Clock) -> None:
        self._targets = load_targets(settings.triggers)
        self._endpoint = settings.lambda_endpoint_url
        self._timeout = settings.trigger_timeout
        self._store = store
        self._clock = clock

    @staticmethod
    def arn(pool: Pool, trigger: str) -> str | None:
        """The function the pool's LambdaConfig names for `trigger`, if any."""
        config = cast(Mapping[str, Any], pool.config.get("LambdaConfig") or {})
        value = config.get(trigger)
        if trigger == "PreTokenGeneration":
            value = pre_token_generation(config)[0]
        return value if isinstance(value, str) and value else None

    def run(self, pool: Pool, call: Call) -> dict[str, Any] | None:
        """Invoke the pool's function for `call.trigger` and return the `response` it
        answered with (None when the pool configures no such trigger). Raises Cognito's
        error for a function error, an invocation failure or an unusable answer. Call it
        with no database transaction open: it may take --trigger-timeout seconds."""
        arn = self.arn(pool, call.trigger)
        if arn is None:
            return None
        # a function may take seconds: holding a transaction (SQLite's one writer, row
        # locks) meanwhile would stall every node; callers read, invoke, then write
        assert not self._store.in_transaction(), f"{call.trigger} run inside a transaction"
        event = envelope(pool, call, call.version)
        started = time.monotonic()
        outcome, detail = "InternalErrorException", None  # until it ends otherwise
        try:
            response = self._invoke(arn, call.trigger, event)
            outcome = "ok"
            return response
        except errors.CognitoError as error:
            outcome, detail = error.code, str(error)
            raise
        finally:
            self._record(pool, call, arn, outcome, detail, time.monotonic() - started)

    def _invoke(self, arn: str, trigger: str, event: dict[str, Any]) -> dict[str, Any]:
        invoker = resolve(self._targets, self._endpoint, arn)
        if invoker is None:  # neither --triggers nor --lambda-endpoint-url reach it
            raise errors.UnexpectedLambdaException(
                f"{trigger} invocation failed due to error ResourceNotFoundException"
            )
        try:
            answer = invoker(arn, json.dumps(event).encode(), self._timeout)
        except InvocationFailed as failure:
            raise errors.UnexpectedLambdaException(
                f"{trigger} invocation failed due to error {failure.code}"
            ) from None
        if answer.function_error is not None:
            # Cognito appends one period whatever the message ends with
            raise errors.UserLambdaValidationException(
                f"{trigger} failed with error {answer.function_error}."
            )
        return judge(trigger, event, answer.payload)

    def _record(
        self, pool: Pool, call: Call, arn: str, outcome: str, error: str | None, took: float
    ) -> None:
        entry = TriggerInvocation(
            pool.id,
            call.trigger,
            call.source,
            arn,
            outcome,
            error,
            round(took * 1000, 3),
            self._clock.now(),
        )
        try:
            with self._store.write() as tx:
                tx.triggers.insert(entry)
        except Exception:  # the log must never turn the API call's answer into a 500
            log.exception("could not record the %s invocation", call.trigger)


def judge(trigger: str, event: dict[str, Any], payload: bytes) -> dict[str, Any]:
    """The `response` of a function's answer, or InvalidLambdaResponseException: the
    answer must be the event (its envelope kept) with the documented response keys of
    the documented types."""
    try:
        answer = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE) from None
    if answer is None:
        raise errors.InvalidLambdaResponseException("Invalid JSON")
    if not isinstance(answer, dict):
        raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
    if answer.get("version") != event["version"]:
        raise errors.InvalidLambdaResponseException(
            f"Invalid version. Version should be {event['version']}"
        )
    for key in ("triggerSource", "userPoolId", "callerContext", "request"):
        if key not in answer:  # the envelope dropped: Cognito refuses such output
            raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
    response = answer.get("response")
    if response is None:
        response = {}
    if not isinstance(response, dict):
        raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
    read: dict[str, Any] = {}
    for key, types in RESPONSE_TYPES.get(trigger, {}).items():
        value = response.get(key)
        if value is None:
            continue
        if not isinstance(value, types):
            raise errors.InvalidLambdaResponseException(UNRECOGNIZABLE)
        read[key] = value
    return read
