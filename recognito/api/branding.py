"""Branding of the hosted pages: GetUICustomization / SetUICustomization (classic) and
Create/Describe/DescribeByClient/Update/DeleteManagedLoginBranding (managed login).

What the pages make of them is in web/branding.py; what is stored but not rendered is
listed in docs/behaviour.md ("Branding and terms")."""

from __future__ import annotations

import base64
import uuid
from dataclasses import replace
from typing import cast

from recognito import errors
from recognito.domain import branding as rules
from recognito.domain import branding_css
from recognito.domain.pool_domains import advertised, domain_base_url
from recognito.domain.records import ManagedLoginBranding, UICustomization
from recognito.service.context import Services
from recognito.service.lookups import client_or_error, pool_or_error
from recognito.service.registry import NoOutput, operation
from recognito.shapes import (
    AssetType,
    CreateManagedLoginBrandingRequest,
    CreateManagedLoginBrandingResponse,
    DeleteManagedLoginBrandingRequest,
    DescribeManagedLoginBrandingByClientRequest,
    DescribeManagedLoginBrandingByClientResponse,
    DescribeManagedLoginBrandingRequest,
    DescribeManagedLoginBrandingResponse,
    GetUICustomizationRequest,
    GetUICustomizationResponse,
    ManagedLoginBrandingType,
    SetUICustomizationRequest,
    SetUICustomizationResponse,
    UICustomizationType,
    UpdateManagedLoginBrandingRequest,
    UpdateManagedLoginBrandingResponse,
)
from recognito.store.unit_of_work import UnitOfWork


@operation("SetUICustomization")
def set_ui_customization(
    svc: Services, req: SetUICustomizationRequest
) -> SetUICustomizationResponse:
    """Logo and CSS go together: a call replaces both. One with neither removes the
    setting, so a client falls back to the pool default again."""
    pool_id = req["UserPoolId"]
    client_id = req.get("ClientId") or rules.POOL_DEFAULT
    css = req.get("CSS")
    image = req.get("ImageFile")
    logo = base64.b64decode(image) if image else None
    kind = rules.image_type(logo) if logo else None
    rules.check_classic_size(css, image)
    now = svc.clock.now()
    with svc.store.write() as tx:
        pool_or_error(tx, pool_id)
        if client_id != rules.POOL_DEFAULT:
            client_or_error(tx, client_id, pool_id)
        current = tx.ui_customizations.get(pool_id, client_id)
        if css is None and logo is None:
            tx.ui_customizations.delete(pool_id, client_id)
            return {"UICustomization": {"UserPoolId": pool_id, "ClientId": client_id}}
        item = UICustomization(
            pool_id=pool_id,
            client_id=client_id,
            css=css,
            safe_css=branding_css.sanitise(css) if css else None,
            css_version=str(int(now * 1000)),
            image=logo,
            image_type=kind,
            created=current.created if current else now,
            modified=now,
        )
        tx.ui_customizations.put(item)
        return {"UICustomization": _wire(tx, svc, item)}


@operation("GetUICustomization")
def get_ui_customization(
    svc: Services, req: GetUICustomizationRequest
) -> GetUICustomizationResponse:
    """A client's own setting, else the pool default; `{}` when neither is set."""
    pool_id = req["UserPoolId"]
    client_id = req.get("ClientId") or rules.POOL_DEFAULT
    with svc.store.read() as tx:
        pool_or_error(tx, pool_id)
        if client_id != rules.POOL_DEFAULT:
            client_or_error(tx, client_id, pool_id)
        item = tx.ui_customizations.effective(pool_id, client_id)
        return {"UICustomization": _wire(tx, svc, item) if item else {}}


def _wire(tx: UnitOfWork, svc: Services, item: UICustomization) -> UICustomizationType:
    answer: UICustomizationType = {
        "UserPoolId": item.pool_id,
        "ClientId": item.client_id,
        "CSSVersion": item.css_version,
        "CreationDate": item.created,
        "LastModifiedDate": item.modified,
    }
    if item.css is not None:
        answer["CSS"] = item.css
    domain = advertised(tx.domains.of_pool(item.pool_id))
    if item.image is not None and domain is not None:
        # served by the pool's domain (web/branding.py), so the pages' CSP holds
        base = domain_base_url(svc.settings, domain)
        answer["ImageUrl"] = f"{base}/branding/{item.client_id}/logo?v={item.css_version}"
    return answer


# -- managed login ---------------------------------------------------------------------
@operation("CreateManagedLoginBranding")
def create_managed_login_branding(
    svc: Services, req: CreateManagedLoginBrandingRequest
) -> CreateManagedLoginBrandingResponse:
    pool_id, client_id = req["UserPoolId"], req["ClientId"]
    use_cognito = bool(req.get("UseCognitoProvidedValues", False))
    settings, assets = req.get("Settings"), [dict(a) for a in req.get("Assets", [])]
    rules.check_style(use_cognito, settings, assets)
    now = svc.clock.now()
    style = ManagedLoginBranding(
        id=str(uuid.uuid4()),
        pool_id=pool_id,
        client_id=client_id,
        use_cognito_values=use_cognito,
        settings=settings,
        assets=assets,
        created=now,
        modified=now,
    )
    with svc.store.write() as tx:
        pool_or_error(tx, pool_id)
        client_or_error(tx, client_id, pool_id)
        if tx.managed_login_brandings.of_client(pool_id, client_id) is not None:
            raise rules.style_exists()
        rules.check_style_room(tx.managed_login_brandings.count(pool_id))
        if not tx.managed_login_brandings.insert(style):
            raise rules.style_exists()
    return {"ManagedLoginBranding": _style(style)}


@operation("DescribeManagedLoginBranding")
def describe_managed_login_branding(
    svc: Services, req: DescribeManagedLoginBrandingRequest
) -> DescribeManagedLoginBrandingResponse:
    """ReturnMergedResources is accepted; there are no Cognito defaults to merge in."""
    with svc.store.read() as tx:
        style = _style_or_error(tx, req["UserPoolId"], req["ManagedLoginBrandingId"])
    return {"ManagedLoginBranding": _style(style)}


@operation("DescribeManagedLoginBrandingByClient")
def describe_managed_login_branding_by_client(
    svc: Services, req: DescribeManagedLoginBrandingByClientRequest
) -> DescribeManagedLoginBrandingByClientResponse:
    with svc.store.read() as tx:
        pool_or_error(tx, req["UserPoolId"])
        style = tx.managed_login_brandings.of_client(req["UserPoolId"], req["ClientId"])
        if style is None:
            raise rules.style_not_found()
    return {"ManagedLoginBranding": _style(style)}


@operation("UpdateManagedLoginBranding")
def update_managed_login_branding(
    svc: Services, req: UpdateManagedLoginBrandingRequest
) -> UpdateManagedLoginBrandingResponse:
    """What is given replaces what was; UseCognitoProvidedValues=true drops Settings and
    Assets."""
    pool_id, style_id = req.get("UserPoolId"), req.get("ManagedLoginBrandingId")
    if not pool_id or not style_id:  # optional in the model, needed all the same
        raise errors.InvalidParameterException(
            "UserPoolId and ManagedLoginBrandingId are required."
        )
    with svc.store.write() as tx:
        current = _style_or_error(tx, pool_id, style_id)
        use_cognito = bool(req.get("UseCognitoProvidedValues", current.use_cognito_values))
        rules.check_style(use_cognito, req.get("Settings"), list(req.get("Assets", [])))
        if use_cognito:
            settings, assets = None, []
        else:
            settings = req.get("Settings", current.settings)
            assets = [dict(a) for a in req.get("Assets", current.assets)]
        style = replace(
            current,
            use_cognito_values=use_cognito,
            settings=settings,
            assets=assets,
            modified=svc.clock.now(),
        )
        tx.managed_login_brandings.update(style)
    return {"ManagedLoginBranding": _style(style)}


@operation("DeleteManagedLoginBranding")
def delete_managed_login_branding(
    svc: Services, req: DeleteManagedLoginBrandingRequest
) -> NoOutput:
    with svc.store.write() as tx:
        style = _style_or_error(tx, req["UserPoolId"], req["ManagedLoginBrandingId"])
        tx.managed_login_brandings.delete(style.id)
    return {}


def _style_or_error(tx: UnitOfWork, pool_id: str, style_id: str) -> ManagedLoginBranding:
    pool_or_error(tx, pool_id)
    style = tx.managed_login_brandings.get(pool_id, style_id)
    if style is None:
        raise rules.style_not_found()
    return style


def _style(style: ManagedLoginBranding) -> ManagedLoginBrandingType:
    answer: ManagedLoginBrandingType = {
        "ManagedLoginBrandingId": style.id,
        "UserPoolId": style.pool_id,
        "UseCognitoProvidedValues": style.use_cognito_values,
        "Assets": cast(list[AssetType], style.assets),
        "CreationDate": style.created,
        "LastModifiedDate": style.modified,
    }
    if style.settings is not None:
        answer["Settings"] = style.settings
    return answer
