"""Identity providers and provider links in the store, on SQLite and PostgreSQL alike:
the repositories the federated sign-in reads, linking, and what deleting a provider
leaves."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from recognito import errors
from recognito.domain.records import IdentityProvider, Status
from tests.records import a_user
from tests.service.conftest import Service

OIDC = {
    "client_id": "rp",
    "client_secret": "rp-secret",
    "authorize_scopes": "openid email",
    "oidc_issuer": "https://issuer.example.com",
}
SUB = "0f6c1f0e-aaaa-4bbb-8ccc-000000000001"


def _create(service: Service, pool_id: str, name: str = "Corp", **kwargs: Any) -> None:
    service(
        "CreateIdentityProvider",
        UserPoolId=pool_id,
        ProviderName=name,
        ProviderType="OIDC",
        ProviderDetails=OIDC,
        **kwargs,
    )


def _native(service: Service, pool_id: str, username: str = "ann") -> None:
    service("AdminCreateUser", UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")


def _federated(service: Service, pool_id: str, username: str) -> int:
    """A user as a first sign-in through a provider leaves it (oidcrp's part)."""
    with service.services.store.write() as tx:
        user = tx.users.insert(
            a_user(
                id=0,
                pool_id=pool_id,
                username=username,
                sub=str(uuid.uuid4()),
                status=Status.EXTERNAL_PROVIDER,
            ),
            username,
        )
        assert user is not None
        return user.id


def _link(service: Service, pool_id: str, username: str, value: str, name: str = "Corp") -> None:
    service(
        "AdminLinkProviderForUser",
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": username},
        SourceUser={
            "ProviderName": name,
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": value,
        },
    )


def test_repository_reads_what_create_stored(service: Service, pool: dict[str, Any]) -> None:
    pool_id = pool["pool_id"]
    _create(service, pool_id, IdpIdentifiers=["corp.example"], AttributeMapping={"email": "email"})
    created = datetime.fromtimestamp(service.clock.now(), UTC)
    with service.services.store.read() as tx:
        provider = tx.identity_providers.get(pool_id, "Corp")
        assert provider == IdentityProvider(
            pool_id=pool_id,
            name="Corp",
            type="OIDC",
            details=OIDC,  # client_secret opened again
            attribute_mapping={"email": "email", "username": "sub"},
            identifiers=["corp.example"],
            created=created,
            modified=created,
        )
        assert tx.identity_providers.by_identifier(pool_id, "corp.example") == provider
        assert tx.identity_providers.by_identifier(pool_id, "nope") is None
        assert tx.identity_providers.list(pool_id) == [provider]
        assert tx.identity_providers.get(pool_id, "Other") is None


def test_update_keeps_omitted_members(service: Service, pool: dict[str, Any]) -> None:
    pool_id = pool["pool_id"]
    _create(service, pool_id, IdpIdentifiers=["corp"], AttributeMapping={"email": "email"})
    service.clock.advance(60)
    updated = service(
        "UpdateIdentityProvider",
        UserPoolId=pool_id,
        ProviderName="Corp",
        AttributeMapping={"name": "name"},
    )["IdentityProvider"]
    assert updated["ProviderDetails"]["client_secret"] == "rp-secret"
    assert updated["IdpIdentifiers"] == ["corp"]
    assert updated["AttributeMapping"] == {"name": "name", "username": "sub"}
    assert updated["LastModifiedDate"] == updated["CreationDate"] + 60


def test_link_is_found_by_subject_and_shown_in_identities(
    service: Service, pool: dict[str, Any]
) -> None:
    pool_id = pool["pool_id"]
    _create(service, pool_id)
    _native(service, pool_id)
    _link(service, pool_id, "ann", SUB)
    with service.services.store.read() as tx:
        ann = tx.users.by_username(pool_id, "ann")
        assert ann is not None
        assert tx.provider_links.find(pool_id, "Corp", SUB) == ann.id
        assert tx.provider_links.find(pool_id, "Corp", "other") is None
    got = service("AdminGetUser", UserPoolId=pool_id, Username="ann")
    shown = {a["Name"]: a["Value"] for a in got["UserAttributes"]}
    assert json.loads(shown["identities"]) == [
        {
            "userId": SUB,
            "providerName": "Corp",
            "providerType": "OIDC",
            "issuer": None,
            "primary": False,
            "dateCreated": int(service.clock.now() * 1000),
        }
    ]
    listed = service("ListUsers", UserPoolId=pool_id)["Users"]
    assert [a["Value"] for a in listed[0]["Attributes"] if a["Name"] == "identities"] == [
        shown["identities"]
    ]


def test_linking_twice_is_a_no_op_but_not_to_another_user(
    service: Service, pool: dict[str, Any]
) -> None:
    pool_id = pool["pool_id"]
    _create(service, pool_id)
    _native(service, pool_id, "ann")
    _native(service, pool_id, "bob")
    _link(service, pool_id, "ann", SUB)
    _link(service, pool_id, "ann", SUB)
    with pytest.raises(errors.AliasExistsException):
        _link(service, pool_id, "bob", SUB)


def test_a_user_has_at_most_five_links(service: Service, pool: dict[str, Any]) -> None:
    pool_id = pool["pool_id"]
    _create(service, pool_id)
    _native(service, pool_id)
    for i in range(5):
        _link(service, pool_id, "ann", f"sub-{i}")
    with pytest.raises(
        errors.LimitExceededException, match="A user can be linked to at most 5 identities."
    ):
        _link(service, pool_id, "ann", "sub-5")


def test_an_identity_that_signed_in_already_is_not_linked(
    service: Service, pool: dict[str, Any]
) -> None:
    pool_id = pool["pool_id"]
    _create(service, pool_id)
    _native(service, pool_id)
    _federated(service, pool_id, f"Corp_{SUB}")
    with pytest.raises(errors.InvalidParameterException, match="delete that user"):
        _link(service, pool_id, "ann", SUB)
    with pytest.raises(errors.InvalidParameterException, match="must be a native user"):
        _link(service, pool_id, f"Corp_{SUB}", "other")


def test_disable_removes_the_link(service: Service, pool: dict[str, Any]) -> None:
    pool_id = pool["pool_id"]
    _create(service, pool_id)
    _native(service, pool_id)
    _link(service, pool_id, "ann", SUB)
    user = {"ProviderName": "Corp", "ProviderAttributeName": "Cognito_Subject"}
    service(
        "AdminDisableProviderForUser",
        UserPoolId=pool_id,
        User={**user, "ProviderAttributeValue": SUB},
    )
    with service.services.store.read() as tx:
        assert tx.provider_links.find(pool_id, "Corp", SUB) is None
    got = service("AdminGetUser", UserPoolId=pool_id, Username="ann")
    assert "identities" not in {a["Name"] for a in got["UserAttributes"]}
    with pytest.raises(errors.UserNotFoundException):
        service(
            "AdminDisableProviderForUser",
            UserPoolId=pool_id,
            User={**user, "ProviderAttributeValue": SUB},
        )


def test_disable_turns_off_a_federated_user(service: Service, pool: dict[str, Any]) -> None:
    pool_id = pool["pool_id"]
    _create(service, pool_id)
    user_id = _federated(service, pool_id, f"Corp_{SUB}")
    service(
        "AdminDisableProviderForUser",
        UserPoolId=pool_id,
        User={
            "ProviderName": "Corp",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": SUB,
        },
    )
    with service.services.store.read() as tx:
        federated = tx.users.by_id(user_id)
        assert federated is not None and not federated.enabled


def test_delete_keeps_federated_users_and_drops_links_and_client_entries(
    service: Service, pool: dict[str, Any]
) -> None:
    pool_id = pool["pool_id"]
    _create(service, pool_id)
    _native(service, pool_id)
    _link(service, pool_id, "ann", SUB)
    federated_id = _federated(service, pool_id, "Corp_other")
    client = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="web",
        SupportedIdentityProviders=["COGNITO", "Corp"],
    )["UserPoolClient"]
    service("DeleteIdentityProvider", UserPoolId=pool_id, ProviderName="Corp")
    with service.services.store.read() as tx:
        assert tx.users.by_id(federated_id) is not None
        assert tx.provider_links.find(pool_id, "Corp", SUB) is None
    described = service("DescribeUserPoolClient", UserPoolId=pool_id, ClientId=client["ClientId"])[
        "UserPoolClient"
    ]
    assert described["SupportedIdentityProviders"] == ["COGNITO"]
    # a provider of that name made later starts without the old links
    _create(service, pool_id)
    with service.services.store.read() as tx:
        assert tx.provider_links.find(pool_id, "Corp", SUB) is None


def test_three_hundred_providers_per_pool(service: Service, pool: dict[str, Any]) -> None:
    pool_id = pool["pool_id"]
    with service.services.store.write() as tx:
        now = datetime.fromtimestamp(service.clock.now(), UTC)
        for i in range(300):
            tx.identity_providers.insert(
                IdentityProvider(pool_id, f"idp{i:03}", "OIDC", OIDC, {}, [], now, now)
            )
    with pytest.raises(
        errors.LimitExceededException,
        match="A user pool can have at most 300 identity providers.",
    ):
        _create(service, pool_id)


def test_list_pages_in_code_point_order(service: Service, pool: dict[str, Any]) -> None:
    """PostgreSQL's collation may sort case-insensitively; pages must not skip or repeat."""
    pool_id = pool["pool_id"]
    for name in ["bravo", "Alpha", "Charlie", "alpha"]:
        _create(service, pool_id, name)
    seen: list[str] = []
    token: dict[str, str] = {}
    while True:
        answer = service("ListIdentityProviders", UserPoolId=pool_id, MaxResults=1, **token)
        seen += [p["ProviderName"] for p in answer["Providers"]]
        if "NextToken" not in answer:
            break
        token = {"NextToken": answer["NextToken"]}
    assert seen == ["Alpha", "Charlie", "alpha", "bravo"]


def test_an_identity_too_long_to_keep_is_refused(service: Service, pool: dict[str, Any]) -> None:
    pool_id = pool["pool_id"]
    _create(service, pool_id)
    _native(service, pool_id)
    with pytest.raises(errors.InvalidParameterException, match="at most 2048"):
        _link(service, pool_id, "ann", "x" * 2049)
    _link(service, pool_id, "ann", "x" * 2048)
    with service.services.store.read() as tx:
        assert tx.provider_links.find(pool_id, "Corp", "x" * 2048) is not None


def test_deleting_the_native_user_drops_its_links(service: Service, pool: dict[str, Any]) -> None:
    pool_id = pool["pool_id"]
    _create(service, pool_id)
    _native(service, pool_id)
    _link(service, pool_id, "ann", SUB)
    service("AdminDeleteUser", UserPoolId=pool_id, Username="ann")
    with service.services.store.read() as tx:
        assert tx.provider_links.find(pool_id, "Corp", SUB) is None
