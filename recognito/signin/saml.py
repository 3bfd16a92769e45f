"""Signing in through a SAML 2.0 identity provider (reference §12.4), on the federation
machinery OIDC uses (signin/federation.py: states, the user, links, triggers).

    metadata  CreateIdentityProvider/UpdateIdentityProvider: MetadataURL fetched (https,
              or http on loopback) and the document kept; MetadataFile kept as given;
              either must name an SSO URL (HTTP-Redirect) and a signing certificate
    begin     /oauth2/authorize -> the IdP's SSO URL with a deflated AuthnRequest
              (HTTP-Redirect binding), signed when RequestSigningAlgorithm is rsa-sha256;
              RelayState is an opaque state (federation.remember) bound to the request id
    finish    POST /saml2/idpresponse: the Response's signature (whole Response or its
              Assertion, a certificate of the metadata), then status, Destination,
              InResponseTo, Issuer, Audience, Recipient, the time window and replay; the
              NameID names the user `<Provider>_<NameID>`
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import quote

import httpx

from recognito import errors
from recognito.crypto import saml as signatures
from recognito.crypto.secrets import digest, opaque_token
from recognito.domain import identity_providers as rules
from recognito.domain import saml
from recognito.domain.records import Client, FederationState, IdentityProvider, Pool, User
from recognito.service.context import Services
from recognito.service.saml import signing_certificate
from recognito.signin.federation import FederationError, Profile, materialise, remember
from recognito.signin.upstream import USER_AGENT, allowed_url

MAX_METADATA = 1_000_000  # bytes of a fetched metadata document


# ---- the provider's metadata ------------------------------------------------------------


def with_metadata(svc: Services, provider: IdentityProvider) -> IdentityProvider:
    """A SAML provider with its metadata checked, MetadataURL's fetched and kept (other
    types unchanged). InvalidParameterException when it can't be used."""
    if provider.type != "SAML":
        return provider
    details = {k: v for k, v in provider.details.items() if k != rules.FETCHED_METADATA}
    if not details.get("MetadataFile"):
        details[rules.FETCHED_METADATA] = _fetch(svc, details["MetadataURL"])
    document = rules.saml_document(details)
    assert document is not None
    saml.idp_metadata(document, svc.clock.now())
    return replace(provider, details=details)


def _fetch(svc: Services, url: str) -> str:
    if not allowed_url(url):
        raise errors.InvalidParameterException(f"Invalid MetadataURL: {url}")
    try:
        with httpx.Client(
            timeout=svc.settings.federation_timeout,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
        ) as client:
            answer = client.get(url)
    except httpx.HTTPError:
        raise errors.InvalidParameterException(
            f"Error retrieving metadata from remote metadata source {url}"
        ) from None
    if answer.status_code != 200:
        raise errors.InvalidParameterException(
            f"Non-ok status code {answer.status_code} returned from remote metadata source {url}"
        )
    if len(answer.content) > MAX_METADATA:
        raise errors.InvalidParameterException("Unable to unmarshall metadata")
    try:
        return answer.content.decode()
    except UnicodeDecodeError:
        raise errors.InvalidParameterException("Unable to unmarshall metadata") from None


def _metadata(provider: IdentityProvider) -> saml.IdpMetadata:
    document = rules.saml_document(provider.details)
    try:
        if document is None:
            raise errors.InvalidParameterException("no metadata")
        return saml.idp_metadata(document)
    except errors.CognitoError:
        text = f"{provider.name} Error - invalid identity provider metadata"
        raise FederationError(text) from None


def idp_initiated(provider: IdentityProvider) -> bool:
    return provider.details.get("IDPInit", "false").lower() == "true"


# ---- to the IdP -------------------------------------------------------------------------


def begin(svc: Services, provider: IdentityProvider, query: dict[str, str], acs: str) -> str:
    """The IdP's SSO URL carrying an AuthnRequest for the authorization request `query`;
    `acs` is this domain's /saml2/idpresponse."""
    metadata = _metadata(provider)
    request_id = "_" + opaque_token(24)
    relay_state = remember(
        svc, provider, {"query": dict(query), "callback": acs, "request_id": request_id}
    )
    message = saml.authn_request(
        request_id, svc.clock.now(), metadata.sso_redirect, acs, provider.pool_id
    )
    signed = f"SAMLRequest={quote(saml.deflated(message), safe='')}"
    signed += f"&RelayState={quote(relay_state, safe='')}"
    if provider.details.get("RequestSigningAlgorithm") == "rsa-sha256":
        signed += f"&SigAlg={quote(saml.RSA_SHA256, safe='')}"
        _, key = signing_certificate(svc, provider.pool_id)
        signed += f"&Signature={quote(signatures.redirect_signature(signed, key), safe='')}"
    url = metadata.sso_redirect
    return f"{url}{'&' if '?' in url else '?'}{signed}"


# ---- back from the IdP ------------------------------------------------------------------


def invalid(reason: str) -> FederationError:
    """A Response Recognito will not accept, in Cognito's words."""
    return FederationError(f"Invalid SAML response received: {reason}")


def finish(
    svc: Services,
    pool: Pool,
    client: Client,
    provider: IdentityProvider,
    response: Any,
    pending: FederationState | None,
    acs: str,
) -> User:
    """The user a posted Response (parsed by domain/saml.decoded_response) signs in;
    `pending` is the SP-initiated request it answers, None for an IdP-initiated one."""
    if provider.type != "SAML":
        raise FederationError(f"{provider.name} is not a SAML identity provider")
    if pending is None and not idp_initiated(provider):
        raise invalid("IdP-initiated sign-in is not enabled for this identity provider.")
    metadata = _metadata(provider)
    request_id = pending.request.get("request_id") if pending is not None else None
    if pending is not None and not request_id:  # a state no AuthnRequest was sent for
        raise invalid("InResponseTo does not match the request")
    now = svc.clock.now()
    try:
        signed_response, signed_assertion = signatures.verified(
            response, list(metadata.signing_certificates)
        )
        assertion = saml.checked_assertion(
            signed_response,
            signed_assertion,
            issuer=metadata.entity_id,
            audience=saml.sp_entity_id(pool.id),
            acs=acs,
            request_id=request_id,
            now=now,
        )
    except signatures.BadSignature as exc:
        raise invalid(str(exc)) from None
    except saml.SamlError as exc:
        raise invalid(exc.reason) from None
    key = digest(svc.secret_key, f"saml\n{assertion.issuer}\n{assertion.assertion_id}")
    with svc.store.write() as tx:
        fresh = tx.saml_assertions.use(key, pool.id, assertion.expires_at)
    if not fresh:
        raise invalid("the assertion was used already")
    claims: dict[str, Any] = {
        name: values[0] if len(values) == 1 else values
        for name, values in assertion.attributes.items()
        if values
    }
    profile = Profile(
        subject=assertion.name_id,
        claims=claims,
        trigger_attributes={"samlResponse": claims},
        issuer=metadata.entity_id,
        link_names=tuple(
            (name, str(value)) for name, value in claims.items() if isinstance(value, str)
        ),
    )
    try:
        return materialise(svc, pool, client, provider, profile)
    except errors.CognitoError as exc:
        raise FederationError(exc.message) from None


def sp_metadata(svc: Services, pool_id: str, acs: str) -> str:
    certificate, _ = signing_certificate(svc, pool_id)
    return saml.sp_metadata(pool_id, acs, certificate)
