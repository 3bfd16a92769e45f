"""Threat protection's judgement on both stores: risk levels from the address and device
a sign-in comes from, breached passwords, AUDIT against ENFORCED, and no record at all for
a pool without it."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import func, select

from recognito import errors
from recognito.service.context import Caller
from recognito.store.tables import auth_events
from tests.service.conftest import Service

PASSWORD = "Corr3ct-Horse!"
BREACHED = "P@ssw0rd"


def _pool(service: Service, mode: str | None) -> tuple[str, str]:
    extra = {"UserPoolAddOns": {"AdvancedSecurityMode": mode}} if mode else {}
    pool_id = service("CreateUserPool", PoolName="p", **extra)["UserPool"]["Id"]
    client = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client


def _user(service: Service, pool_id: str, password: str = PASSWORD) -> None:
    service("AdminCreateUser", UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    service(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username="ann",
        Password=password,
        Permanent=True,
    )


def _sign_in(
    service: Service, client_id: str, *, ip: str, agent: str, password: str = PASSWORD
) -> dict[str, Any]:
    """InitiateAuth as it arrives from `ip` with the User-Agent `agent`."""
    caller = dataclasses.replace(service.services, caller=Caller(ip, agent))
    at = Service(caller, service.clock)
    return at(
        "InitiateAuth",
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": password},
    )


def _newest(service: Service, pool_id: str) -> dict[str, Any]:
    events = service("AdminListUserAuthEvents", UserPoolId=pool_id, Username="ann")
    newest: dict[str, Any] = events["AuthEvents"][0]
    return newest


def _event_rows(service: Service) -> int:
    with service.services.store.read() as tx:
        return int(tx.conn.execute(select(func.count()).select_from(auth_events)).scalar_one())


def test_a_pool_without_threat_protection_records_nothing(service: Service) -> None:
    pool_id, client_id = _pool(service, None)
    _user(service, pool_id)
    _sign_in(service, client_id, ip="10.0.0.1", agent="Firefox")
    _sign_in(service, client_id, ip="10.9.9.9", agent="curl")
    assert _event_rows(service) == 0


@pytest.mark.parametrize(
    ("ip", "agent", "level"),
    [
        ("10.0.0.1", "Firefox", None),  # known address and device
        ("10.0.0.2", "Firefox", "Low"),  # a new address only
        ("10.0.0.1", "curl", "Medium"),  # a new device only
        ("10.0.0.2", "curl", "High"),  # both new
    ],
)
def test_the_risk_level_follows_what_is_new(
    service: Service, ip: str, agent: str, level: str | None
) -> None:
    pool_id, client_id = _pool(service, "AUDIT")
    _user(service, pool_id)
    _sign_in(service, client_id, ip="10.0.0.1", agent="Firefox")
    assert "RiskLevel" not in _newest(service, pool_id)["EventRisk"]  # a first sign-in
    _sign_in(service, client_id, ip=ip, agent=agent)
    newest = _newest(service, pool_id)
    assert newest["EventRisk"].get("RiskLevel") == level
    assert newest["EventContextData"] == {"IpAddress": ip, "DeviceName": agent}


def test_a_sign_in_disowned_by_feedback_makes_its_device_new_again(service: Service) -> None:
    pool_id, client_id = _pool(service, "AUDIT")
    _user(service, pool_id)
    _sign_in(service, client_id, ip="10.0.0.1", agent="Firefox")
    _sign_in(service, client_id, ip="10.0.0.1", agent="curl")
    disowned = _newest(service, pool_id)["EventId"]
    service(
        "AdminUpdateAuthEventFeedback",
        UserPoolId=pool_id,
        Username="ann",
        EventId=disowned,
        FeedbackValue="Invalid",
    )
    _sign_in(service, client_id, ip="10.0.0.1", agent="curl")
    assert _newest(service, pool_id)["EventRisk"]["RiskLevel"] == "Medium"


@pytest.mark.parametrize("mode", ["AUDIT", "ENFORCED"])
def test_a_breached_password_and_a_new_device(service: Service, mode: str) -> None:
    """The done-when case: a breached password signing in from a new device, blocked in
    ENFORCED (and the user must reset), recorded alone in AUDIT."""
    pool_id, client_id = _pool(service, mode)
    _user(service, pool_id, password=BREACHED)
    _sign_in(service, client_id, ip="10.0.0.1", agent="Firefox", password=BREACHED)
    service(
        "SetRiskConfiguration",
        UserPoolId=pool_id,
        CompromisedCredentialsRiskConfiguration={
            "EventFilter": ["SIGN_IN"],
            "Actions": {"EventAction": "BLOCK"},
        },
        AccountTakeoverRiskConfiguration={
            "Actions": {"MediumAction": {"Notify": False, "EventAction": "MFA_IF_CONFIGURED"}}
        },
    )
    if mode == "ENFORCED":
        with pytest.raises(errors.PasswordResetRequiredException):
            _sign_in(service, client_id, ip="10.0.0.1", agent="curl", password=BREACHED)
    else:
        answer = _sign_in(service, client_id, ip="10.0.0.1", agent="curl", password=BREACHED)
        assert "AuthenticationResult" in answer
    newest = _newest(service, pool_id)
    assert newest["EventRisk"] == {
        "RiskDecision": "Block",
        "RiskLevel": "Medium",
        "CompromisedCredentialsDetected": True,
    }
    assert newest["EventResponse"] == ("Fail" if mode == "ENFORCED" else "Pass")
    status = service("AdminGetUser", UserPoolId=pool_id, Username="ann")["UserStatus"]
    assert status == ("RESET_REQUIRED" if mode == "ENFORCED" else "CONFIRMED")


def test_an_event_filter_without_sign_up_lets_a_breached_password_through(
    service: Service,
) -> None:
    pool_id, client_id = _pool(service, "ENFORCED")
    service(
        "SetRiskConfiguration",
        UserPoolId=pool_id,
        CompromisedCredentialsRiskConfiguration={
            "EventFilter": ["SIGN_IN"],
            "Actions": {"EventAction": "BLOCK"},
        },
    )
    answer = service("SignUp", ClientId=client_id, Username="ann", Password=BREACHED)
    assert answer["UserConfirmed"] is False
    signed_up = _newest(service, pool_id)
    assert signed_up["EventType"] == "SignUp"
    assert signed_up["EventRisk"]["CompromisedCredentialsDetected"] is False


def test_a_blocked_address_range_refuses_sign_in_when_enforced(service: Service) -> None:
    pool_id, client_id = _pool(service, "ENFORCED")
    _user(service, pool_id)
    service(
        "SetRiskConfiguration",
        UserPoolId=pool_id,
        RiskExceptionConfiguration={"BlockedIPRangeList": ["192.0.2.0/24"]},
    )
    _sign_in(service, client_id, ip="10.0.0.1", agent="Firefox")
    with pytest.raises(errors.NotAuthorizedException):
        _sign_in(service, client_id, ip="192.0.2.7", agent="Firefox")
    assert _newest(service, pool_id)["EventRisk"]["RiskDecision"] == "Block"
