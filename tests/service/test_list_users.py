"""ListUsers filters served by the store agree with the reference rules of
`list_users_filter.matches`, on SQLite and PostgreSQL alike; pages never repeat a user."""

from __future__ import annotations

from typing import Any

import pytest

from recognito import errors
from recognito.domain.list_users_filter import matches, parse_filter
from tests.service.conftest import Service

PEOPLE = [
    ("alice", "alice@example.com", "Alice", True),
    ("alina", "alina@example.org", "Alina", False),
    ("bob", "bob@example.com", "Bob", True),
    ("Bobby", "bobby@sample.net", "Bobby", True),
    ("carol", "carol@example.com", "Carol", False),
]
FILTERS = [
    'username = "alice"',
    'username ^= "ali"',
    'username ^= "bob"',
    'email ^= "b"',
    'email = "carol@example.com"',
    'name ^= "Al"',
    'cognito:user_status = "unconfirmed"',
    'cognito:user_status ^= "FORCE"',
    'status = "Disabled"',
    'status = "Enabled"',
    'status ^= "En"',
    'given_name = "nobody"',
    "",
]


@pytest.fixture
def people(service: Service) -> dict[str, Any]:
    pool_id = service("CreateUserPool", PoolName="people")["UserPool"]["Id"]
    for username, email, name, confirmed in PEOPLE:
        service(
            "AdminCreateUser",
            UserPoolId=pool_id,
            Username=username,
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": name}],
        )
        if confirmed:
            service(
                "AdminSetUserPassword",
                UserPoolId=pool_id,
                Username=username,
                Password="Passw0rd!",
                Permanent=True,
            )
    service("AdminDisableUser", UserPoolId=pool_id, Username="bob")
    users = service("ListUsers", UserPoolId=pool_id)["Users"]
    return {"pool_id": pool_id, "users": users}


@pytest.mark.parametrize("text", FILTERS)
def test_store_filter_agrees_with_the_reference_rule(
    service: Service, people: dict[str, Any], text: str
) -> None:
    found = service("ListUsers", UserPoolId=people["pool_id"], Filter=text)["Users"]
    rule = parse_filter(text)
    expected = [
        u["Username"]
        for u in people["users"]
        if rule is None
        or matches(
            rule,
            username=u["Username"],
            status=u["UserStatus"],
            enabled=u["Enabled"],
            attributes={a["Name"]: a["Value"] for a in u["Attributes"]},
        )
    ]
    assert sorted(u["Username"] for u in found) == sorted(expected)


def test_pages_cover_every_user_once(service: Service, people: dict[str, Any]) -> None:
    seen: list[str] = []
    token = None
    while True:
        page = service(
            "ListUsers",
            UserPoolId=people["pool_id"],
            Limit=2,
            **({"PaginationToken": token} if token else {}),
        )
        assert len(page["Users"]) <= 2
        seen += [u["Username"] for u in page["Users"]]
        token = page.get("PaginationToken")
        if not token:
            break
    assert sorted(seen) == sorted(p[0] for p in PEOPLE)


@pytest.mark.parametrize(
    "text",
    ['cognito:user_status ^= ""', 'cognito:user_status ^= "c"', 'email ^= ""', 'username ^= "b"'],
)
@pytest.mark.parametrize("limit", [1, 2])
def test_prefix_pages_cover_every_match_once(
    service: Service, people: dict[str, Any], text: str, limit: int
) -> None:
    """Prefix listings come in value order, and the token carries the last value: users
    that share a value (statuses here) are split across pages without repeats or gaps."""
    everyone = service("ListUsers", UserPoolId=people["pool_id"], Filter=text)["Users"]
    seen: list[str] = []
    token = None
    while True:
        page = service(
            "ListUsers",
            UserPoolId=people["pool_id"],
            Filter=text,
            Limit=limit,
            **({"PaginationToken": token} if token else {}),
        )
        assert len(page["Users"]) <= limit
        seen += [u["Username"] for u in page["Users"]]
        token = page.get("PaginationToken")
        if not token:
            break
    assert seen == [u["Username"] for u in everyone]
    assert len(set(seen)) == len(seen) > 0


def test_a_token_of_another_listing_is_refused(service: Service, people: dict[str, Any]) -> None:
    unfiltered = service("ListUsers", UserPoolId=people["pool_id"], Limit=1)["PaginationToken"]
    with pytest.raises(errors.InvalidParameterException, match="Invalid pagination token."):
        service(
            "ListUsers",
            UserPoolId=people["pool_id"],
            Filter='email ^= ""',
            PaginationToken=unfiltered,
        )
