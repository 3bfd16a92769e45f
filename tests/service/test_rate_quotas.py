"""Request-rate quotas leased from the store: exactly the limit per second, however many
threads and processes race for it, on both stores."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from recognito import errors
from recognito.domain.rate_quotas import DEFAULT_RPS, Category, RateLimits
from recognito.service.rate_quotas import Allowances, Throttle
from tests.service.conftest import RACERS, Service, race

LIMIT = 37  # not a multiple of the share a process leases (a quarter)


@pytest.fixture
def key() -> str:
    """A key of this test's own: the PostgreSQL database outlives a test, and every test's
    clock starts at the same second."""
    return uuid.uuid4().hex


def _admitted(processes: list[Allowances], key: str, limit: int) -> int:
    """RACERS calls at once, spread over `processes` (each as one server process would
    hold its allowances); how many were admitted."""

    def one(n: int) -> bool:
        return processes[n % len(processes)].take(key, limit)

    with ThreadPoolExecutor(RACERS) as pool:
        return sum(pool.map(one, range(RACERS)))


@pytest.mark.parametrize("process_count", [1, 3])
def test_racing_calls_get_exactly_the_limit_per_second(
    service: Service, process_count: int, key: str
) -> None:
    store, clock = service.services.store, service.clock
    processes = [Allowances(store, clock) for _ in range(process_count)]
    assert _admitted(processes, key, LIMIT) == LIMIT
    assert _admitted(processes, key, LIMIT) == 0  # same second: all spent
    clock.advance(1.0)
    assert _admitted(processes, key, LIMIT) == LIMIT


def test_allowances_of_different_keys_are_apart(service: Service, key: str) -> None:
    allowances = Allowances(service.services.store, service.clock)
    assert [allowances.take(key + "a", 1), allowances.take(key + "a", 1)] == [True, False]
    assert allowances.take(key + "b", 1)


def test_a_process_that_leased_and_went_quiet_leaves_others_less_never_more(
    service: Service, key: str
) -> None:
    store, clock = service.services.store, service.clock
    quiet, busy = Allowances(store, clock), Allowances(store, clock)
    assert quiet.take(key, 8)  # leases a quarter (2), spends 1
    admitted = sum(busy.take(key, 8) for _ in range(20))
    assert admitted == 6  # the 8 less the quiet process's lease


def _limits(**rates: int) -> RateLimits:
    categories: dict[Category, int | None] = dict(DEFAULT_RPS)
    per_ip = rates.pop("per_ip", None)
    categories.update({Category(name): rps for name, rps in rates.items()})
    return RateLimits(categories, per_ip)


def test_a_category_past_its_limit_answers_too_many_requests(
    service: Service, pool: dict[str, Any]
) -> None:
    throttle = Throttle(service.services, _limits(UserPoolRead=5))

    def describe() -> None:
        throttle.admit("DescribeUserPool", {"UserPoolId": pool["pool_id"]}, None)

    outcomes = race(describe)
    assert outcomes == {"ok": 5, "TooManyRequestsException: Rate exceeded": RACERS - 5}
    # another pool has its own allowance
    throttle.admit("DescribeUserPool", {"UserPoolId": "us-east-1_other"}, None)
    service.clock.advance(1.0)
    describe()


def test_calls_naming_a_client_count_for_its_pool(service: Service, pool: dict[str, Any]) -> None:
    throttle = Throttle(service.services, _limits(UserCreation=2))
    throttle.admit("AdminCreateUser", {"UserPoolId": pool["pool_id"]}, None)
    throttle.admit("SignUp", {"ClientId": pool["client_id"]}, "10.0.0.1")
    with pytest.raises(errors.TooManyRequestsException):
        throttle.admit("SignUp", {"ClientId": pool["client_id"]}, "10.0.0.2")


def test_public_calls_are_limited_per_address_before_the_pool(
    service: Service, pool: dict[str, Any]
) -> None:
    throttle = Throttle(service.services, _limits(UserAuthentication=3, per_ip=2))
    params = {"ClientId": pool["client_id"]}
    throttle.admit("InitiateAuth", params, "10.0.0.1")
    throttle.admit("InitiateAuth", params, "10.0.0.1")
    with pytest.raises(errors.TooManyRequestsException, match="^Rate exceeded$"):
        throttle.admit("InitiateAuth", params, "10.0.0.1")
    # the refused call spent none of the pool's allowance: one is left for another address
    throttle.admit("InitiateAuth", params, "10.0.0.2")
    with pytest.raises(errors.TooManyRequestsException):
        throttle.admit("InitiateAuth", params, "10.0.0.3")


def test_challenge_responses_have_three_times_authentication_then_share_it(
    service: Service, pool: dict[str, Any]
) -> None:
    throttle = Throttle(service.services, _limits(UserAuthentication=2))
    params = {"ClientId": pool["client_id"], "ChallengeName": "SMS_MFA"}
    for _ in range(6 + 2):  # 3 x 2 of their own, then the category's 2
        throttle.admit("RespondToAuthChallenge", params, None)
    with pytest.raises(errors.TooManyRequestsException):
        throttle.admit("RespondToAuthChallenge", params, None)
    with pytest.raises(errors.TooManyRequestsException):
        throttle.admit("InitiateAuth", {"ClientId": pool["client_id"]}, None)


def test_made_up_client_ids_share_one_allowance_apart_from_real_pools(
    service: Service, pool: dict[str, Any]
) -> None:
    throttle = Throttle(service.services, _limits(UserCreation=2))
    throttle.admit("SignUp", {"ClientId": "madeup1"}, None)
    throttle.admit("SignUp", {"ClientId": "madeup2"}, None)
    with pytest.raises(errors.TooManyRequestsException):
        throttle.admit("SignUp", {"ClientId": "madeup3"}, None)
    throttle.admit("SignUp", {"ClientId": pool["client_id"]}, None)


def test_ipv6_addresses_count_by_their_64(service: Service, pool: dict[str, Any]) -> None:
    throttle = Throttle(service.services, _limits(per_ip=1))
    params = {"ClientId": pool["client_id"]}
    throttle.admit("InitiateAuth", params, "2001:db8::1")
    with pytest.raises(errors.TooManyRequestsException):
        throttle.admit("InitiateAuth", params, "2001:db8::2")
    throttle.admit("InitiateAuth", params, "2001:db8:0:1::1")
