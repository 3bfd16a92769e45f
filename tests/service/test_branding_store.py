"""Branding and terms in the store (migration 0017) on both databases: the classic
setting with its client override, one managed-login style per client, one terms document
of each name per client, what the pages get of them, and all gone with the pool."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from recognito import errors
from recognito.service.branding import page_branding

from .conftest import Service

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _terms(service: Service, pool: dict[str, Any], name: str, link: str) -> dict[str, Any]:
    made: dict[str, Any] = service(
        "CreateTerms",
        UserPoolId=pool["pool_id"],
        ClientId=pool["client_id"],
        TermsName=name,
        TermsSource="LINK",
        Enforcement="NONE",
        Links={"cognito:default": link},
    )["Terms"]
    return made


def test_classic_branding_is_stored_sanitised_and_overridden_per_client(
    service: Service, pool: dict[str, Any]
) -> None:
    pool_id, client_id = pool["pool_id"], pool["client_id"]
    service(
        "SetUICustomization",
        UserPoolId=pool_id,
        CSS="body{color:red} .label-customizable{color:red}",
        ImageFile=base64.b64encode(PNG).decode(),
    )
    with service.services.store.read() as tx:
        shown = page_branding(tx, pool_id, client_id, None)
    assert shown.stylesheet == ".label-customizable { color: red; }\n"
    assert shown.logo is not None and shown.logo.data == PNG
    assert shown.logo.media_type == "image/png"

    service("SetUICustomization", UserPoolId=pool_id, ClientId=client_id, CSS="")
    with service.services.store.read() as tx:
        shown = page_branding(tx, pool_id, client_id, None)
    assert shown.stylesheet is None and shown.logo is None  # the client's own: empty
    got = service("GetUICustomization", UserPoolId=pool_id)["UICustomization"]
    assert got["CSS"] == "body{color:red} .label-customizable{color:red}"


def test_one_style_per_client_and_one_terms_document_of_each_name(
    service: Service, pool: dict[str, Any]
) -> None:
    pool_id, client_id = pool["pool_id"], pool["client_id"]
    style = service(
        "CreateManagedLoginBranding",
        UserPoolId=pool_id,
        ClientId=client_id,
        Settings={"components": {"form": {"borderRadius": 8}}},
    )["ManagedLoginBranding"]
    with pytest.raises(errors.ManagedLoginBrandingExistsException):
        service("CreateManagedLoginBranding", UserPoolId=pool_id, ClientId=client_id)
    again = service("DescribeManagedLoginBrandingByClient", UserPoolId=pool_id, ClientId=client_id)[
        "ManagedLoginBranding"
    ]
    assert again["Settings"] == {"components": {"form": {"borderRadius": 8}}}
    assert again["ManagedLoginBrandingId"] == style["ManagedLoginBrandingId"]

    _terms(service, pool, "terms-of-use", "https://app.example/terms")
    with pytest.raises(errors.TermsExistsException):
        _terms(service, pool, "terms-of-use", "https://app.example/again")
    with service.services.store.read() as tx:
        assert page_branding(tx, pool_id, client_id, None).terms == {}  # one of two
    _terms(service, pool, "privacy-policy", "https://app.example/privacy")
    with service.services.store.read() as tx:
        assert page_branding(tx, pool_id, client_id, None).terms == {
            "terms-of-use": "https://app.example/terms",
            "privacy-policy": "https://app.example/privacy",
        }


def test_deleting_the_pool_deletes_its_branding_and_terms(
    service: Service, pool: dict[str, Any]
) -> None:
    pool_id, client_id = pool["pool_id"], pool["client_id"]
    service("SetUICustomization", UserPoolId=pool_id, CSS=".logo-customizable{width:10px}")
    service("CreateManagedLoginBranding", UserPoolId=pool_id, ClientId=client_id)
    _terms(service, pool, "terms-of-use", "https://app.example/terms")
    service("DeleteUserPool", UserPoolId=pool_id)
    with service.services.store.read() as tx:
        assert tx.ui_customizations.get(pool_id, "ALL") is None
        assert tx.managed_login_brandings.of_client(pool_id, client_id) is None
        assert tx.terms.of_client(pool_id, client_id) == []


def test_deleting_a_client_deletes_its_own_branding_and_terms(
    service: Service, pool: dict[str, Any]
) -> None:
    pool_id, client_id = pool["pool_id"], pool["client_id"]
    service("SetUICustomization", UserPoolId=pool_id, CSS=".logo-customizable{width:10px}")
    service("SetUICustomization", UserPoolId=pool_id, ClientId=client_id, CSS="")
    service("CreateManagedLoginBranding", UserPoolId=pool_id, ClientId=client_id)
    _terms(service, pool, "terms-of-use", "https://app.example/terms")
    service("DeleteUserPoolClient", UserPoolId=pool_id, ClientId=client_id)
    with service.services.store.read() as tx:
        assert tx.ui_customizations.get(pool_id, client_id) is None
        assert tx.ui_customizations.get(pool_id, "ALL") is not None  # the pool's stays
        assert tx.managed_login_brandings.count(pool_id) == 0
        assert tx.terms.of_client(pool_id, client_id) == []
