"""Run a pool's trigger: find its ARN in LambdaConfig, reach the function, judge the
answer (reference §4), record the call."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

from recognito import errors, metrics
from recognito.clock import Clock
from recognito.config import Settings
from recognito.delivery.channel import Channel, DeliveryError
from recognito.domain.outgoing import OutgoingMessage
from recognito.domain.records import Pool, TriggerInvocation
from recognito.store.db import Store
from recognito.triggers.events import Call, envelope
from recognito.triggers.invokers import InvocationFailed, load_targets, resolve
from recognito.triggers.senders import (
    OUTBOX_CHANNELS,
    SENDERS,
    Medium,
    SenderKeyError,
    cipher_of,
    escaped,
    sender_request,
)

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
    # federated sign-ins (signin/federation.py): the attributes to map instead
    "InboundFederation": {"userAttributesToMap": (dict,)},
    # V1_0 answers the first, V2_0/V3_0 the second (service/pretoken.py reads inside)
    "PreTokenGeneration": {
        "claimsOverrideDetails": (dict,),
        "claimsAndScopeOverrideDetails": (dict,),
    },
}
UNRECOGNIZABLE = "Unrecognizable lambda output"
# LambdaConfig keys that configure something other than a function Recognito runs, and
# the asynchronous senders (senders.py), whose answers are never read
_NOT_TRIGGERS = {"KMSKeyID", "PreTokenGenerationConfig"}
_SENDERS = set(SENDERS.values())


def not_run(lambda_config: Mapping[str, Any]) -> list[str]:
    """The configured triggers this version stores and echoes but never runs."""
    run = RESPONSE_TYPES.keys() | _NOT_TRIGGERS | _SENDERS
    return sorted(k for k in lambda_config if k not in run)


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
        self._cipher = cipher_of(settings)  # a bad --sender-key-file stops the start

    @staticmethod
    def arn(pool: Pool, trigger: str) -> str | None:
        """The function the pool's LambdaConfig names for `trigger`, if any."""
        config = cast(Mapping[str, Any], pool.config.get("LambdaConfig") or {})
        value = config.get(trigger)
        if trigger == "PreTokenGeneration":
            value = pre_token_generation(config)[0]
        elif isinstance(value, Mapping):  # the senders' {LambdaArn, LambdaVersion}
            value = value.get("LambdaArn")
        return value if isinstance(value, str) and value else None

    def sender(self, pool: Pool, channel: Medium) -> str | None:
        """The function that takes over `channel`'s messages of the pool, if any."""
        return self.arn(pool, SENDERS[channel])

    def sender_message(
        self,
        pool: Pool,
        channel: Medium,
        call: Call,
        secret: str,
        recipient: str,
        kind: str,
        *,
        temporary_password: bool = False,
    ) -> OutgoingMessage:
        """The outbox row that has `channel`'s sender deliver `secret`: the whole event,
        its code already encrypted, and the function, for the delivery thread to invoke
        (`deliver`). `call` is the event's (`CustomEmailSender_SignUp`...); its request
        holds only userAttributes and clientMetadata.
        A sender nothing reaches, a server that cannot encrypt, or a KMS refusal fail
        the call that sends the code with UnexpectedLambdaException (rolling it back),
        as an unreachable trigger does: a message is never dropped in silence."""
        trigger = SENDERS[channel]
        arn = self.sender(pool, channel)
        assert arn is not None
        if resolve(self._targets, self._endpoint, arn) is None:
            raise errors.UnexpectedLambdaException(
                f"{trigger} invocation failed due to error ResourceNotFoundException"
            )
        key = cast(Mapping[str, Any], pool.config.get("LambdaConfig") or {}).get("KMSKeyID")
        if self._cipher is None or not isinstance(key, str):
            log.error(
                "pool %s: %s needs KMSKeyID and --kms-endpoint-url or --sender-key-file",
                pool.id,
                trigger,
            )
            raise errors.UnexpectedLambdaException(
                f"{trigger} invocation failed due to error KMSKeyNotConfigured"
            )
        region = pool.id.split("_", 1)[0]
        try:
            code = self._cipher.encrypt(escaped(secret, temporary_password), key, region)
        except SenderKeyError as failure:
            raise errors.UnexpectedLambdaException(
                f"{trigger} invocation failed due to error {failure.code}"
            ) from None
        request = sender_request(
            trigger, code, call.request["userAttributes"], call.request.get("clientMetadata")
        )
        event = envelope(pool, replace(call, request=request))
        body = json.dumps({"function": arn, "event": event})
        return OutgoingMessage(OUTBOX_CHANNELS[channel], recipient, None, body, pool.id, kind)

    def channels(self) -> dict[str, Channel]:
        """The delivery channels of the senders' outbox rows."""
        return {name: SenderChannel(self) for name in OUTBOX_CHANNELS.values()}

    def deliver(self, arn: str, event: dict[str, Any]) -> None:
        """Invoke a sender with its stored event, from the delivery thread; its answer is
        not read. A failure raises DeliveryError, which the outbox retries (--delivery-
        attempts, backing off): function errors too, as Lambda retries asynchronous
        invocations. Each try is recorded as any trigger's call."""
        trigger = event["triggerSource"].split("_", 1)[0]
        started = time.monotonic()
        outcome, detail = "ok", None
        try:
            invoker = resolve(self._targets, self._endpoint, arn)
            if invoker is None:
                raise InvocationFailed("ResourceNotFoundException")
            answer = invoker(arn, json.dumps(event).encode(), self._timeout)
            if answer.function_error is not None:
                outcome = "UserLambdaValidationException"
                detail = f"{trigger} failed with error {answer.function_error}."
        except InvocationFailed as failure:
            outcome = "UnexpectedLambdaException"
            detail = f"{trigger} invocation failed due to error {failure.code}"
        took = time.monotonic() - started
        self._record(
            event["userPoolId"], trigger, event["triggerSource"], arn, outcome, detail, took
        )
        if detail is not None:
            raise DeliveryError(detail)

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
            took = time.monotonic() - started
            self._record(pool.id, call.trigger, call.source, arn, outcome, detail, took)

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
        self,
        pool_id: str,
        trigger: str,
        source: str,
        arn: str,
        outcome: str,
        error: str | None,
        took: float,
    ) -> None:
        metrics.trigger_invoked(trigger, outcome)
        entry = TriggerInvocation(
            pool_id,
            trigger,
            source,
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
            log.exception("could not record the %s invocation", trigger)


class SenderChannel:
    """The outbox channel of the senders' rows: the stored event goes to its function."""

    name = "custom-sender"

    def __init__(self, triggers: Triggers) -> None:
        self._triggers = triggers

    def __repr__(self) -> str:
        return "SenderChannel()"

    def send(self, message: OutgoingMessage) -> None:
        try:
            stored = json.loads(message.body)
            arn, event = str(stored["function"]), dict(stored["event"])
        except (ValueError, KeyError, TypeError):
            raise DeliveryError("not a custom sender's event", permanent=True) from None
        self._triggers.deliver(arn, event)


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
