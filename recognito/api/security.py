"""Threat protection: AdminListUserAuthEvents, AdminUpdateAuthEventFeedback,
UpdateAuthEventFeedback, DescribeRiskConfiguration, SetRiskConfiguration,
GetLogDeliveryConfiguration, SetLogDeliveryConfiguration (docs/behaviour.md §17)."""

from __future__ import annotations

import ipaddress
from typing import Any, cast

from recognito import errors
from recognito.domain.records import AuthEvent, Pool
from recognito.service import paging, threats
from recognito.service.context import Services
from recognito.service.lookups import client_or_error, pool_and_user, pool_or_error
from recognito.service.registry import operation
from recognito.shapes import (
    AdminListUserAuthEventsRequest,
    AdminListUserAuthEventsResponse,
    AdminUpdateAuthEventFeedbackRequest,
    AdminUpdateAuthEventFeedbackResponse,
    AuthEventType,
    DescribeRiskConfigurationRequest,
    DescribeRiskConfigurationResponse,
    GetLogDeliveryConfigurationRequest,
    GetLogDeliveryConfigurationResponse,
    LogConfigurationType,
    RiskConfigurationType,
    SetLogDeliveryConfigurationRequest,
    SetLogDeliveryConfigurationResponse,
    SetRiskConfigurationRequest,
    SetRiskConfigurationResponse,
    UpdateAuthEventFeedbackRequest,
    UpdateAuthEventFeedbackResponse,
)
from recognito.store.unit_of_work import UnitOfWork

DEFAULT_PAGE = 60  # MaxResults' largest value
EVENT_NOT_FOUND = "Auth event not found."
_RISK_PARTS = (
    "CompromisedCredentialsRiskConfiguration",
    "AccountTakeoverRiskConfiguration",
    "RiskExceptionConfiguration",
)
_DESTINATIONS = ("CloudWatchLogsConfiguration", "S3Configuration", "FirehoseConfiguration")


def auth_event_type(event: AuthEvent) -> AuthEventType:
    # stored from the model's enums (service/threats.py), read back as plain JSON
    shape = cast(
        AuthEventType,
        {
            "EventId": event.event_id,
            "EventType": event.event_type,
            "CreationDate": event.created_at,
            "EventResponse": event.response,
            "EventRisk": event.risk,
            "ChallengeResponses": event.challenges,
            "EventContextData": event.context,
        },
    )
    if event.feedback_value:
        shape["EventFeedback"] = cast(
            Any,
            {
                "FeedbackValue": event.feedback_value,
                "Provider": event.feedback_provider or "",
                "FeedbackDate": event.feedback_date,
            },
        )
    return shape


@operation("AdminListUserAuthEvents")
def admin_list_user_auth_events(
    svc: Services, req: AdminListUserAuthEventsRequest
) -> AdminListUserAuthEventsResponse:
    with svc.store.read() as tx:
        pool, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        threats.require_protection(pool)
        limit = req.get("MaxResults") or DEFAULT_PAGE
        before = paging.id_page(req.get("NextToken")) or None
        found = tx.events.page(user.id, before, limit + 1)
    rows, token = paging.cut(found, limit, key=lambda row: str(row[0]))
    answer: AdminListUserAuthEventsResponse = {
        "AuthEvents": [auth_event_type(event) for _, event in rows]
    }
    if token:
        answer["NextToken"] = token
    return answer


def _feedback(svc: Services, tx: UnitOfWork, pool: Pool, user_id: int, event_id: str) -> AuthEvent:
    threats.require_protection(pool)
    event = tx.events.get(event_id)
    if event is None or event.user_id != user_id:
        raise errors.ResourceNotFoundException(EVENT_NOT_FOUND)
    return event


@operation("AdminUpdateAuthEventFeedback")
def admin_update_auth_event_feedback(
    svc: Services, req: AdminUpdateAuthEventFeedbackRequest
) -> AdminUpdateAuthEventFeedbackResponse:
    with svc.store.write() as tx:
        pool, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        event = _feedback(svc, tx, pool, user.id, req["EventId"])
        tx.events.set_feedback(event.event_id, req["FeedbackValue"], "Admin", svc.clock.now())
    return {}


@operation("UpdateAuthEventFeedback")
def update_auth_event_feedback(
    svc: Services, req: UpdateAuthEventFeedbackRequest
) -> UpdateAuthEventFeedbackResponse:
    with svc.store.write() as tx:
        pool, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        event = _feedback(svc, tx, pool, user.id, req["EventId"])
        if not threats.feedback_token_matches(svc, event.event_id, req["FeedbackToken"]):
            raise errors.NotAuthorizedException("Invalid feedback token.")
        tx.events.set_feedback(event.event_id, req["FeedbackValue"], "User", svc.clock.now())
    return {}


def _risk_configuration(tx: UnitOfWork, pool: Pool, client_id: str | None) -> RiskConfigurationType:
    """The configuration a client (or, without one, the pool) is judged by."""
    answer: dict[str, Any] = {"UserPoolId": pool.id}
    if client_id:
        answer["ClientId"] = client_id
    found = tx.risk.get(pool.id, client_id or "") if client_id else None
    found = found or tx.risk.get(pool.id, "")
    if found is not None:
        config, modified = found
        answer.update({k: v for k, v in config.items() if k in _RISK_PARTS})
        answer["LastModifiedDate"] = modified
    return cast(RiskConfigurationType, answer)


@operation("DescribeRiskConfiguration")
def describe_risk_configuration(
    svc: Services, req: DescribeRiskConfigurationRequest
) -> DescribeRiskConfigurationResponse:
    with svc.store.read() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        threats.require_protection(pool)
        client_id = req.get("ClientId")
        if client_id:
            client_or_error(tx, client_id, pool.id)
        return {"RiskConfiguration": _risk_configuration(tx, pool, client_id)}


@operation("SetRiskConfiguration")
def set_risk_configuration(
    svc: Services, req: SetRiskConfigurationRequest
) -> SetRiskConfigurationResponse:
    exceptions = req.get("RiskExceptionConfiguration") or {}
    ranges = [*exceptions.get("BlockedIPRangeList", []), *exceptions.get("SkippedIPRangeList", [])]
    for cidr in ranges:
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            raise errors.InvalidParameterException(
                f"Invalid IP range {cidr[:64]!r}: expected CIDR notation."
            ) from None
    config = {k: req[k] for k in _RISK_PARTS if k in req}  # type: ignore[literal-required]
    with svc.store.write() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        threats.require_protection(pool)
        client_id = req.get("ClientId")
        if client_id:
            client_or_error(tx, client_id, pool.id)
        tx.risk.put(pool.id, client_id or "", config, svc.clock.now())
        return {"RiskConfiguration": _risk_configuration(tx, pool, client_id)}


@operation("GetLogDeliveryConfiguration")
def get_log_delivery_configuration(
    svc: Services, req: GetLogDeliveryConfigurationRequest
) -> GetLogDeliveryConfigurationResponse:
    with svc.store.read() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        configs = cast(list[LogConfigurationType], tx.log_delivery.get(pool.id))
    return {"LogDeliveryConfiguration": {"UserPoolId": pool.id, "LogConfigurations": configs}}


@operation("SetLogDeliveryConfiguration")
def set_log_delivery_configuration(
    svc: Services, req: SetLogDeliveryConfigurationRequest
) -> SetLogDeliveryConfigurationResponse:
    configs = req["LogConfigurations"]
    sources = [c["EventSource"] for c in configs]
    if len(set(sources)) != len(sources):
        raise errors.InvalidParameterException("Only one log configuration per event source.")
    for config in configs:
        if sum(1 for d in _DESTINATIONS if config.get(d)) != 1:
            raise errors.InvalidParameterException(
                "A log configuration needs exactly one destination."
            )
    with svc.store.write() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        tx.log_delivery.put(pool.id, [dict(c) for c in configs])
    return {"LogDeliveryConfiguration": {"UserPoolId": pool.id, "LogConfigurations": configs}}
