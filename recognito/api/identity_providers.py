"""Identity providers: CreateIdentityProvider, DescribeIdentityProvider,
GetIdentityProviderByIdentifier, UpdateIdentityProvider, DeleteIdentityProvider,
ListIdentityProviders; GetSigningCertificate (the pool's SAML certificate).

OIDC issuers are not contacted here: discovery happens at sign-in (the upstream may
not be up yet when a local setup is scripted). A SAML provider's MetadataURL is fetched
here, as Cognito does, and the document kept (signin/saml.py reads it). Deleting a
provider keeps the users who signed in through it, drops it from the app clients that
name it, and drops the links to it."""

from __future__ import annotations

from datetime import UTC, datetime

from recognito.domain import identity_providers as rules
from recognito.domain.records import IdentityProvider
from recognito.service.context import Services
from recognito.service.lookups import pool_or_error
from recognito.service.paging import cut, page
from recognito.service.registry import NoOutput, operation
from recognito.service.saml import signing_certificate
from recognito.shapes import (
    CreateIdentityProviderRequest,
    CreateIdentityProviderResponse,
    DeleteIdentityProviderRequest,
    DescribeIdentityProviderRequest,
    DescribeIdentityProviderResponse,
    GetIdentityProviderByIdentifierRequest,
    GetIdentityProviderByIdentifierResponse,
    GetSigningCertificateRequest,
    GetSigningCertificateResponse,
    IdentityProviderType,
    ListIdentityProvidersRequest,
    ListIdentityProvidersResponse,
    UpdateIdentityProviderRequest,
    UpdateIdentityProviderResponse,
)
from recognito.signin.saml import with_metadata
from recognito.store.unit_of_work import UnitOfWork

DEFAULT_PAGE = 60  # when MaxResults is omitted or 0: the largest page


@operation("CreateIdentityProvider")
def create_identity_provider(
    svc: Services, req: CreateIdentityProviderRequest
) -> CreateIdentityProviderResponse:
    now = datetime.fromtimestamp(svc.clock.now(), UTC)
    kind = req["ProviderType"]
    provider = IdentityProvider(
        pool_id=req["UserPoolId"],
        name=req["ProviderName"],
        type=kind,
        details=dict(req["ProviderDetails"]),
        attribute_mapping=rules.stored_mapping(kind, req.get("AttributeMapping", {})),
        identifiers=list(req.get("IdpIdentifiers", [])),
        created=now,
        modified=now,
    )
    rules.check_name(provider.name, kind)
    rules.check_details(kind, provider.details)
    provider = with_metadata(svc, provider)
    with svc.store.write() as tx:
        pool_or_error(tx, provider.pool_id)
        if tx.identity_providers.get(provider.pool_id, provider.name) is not None:
            raise rules.already_exists(provider.name)
        others = tx.identity_providers.list(provider.pool_id)
        rules.check_room(len(others))
        rules.check_identifiers(provider.identifiers, provider.name, others)
        if not tx.identity_providers.insert(provider):
            raise rules.already_exists(provider.name)
    return {"IdentityProvider": _wire(svc, provider)}


@operation("DescribeIdentityProvider")
def describe_identity_provider(
    svc: Services, req: DescribeIdentityProviderRequest
) -> DescribeIdentityProviderResponse:
    with svc.store.read() as tx:
        provider = _provider_or_error(tx, req["UserPoolId"], req["ProviderName"])
    return {"IdentityProvider": _wire(svc, provider)}


@operation("GetIdentityProviderByIdentifier")
def get_identity_provider_by_identifier(
    svc: Services, req: GetIdentityProviderByIdentifierRequest
) -> GetIdentityProviderByIdentifierResponse:
    with svc.store.read() as tx:
        pool_or_error(tx, req["UserPoolId"])
        provider = tx.identity_providers.by_identifier(req["UserPoolId"], req["IdpIdentifier"])
    if provider is None:
        raise rules.identifier_not_found(req["IdpIdentifier"])
    return {"IdentityProvider": _wire(svc, provider)}


@operation("ListIdentityProviders")
def list_identity_providers(
    svc: Services, req: ListIdentityProvidersRequest
) -> ListIdentityProvidersResponse:
    limit = req.get("MaxResults") or DEFAULT_PAGE
    after = page(req.get("NextToken"))
    with svc.store.read() as tx:
        pool_or_error(tx, req["UserPoolId"])
        found = [
            p for p in tx.identity_providers.list(req["UserPoolId"]) if not after or p.name > after
        ]
    providers, token = cut(found[: limit + 1], limit, lambda p: p.name)
    answer: ListIdentityProvidersResponse = {
        "Providers": [
            {
                "ProviderName": p.name,
                "ProviderType": p.type,  # type: ignore[typeddict-item]  # checked on create
                "LastModifiedDate": p.modified.timestamp(),
                "CreationDate": p.created.timestamp(),
            }
            for p in providers
        ]
    }
    if token is not None:
        answer["NextToken"] = token
    return answer


@operation("UpdateIdentityProvider")
def update_identity_provider(
    svc: Services, req: UpdateIdentityProviderRequest
) -> UpdateIdentityProviderResponse:
    """Omitted members are left as they are; given ones replace theirs whole."""
    with svc.store.read() as tx:
        current = _provider_or_error(tx, req["UserPoolId"], req["ProviderName"])
        details = dict(req.get("ProviderDetails", current.details))
        for secret in ("client_secret", "private_key"):
            # a describe-edit-update round trip: Describe hides Apple's private_key
            if secret not in details and secret in current.details:
                details[secret] = current.details[secret]
        for derived in rules.derived_keys(current):
            details.pop(derived, None)  # echoed back from a Describe: not the provider's own
        mapping = req.get("AttributeMapping")
        provider = IdentityProvider(
            pool_id=current.pool_id,
            name=current.name,
            type=current.type,
            details=details,
            attribute_mapping=current.attribute_mapping
            if mapping is None
            else rules.stored_mapping(current.type, mapping),
            identifiers=list(req.get("IdpIdentifiers", current.identifiers)),
            created=current.created,
            modified=datetime.fromtimestamp(svc.clock.now(), UTC),
        )
        rules.check_details(provider.type, provider.details)
        rules.check_identifiers(
            provider.identifiers, provider.name, tx.identity_providers.list(provider.pool_id)
        )
    provider = with_metadata(svc, provider)  # fetched with no transaction open
    with svc.store.write() as tx:
        _provider_or_error(tx, provider.pool_id, provider.name)
        tx.identity_providers.update(provider)
    return {"IdentityProvider": _wire(svc, provider)}


@operation("GetSigningCertificate")
def get_signing_certificate(
    svc: Services, req: GetSigningCertificateRequest
) -> GetSigningCertificateResponse:
    with svc.store.read() as tx:
        pool_or_error(tx, req["UserPoolId"])
    certificate, _ = signing_certificate(svc, req["UserPoolId"])
    return {"Certificate": certificate}


@operation("DeleteIdentityProvider")
def delete_identity_provider(svc: Services, req: DeleteIdentityProviderRequest) -> NoOutput:
    with svc.store.write() as tx:
        provider = _provider_or_error(tx, req["UserPoolId"], req["ProviderName"])
        tx.identity_providers.delete(provider.pool_id, provider.name)
        tx.provider_links.remove_provider(provider.pool_id, provider.name)
        now = svc.clock.now()
        for client in tx.clients.page(provider.pool_id, None, None):
            named = client.config.get("SupportedIdentityProviders", [])
            if provider.name in named:
                kept = [n for n in named if n != provider.name]
                config = {**client.config, "SupportedIdentityProviders": kept}
                tx.clients.update(client.id, client.name, config, now)
    return {}


def _provider_or_error(tx: UnitOfWork, pool_id: str, name: str) -> IdentityProvider:
    pool_or_error(tx, pool_id)
    provider = tx.identity_providers.get(pool_id, name)
    if provider is None:
        raise rules.not_found(name)
    return provider


def _wire(svc: Services, provider: IdentityProvider) -> IdentityProviderType:
    return {
        "UserPoolId": provider.pool_id,
        "ProviderName": provider.name,
        "ProviderType": provider.type,  # type: ignore[typeddict-item]  # checked on create
        "ProviderDetails": rules.described_details(provider, svc.settings.social_bases),
        "AttributeMapping": dict(provider.attribute_mapping),
        "IdpIdentifiers": list(provider.identifiers),
        "LastModifiedDate": provider.modified.timestamp(),
        "CreationDate": provider.created.timestamp(),
    }
