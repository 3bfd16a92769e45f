"""Signing-key rotation: a new key is published before it signs, the old one stays published
until every token it signed has expired, then housekeeping deletes it."""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from recognito import errors
from recognito.api import operations
from recognito.domain.tokens import KEY_RETENTION, MAX_TOKEN_SECONDS
from recognito.protocol.model import operation_model
from recognito.protocol.validate import validate_input
from recognito.service.context import Services
from recognito.service.keys import KeyRing
from recognito.store.housekeeping import purge_expired
from tests.service.conftest import Service

PASSWORD = "Passw0rd!"
DELAY = 600.0


@pytest.fixture
def user(service: Service, pool: dict[str, Any]) -> dict[str, Any]:
    service(
        "AdminCreateUser",
        UserPoolId=pool["pool_id"],
        Username="ana",
        UserAttributes=[{"Name": "email", "Value": "ana@example.com"}],
        MessageAction="SUPPRESS",
    )
    service(
        "AdminSetUserPassword",
        UserPoolId=pool["pool_id"],
        Username="ana",
        Password=PASSWORD,
        Permanent=True,
    )
    return pool


def _tokens(service: Service, pool: dict[str, Any], services: Services | None = None) -> Any:
    params = {
        "ClientId": pool["client_id"],
        "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "ana", "PASSWORD": PASSWORD},
    }
    if services is None:
        return service("InitiateAuth", **params)["AuthenticationResult"]
    model = operation_model("InitiateAuth")
    assert model is not None
    request = validate_input(model.input_shape, params)
    return operations()["InitiateAuth"](services, request)["AuthenticationResult"]


def _header_kid(token: str) -> str:
    head = token.split(".")[0]
    return str(json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))["kid"])


def _verifies(token: str, jwks: dict[str, Any]) -> bool:
    """The token's signature checks out against the JWKS as a relying party sees it."""
    try:
        jwt.decode(token, KeySet.import_key_set({"keys": jwks["keys"]}), algorithms=["RS256"])
    except Exception:  # any failure (unknown kid, bad signature) means "does not verify"
        return False
    return True


def _kids(ring: KeyRing, pool_id: str) -> set[str]:
    return {key["kid"] for key in ring.jwks(pool_id)["keys"]}


def _fresh(service: Service) -> KeyRing:
    """Another process's ring: reads the store afresh on every call."""
    return KeyRing(service.services.store, refresh=0.0)


def test_a_rotated_in_key_is_published_at_once_and_signs_after_the_delay(
    service: Service, user: dict[str, Any]
) -> None:
    pool_id = user["pool_id"]
    before = _tokens(service, user)
    new_kids = service.services.keys.rotate(pool_id, service.clock.now() + DELAY)
    assert set(new_kids) <= _kids(service.services.keys, pool_id)
    during = _tokens(service, user)
    assert _header_kid(during["AccessToken"]) == _header_kid(before["AccessToken"])
    service.clock.advance(DELAY)
    after = _tokens(service, user)
    assert {_header_kid(after["AccessToken"]), _header_kid(after["IdToken"])} == set(new_kids)
    published = service.services.keys.jwks(pool_id)
    for token in (before["AccessToken"], before["IdToken"], after["AccessToken"]):
        assert _verifies(token, published)
    # both the old and the new access token are accepted by GetUser
    for token in (before["AccessToken"], after["AccessToken"]):
        assert service("GetUser", AccessToken=token)["Username"] == "ana"


def test_the_old_key_is_deleted_once_every_token_it_signed_has_expired(
    service: Service, user: dict[str, Any]
) -> None:
    pool_id = user["pool_id"]
    old = _tokens(service, user)
    old_kid = _header_kid(old["AccessToken"])
    service.services.keys.rotate(pool_id, service.clock.now() + DELAY)
    service.clock.advance(DELAY)  # the new key signs from now on
    service.clock.advance(KEY_RETENTION - 1)
    purge_expired(service.services.store, service.clock.now())
    assert old_kid in _kids(_fresh(service), pool_id)
    assert {k.state for k in _fresh(service).states(pool_id, service.clock.now())} == {
        "retiring",
        "signing",
    }
    service.clock.advance(1)
    purge_expired(service.services.store, service.clock.now())
    remaining = _fresh(service).states(pool_id, service.clock.now())
    assert old_kid not in {k.kid for k in remaining}
    assert sorted((k.token_use, k.state) for k in remaining) == [
        ("access", "signing"),
        ("id", "signing"),
    ]
    new = _tokens(service, user)  # the pool still signs
    assert _verifies(new["IdToken"], _fresh(service).jwks(pool_id))


def test_a_token_of_the_old_key_works_until_it_expires_even_after_an_immediate_rotation(
    service: Service, user: dict[str, Any]
) -> None:
    pool_id = user["pool_id"]
    service(
        "UpdateUserPoolClient",
        UserPoolId=pool_id,
        ClientId=user["client_id"],
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity=1,
        TokenValidityUnits={"AccessToken": "days"},
    )
    old = _tokens(service, user)["AccessToken"]
    service.clock.advance(1)
    new_kids = service.services.keys.rotate(pool_id, service.clock.now())  # `--now`
    assert _header_kid(_tokens(service, user)["AccessToken"]) in new_kids
    service.clock.advance(MAX_TOKEN_SECONDS - 2)
    purge_expired(service.services.store, service.clock.now())
    assert service("GetUser", AccessToken=old)["Username"] == "ana"
    assert _verifies(old, _fresh(service).jwks(pool_id))
    service.clock.advance(1)
    with pytest.raises(errors.NotAuthorizedException, match="Access Token has expired"):
        service("GetUser", AccessToken=old)


def test_a_rotation_by_another_process_is_noticed(service: Service, user: dict[str, Any]) -> None:
    pool_id = user["pool_id"]
    ours = service.services.keys
    before = _tokens(service, user)["AccessToken"]
    assert ours.jwks(pool_id)  # this process has read and keeps the pool's keys
    # another process (or `recognito keys rotate --now`) rotates, and signs with the new key
    theirs = KeyRing(service.services.store)
    service.clock.advance(1)
    new_kids = theirs.rotate(pool_id, service.clock.now())
    other_process = dataclasses.replace(service.services, keys=theirs)
    token = _tokens(service, user, other_process)["AccessToken"]
    assert _header_kid(token) in new_kids
    # a kid this process did not know makes it read the keys again
    assert service("GetUser", AccessToken=token)["Username"] == "ana"
    assert service("GetUser", AccessToken=before)["Username"] == "ana"
    # and a process whose cached keys are due for a refresh signs with the new key
    refreshed = dataclasses.replace(service.services, keys=_fresh(service))
    assert _header_kid(_tokens(service, user, refreshed)["IdToken"]) in new_kids


def test_a_made_up_kid_is_not_accepted(service: Service, user: dict[str, Any]) -> None:
    assert service.services.keys.verification_key(user["pool_id"], "no-such-kid") is None


def test_scheduled_rotation_rotates_each_pool_once_when_its_newest_key_is_old(
    service: Service, user: dict[str, Any]
) -> None:
    pool_id = user["pool_id"]
    every = 30 * 86400.0
    ring = service.services.keys
    assert ring.rotate_due(service.clock.now(), every, DELAY, pool_id) == []
    service.clock.advance(every)
    # (the PostgreSQL database keeps earlier tests' pools, as old: this pool only)
    assert ring.rotate_due(service.clock.now(), every, DELAY, pool_id) == [pool_id]
    # every process runs housekeeping: the second finds the pool rotated already
    assert _fresh(service).rotate_due(service.clock.now(), every, DELAY, pool_id) == []
    states = _fresh(service).states(pool_id, service.clock.now())
    assert sorted(k.state for k in states) == ["pending", "pending", "signing", "signing"]
    service.clock.advance(DELAY)
    states = _fresh(service).states(pool_id, service.clock.now())
    assert sorted(k.state for k in states) == ["retiring", "retiring", "signing", "signing"]


def test_rotating_a_pool_that_does_not_exist_is_refused(service: Service) -> None:
    with pytest.raises(LookupError):
        service.services.keys.rotate("us-east-1_NoSuchPool", service.clock.now())
