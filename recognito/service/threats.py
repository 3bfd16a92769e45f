"""Threat protection (docs/behaviour.md §17): auth events recorded, compromised passwords
and risky sign-ins judged, and the user-activity log written.

Nothing is recorded or judged for a pool whose UserPoolAddOns leave AdvancedSecurityMode
OFF, as on Cognito: a sign-in there costs no extra read or write. In AUDIT the verdicts
are recorded only; in ENFORCED the risk configuration's actions are taken."""

from __future__ import annotations

import hashlib
import hmac
import json
import sys
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from recognito import errors
from recognito.crypto.secrets import digest
from recognito.domain import risk
from recognito.domain.records import AuthEvent, Client, Pool, User
from recognito.service.context import Services
from recognito.store.unit_of_work import UnitOfWork

_DEVICE_NAME_LIMIT = 256  # of the User-Agent shown as the event's DeviceName


@dataclass(frozen=True)
class Context:
    """Where an auth event comes from: the address, the device as its user agent names
    it, and a digest of what tells devices apart (EncodedData, else the user agent)."""

    ip: str | None = None
    device_name: str | None = None
    device_key: str | None = None

    def shape(self) -> dict[str, str]:
        """EventContextDataType: what is known (no geolocation: no City, Country, Timezone)."""
        data = {"IpAddress": self.ip, "DeviceName": self.device_name}
        return {k: v for k, v in data.items() if v}


def context(svc: Services, client: Client | None, req: Mapping[str, Any]) -> Context:
    """The context of a request: an admin call's ContextData (the app server passes on its
    user's address and headers), else the connection's, with a public call's
    UserContextData. Its IpAddress is taken only from a client with
    EnablePropagateAdditionalUserContextData, as on Cognito; otherwise the socket peer."""
    admin = req.get("ContextData")
    if admin:
        headers = {
            h.get("headerName", "").lower(): h.get("headerValue", "")
            for h in admin.get("HttpHeaders", [])
        }
        return _context(admin.get("IpAddress"), headers.get("user-agent"), admin.get("EncodedData"))
    user = req.get("UserContextData") or {}
    ip = svc.caller.ip
    if (
        user.get("IpAddress")
        and client
        and client.config.get("EnablePropagateAdditionalUserContextData")
    ):
        ip = user["IpAddress"]
    return _context(ip, svc.caller.user_agent, user.get("EncodedData"))


def _context(ip: str | None, agent: str | None, encoded: str | None) -> Context:
    fingerprint = encoded or agent
    key = hashlib.sha256(fingerprint.encode()).hexdigest() if fingerprint else None
    return Context(
        ip=ip, device_name=(agent or None) and agent[:_DEVICE_NAME_LIMIT], device_key=key
    )


def protected(pool: Pool) -> bool:
    return risk.mode(pool.config) != "OFF"


def enforced(pool: Pool) -> bool:
    return risk.mode(pool.config) == "ENFORCED"


def require_protection(pool: Pool) -> None:
    """The threat-protection operations refuse a pool without it, as Cognito does."""
    if not protected(pool):
        raise errors.UserPoolAddOnNotEnabledException(risk.NOT_ENABLED)


def risk_configuration(
    tx: UnitOfWork, pool_id: str, client_id: str | None
) -> dict[str, Any] | None:
    """The risk configuration in force for a client: its own, else the pool's."""
    if client_id:
        own = tx.risk.get(pool_id, client_id)
        if own is not None:
            return own[0]
    found = tx.risk.get(pool_id, "")
    return found[0] if found else None


@dataclass
class Event:
    """An auth event about to be recorded."""

    event_type: str
    response: str
    context: Context
    decision: str = "NoRisk"
    level: str | None = None
    compromised: bool = False
    challenges: list[dict[str, str]] = field(default_factory=list)

    def risk(self) -> dict[str, Any]:
        shape: dict[str, Any] = {
            "RiskDecision": self.decision,
            "CompromisedCredentialsDetected": self.compromised,
        }
        if self.level:
            shape["RiskLevel"] = self.level
        return shape


def record(svc: Services, tx: UnitOfWork, pool: Pool, user: User, event: Event) -> str | None:
    """Record `event` of `user` in the transaction `tx`, if the pool has threat
    protection; its id. A pool with user-activity logging gets a JSON line after COMMIT."""
    if not protected(pool):
        return None
    now = svc.clock.now()
    record = AuthEvent(
        event_id=str(uuid.uuid4()),
        pool_id=pool.id,
        user_id=user.id,
        event_type=event.event_type,
        created_at=now,
        response=event.response,
        risk=event.risk(),
        challenges=event.challenges,
        context=event.context.shape(),
        ip=event.context.ip,
        device_key=event.context.device_key,
    )
    tx.events.insert(record)
    _log(svc, tx, pool, user, record)
    return record.event_id


def feedback_token(svc: Services, event_id: str) -> str:
    """The token UpdateAuthEventFeedback takes for an event: Cognito mails it in its risk
    notifications. Derived from the event id with the server's key, so nothing is stored."""
    return digest(svc.secret_key, f"auth-event-feedback:{event_id}")


def feedback_token_matches(svc: Services, event_id: str, given: str) -> bool:
    return hmac.compare_digest(feedback_token(svc, event_id), given)


def finish_mfa(svc: Services, tx: UnitOfWork, pool: Pool, user: User) -> None:
    """MFA answered: the sign-in event left InProgress at the challenge passes."""
    if protected(pool):
        tx.events.finish_sign_in(
            user.id, [{"ChallengeName": "Mfa", "ChallengeResponse": "Success"}]
        )


# --- compromised passwords -------------------------------------------------------------


def screen_password(
    svc: Services, pool: Pool, client_id: str | None, password: str, event: str
) -> bool:
    """Whether `password` is a breached one (False without threat protection or when the
    risk configuration does not check at `event`). Refused with Cognito's error where the
    pool ENFORCES a BLOCK; AUDIT and NO_ACTION only record it."""
    if not protected(pool) or not risk.breached(password):
        return False
    with svc.store.read() as tx:
        action = risk.checks_compromised(risk_configuration(tx, pool.id, client_id), event)
    if action is None:
        return False
    if action == "BLOCK" and enforced(pool):
        raise errors.InvalidPasswordException(risk.BREACHED_PASSWORD)
    return True


# --- sign-in ----------------------------------------------------------------------------


@dataclass
class SignInVerdict:
    """What threat protection makes of one sign-in whose password was right."""

    event: Event
    action: str = "NO_ACTION"  # BLOCK, MFA_REQUIRED, MFA_IF_CONFIGURED, NO_ACTION
    reset: bool = False  # compromised and blocked: the user must reset their password


def judge_sign_in(
    svc: Services, pool: Pool, client: Client, user: User, where: Context, compromised: bool
) -> SignInVerdict | None:
    """The verdict on a sign-in with the right password, None without threat protection."""
    if not protected(pool):
        return None
    with svc.store.read() as tx:
        config = risk_configuration(tx, pool.id, client.id)
        before = tx.events.any_sign_in(user.id)
        ip_known, device_known = tx.events.known(user.id, ip=where.ip, device_key=where.device_key)
    event = Event("SignIn", "Pass", where)
    event.challenges.append({"ChallengeName": "Password", "ChallengeResponse": "Success"})
    verdict = SignInVerdict(event)
    exceptions = (config or {}).get("RiskExceptionConfiguration") or {}
    if risk.in_ranges(where.ip, exceptions.get("SkippedIPRangeList")):
        return verdict  # trusted addresses are not judged
    if risk.in_ranges(where.ip, exceptions.get("BlockedIPRangeList")):
        event.decision = "Block"
        verdict.action = "BLOCK" if enforced(pool) else "NO_ACTION"
        return verdict
    if compromised and risk.checks_compromised(config, risk.SIGN_IN) is not None:
        event.compromised = True
        if risk.checks_compromised(config, risk.SIGN_IN) == "BLOCK":
            event.decision = "Block"
            verdict.reset = True
    level = risk.level(signed_in_before=before, ip_known=ip_known, device_known=device_known)
    if level is not None:
        event.level = level
        action, _notify = risk.takeover_action(config, level)
        if event.decision != "Block":
            event.decision = "Block" if action == "BLOCK" else "AccountTakeover"
        verdict.action = action
    if not enforced(pool):  # AUDIT: the verdict is recorded, nothing is done
        verdict.action, verdict.reset = "NO_ACTION", False
    return verdict


# --- user-activity log ------------------------------------------------------------------

_write_lock = threading.Lock()


def _log(svc: Services, tx: UnitOfWork, pool: Pool, user: User, event: AuthEvent) -> None:
    """A JSON line for the activity log, written once `tx` commits, if the pool's log
    delivery takes userAuthEvents. What it holds is the event as AdminListUserAuthEvents
    shows it: never a password, code or token."""
    targets = [c for c in tx.log_delivery.get(pool.id) if c.get("EventSource") == "userAuthEvents"]
    if not targets:
        return
    line = json.dumps(
        {
            "eventTimestamp": int(event.created_at * 1000),
            "eventSource": "userAuthEvents",
            "logLevel": targets[0].get("LogLevel", "INFO"),
            "destination": _destination(targets[0]),
            "userPoolId": pool.id,
            "username": user.username,
            "userSub": user.sub,
            "eventId": event.event_id,
            "eventType": event.event_type,
            "eventResponse": event.response,
            "eventRisk": event.risk,
            "challengeResponses": event.challenges,
            "eventContextData": event.context,
        },
        separators=(",", ":"),
    )
    tx.after_commit.append(lambda: write_activity(svc, line))


def _destination(config: Mapping[str, Any]) -> str | None:
    for key, arn in (
        ("CloudWatchLogsConfiguration", "LogGroupArn"),
        ("S3Configuration", "BucketArn"),
        ("FirehoseConfiguration", "StreamArn"),
    ):
        if config.get(key, {}).get(arn):
            return str(config[key][arn])
    return None


def write_activity(svc: Services, line: str) -> None:
    """Append one line to the activity log (standard output with --activity-log -)."""
    path = svc.settings.activity_log_path
    with _write_lock:
        if path is None:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:  # one write per line: O_APPEND
            handle.write(line + "\n")
