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
    logout    with IDPSignout, the sign-in's NameID and SessionIndex are kept beside its
              browser session (a federation_states row keyed by the session id, living
              as long as the session); /logout ends the session, then sends the browser
              to the IdP's SLO URL with a signed LogoutRequest (HTTP-Redirect), kept 5
              minutes by its ID; the IdP POSTs a signed LogoutResponse to /saml2/logout,
              which answers that ID once and sends the browser where /logout would have
"""

from __future__ import annotations

from dataclasses import dataclass, replace
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
from recognito.signin.federation import (
    PENDING_SECONDS,
    FederationError,
    Profile,
    materialise,
    remember,
)
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


def idp_signout(provider: IdentityProvider) -> bool:
    return provider.details.get("IDPSignout", "false").lower() == "true"


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
) -> SignedIn:
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
        user = materialise(svc, pool, client, provider, profile)
    except errors.CognitoError as exc:
        raise FederationError(exc.message) from None
    return SignedIn(user, provider, assertion)


@dataclass(frozen=True)
class SignedIn:
    """Who a Response signed in, and the assertion (its NameID and SessionIndex)."""

    user: User
    provider: IdentityProvider
    assertion: saml.Assertion


# ---- single logout ----------------------------------------------------------------------


def _session_key(svc: Services, session_id: str) -> str:
    return digest(svc.secret_key, f"saml-session\n{session_id}")


def _logout_key(svc: Services, request_id: str) -> str:
    return digest(svc.secret_key, f"saml-logout\n{request_id}")


def keep_session(svc: Services, signed: SignedIn, session_id: str, expires_at: float) -> None:
    """The sign-in's NameID and SessionIndex beside browser session `session_id`, for a
    later LogoutRequest: only when the provider signs out at the IdP."""
    if not idp_signout(signed.provider):
        return
    assertion = signed.assertion
    request = {
        "name_id": assertion.name_id,
        "name_id_format": assertion.name_id_format,
        "session_index": assertion.session_index,
    }
    kept = FederationState(signed.provider.pool_id, signed.provider.name, request, expires_at)
    with svc.store.write() as tx:
        tx.federation_states.insert(_session_key(svc, session_id), kept)


def begin_logout(svc: Services, pool_id: str, session_id: str, then: str) -> str | None:
    """For a browser session that /logout has just ended: the IdP's SLO URL with a
    signed LogoutRequest when the session came from a SAML IdP with IDPSignout (and an
    SLO URL); None when the local sign-out is all there is. `then` is where the browser
    goes once the IdP has answered."""
    with svc.store.write() as tx:
        kept = tx.federation_states.take(_session_key(svc, session_id), svc.clock.now())
    if kept is None or kept.pool_id != pool_id:
        return None
    with svc.store.read() as tx:
        provider = tx.identity_providers.get(pool_id, kept.provider_name)
    if provider is None or provider.type != "SAML" or not idp_signout(provider):
        return None
    try:
        metadata = _metadata(provider)
    except FederationError:
        return None
    if metadata.slo_redirect is None:
        return None
    now = svc.clock.now()
    request_id = "_" + opaque_token(24)
    message = saml.logout_request(
        request_id,
        now,
        metadata.slo_redirect,
        pool_id,
        str(kept.request["name_id"]),
        kept.request.get("name_id_format"),
        kept.request.get("session_index"),
    )
    pending = FederationState(
        pool_id, provider.name, {"request_id": request_id, "then": then}, now + PENDING_SECONDS
    )
    with svc.store.write() as tx:
        tx.federation_states.insert(_logout_key(svc, request_id), pending)
    # always signed, with the pool's signing certificate (Cognito's SLO requires it)
    signed = f"SAMLRequest={quote(saml.deflated(message), safe='')}"
    signed += f"&SigAlg={quote(saml.RSA_SHA256, safe='')}"
    _, key = signing_certificate(svc, pool_id)
    signed += f"&Signature={quote(signatures.redirect_signature(signed, key), safe='')}"
    url = metadata.slo_redirect
    return f"{url}{'&' if '?' in url else '?'}{signed}"


def finish_logout(svc: Services, pool_id: str, response: Any, destination: str) -> str:
    """Where the browser goes after a posted LogoutResponse (domain/saml.
    decoded_logout_response) answering a LogoutRequest of this pool: its signature by
    the IdP, InResponseTo, Destination, Issuer and Success checked; each request is
    answered once, and only a response that passes all that spends it. SamlError
    otherwise."""
    request_id = saml.in_response_to(response)
    if request_id is None:
        raise saml.SamlError("InResponseTo does not match the request")
    key = _logout_key(svc, request_id)
    with svc.store.read() as tx:
        pending = tx.federation_states.get(key, svc.clock.now())
    if pending is None or pending.pool_id != pool_id:
        raise saml.SamlError("InResponseTo does not match the request")
    with svc.store.read() as tx:
        provider = tx.identity_providers.get(pool_id, pending.provider_name)
    if provider is None or provider.type != "SAML":
        raise saml.SamlError("the identity provider no longer exists")
    try:
        metadata = _metadata(provider)
        signed = signatures.verified_logout_response(response, list(metadata.signing_certificates))
    except FederationError as exc:
        raise saml.SamlError(exc.description) from None
    except signatures.BadSignature as exc:
        raise saml.SamlError(str(exc)) from None
    saml.checked_logout_response(
        signed, issuer=metadata.entity_id, destination=destination, request_id=request_id
    )
    with svc.store.write() as tx:  # of two at once, one goes on
        spent = tx.federation_states.take(key, svc.clock.now())
    if spent is None:
        raise saml.SamlError("InResponseTo does not match the request")
    return str(pending.request["then"])


def sp_metadata(svc: Services, pool_id: str, base_url: str) -> str:
    """The pool's SP metadata under its domain's `base_url`."""
    certificate, _ = signing_certificate(svc, pool_id)
    return saml.sp_metadata(
        pool_id, f"{base_url}{saml.ACS_PATH}", f"{base_url}{saml.LOGOUT_PATH}", certificate
    )
