"""Signing in through an external identity provider, OIDC or social (reference §12.2,
§12.3): the trip to the IdP and back, and the user it makes or finds.

    begin   /oauth2/authorize -> the IdP's authorize_url: a random `state` (kept only as
            its keyed digest with the original request, 5 minutes, single use), our own
            nonce, PKCE S256 toward the IdP, login_hint and prompt forwarded (as far as
            the type's Shape goes; Apple asked for name or email answers by form_post)
    finish  /oauth2/idpresponse: the state spent, the code redeemed, the ID token checked,
            userInfo read (signin/upstream.py; Facebook and Amazon have no ID token: the
            attributes endpoint names the user), then the user materialised:
              linked to a native user (AdminLinkProviderForUser) -> that user
              `<ProviderName>_<sub>` exists -> its mapped attributes re-written
              else created EXTERNAL_PROVIDER in the auto-group `<poolId>_<ProviderName>`
No transaction is open while the IdP or a trigger is called. Any failure is a
`FederationError`, whose text the app gets as `error_description` (§12.6).
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from recognito import errors
from recognito.crypto.secrets import digest, opaque_token
from recognito.domain import clients, identity_providers, pools
from recognito.domain.attributes import missing_required, required_error
from recognito.domain.identities import Identity, identities_json
from recognito.domain.records import (
    Client,
    FederationState,
    Group,
    IdentityProvider,
    Pool,
    Status,
    User,
)
from recognito.service import hooks
from recognito.service.context import Services
from recognito.signin.social import apple_user_claims
from recognito.signin.upstream import Answer, Upstream, UpstreamError
from recognito.triggers import Call

PENDING_SECONDS = 300  # the trip to the IdP and back must end within 5 minutes (§12.2)
MAX_VALUE = 2048  # a mapped value longer than this fails the sign-in (§12.3)
IDENTITIES = "identities"
_UNMAPPED = {"username", "sub", IDENTITIES}  # never taken from an IdP


class FederationError(Exception):
    """A federated sign-in failed: `description` is what the app is told."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def _upstream(svc: Services, provider: IdentityProvider) -> Upstream:
    """The IdP as Describe shows it (social types with their derived endpoints), with
    what Describe hides (Apple's private_key) put back."""
    details = identity_providers.described_details(provider, svc.settings.social_bases)
    for hidden in identity_providers.HIDDEN.get(provider.type, ()):  # Apple's private_key
        if hidden in provider.details:
            details[hidden] = provider.details[hidden]
    timeout = svc.settings.federation_timeout
    return Upstream(provider.name, details, timeout, provider.type, svc.clock.now())


def begin(
    svc: Services,
    provider: IdentityProvider,
    query: Mapping[str, str],
    callback: str,
) -> str:
    """The IdP's authorization URL for the authorization request `query`; `callback` is
    this domain's /oauth2/idpresponse."""
    try:
        endpoints = _upstream(svc, provider).endpoints()
    except UpstreamError as exc:
        raise FederationError(exc.description) from None
    nonce, verifier = opaque_token(32), opaque_token(32)
    request = {"query": dict(query), "callback": callback, "nonce": nonce, "verifier": verifier}
    state = remember(svc, provider, request)
    shape = identity_providers.shape_of(provider.type)
    params = {
        "client_id": provider.details.get("client_id", ""),
        "response_type": "code",
        "redirect_uri": callback,
        "scope": provider.details.get("authorize_scopes", "openid"),
        "state": state,
    }
    if shape.id_token:
        params["nonce"] = nonce
    if shape.pkce:
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        params["code_challenge"] = challenge.rstrip(b"=").decode()
        params["code_challenge_method"] = "S256"
    if provider.type == "SignInWithApple" and (
        identity_providers.APPLE_FORM_POST_SCOPES
        & set(identity_providers.scopes_of(provider.details))
    ):
        params["response_mode"] = "form_post"  # Apple requires it when name or email is asked
    if shape.login_hint and query.get("login_hint"):
        params["login_hint"] = query["login_hint"]
    prompt = [p for p in query.get("prompt", "").split() if p != "none"]
    if prompt:
        params["prompt"] = " ".join(prompt)
    url = endpoints.authorize_url
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def remember(svc: Services, provider: IdentityProvider, request: dict[str, Any]) -> str:
    """A new opaque state standing for `request` (the authorize query and what the trip
    upstream needs), kept 5 minutes for one use."""
    state = opaque_token(32)
    pending = FederationState(
        provider.pool_id, provider.name, request, svc.clock.now() + PENDING_SECONDS
    )
    with svc.store.write() as tx:
        tx.federation_states.insert(digest(svc.secret_key, state), pending)
    return state


def take(svc: Services, pool_id: str, state: str) -> FederationState | None:
    """The sign-in `state` belongs to, spent; None when unknown, expired or another pool's."""
    with svc.store.write() as tx:
        pending = tx.federation_states.take(digest(svc.secret_key, state), svc.clock.now())
    return pending if pending is not None and pending.pool_id == pool_id else None


def provider_of(svc: Services, pending: FederationState) -> IdentityProvider | None:
    with svc.store.read() as tx:
        return tx.identity_providers.get(pending.pool_id, pending.provider_name)


@dataclass(frozen=True)
class Federated:
    """Who signed in, and the nonce the app's ID token gets when the app sent none."""

    user: User
    nonce: str


def finish(
    svc: Services,
    pool: Pool,
    client: Client,
    provider: IdentityProvider,
    pending: FederationState,
    code: str,
    posted_user: str | None = None,
) -> Federated:
    """The IdP's `code` redeemed and the user it names signed in; `posted_user` is the
    `user` field Apple's form_post carries on a first authorization."""
    upstream = _upstream(svc, provider)
    shape = identity_providers.shape_of(provider.type)
    request = pending.request
    verifier = request["verifier"] if shape.pkce else None
    try:
        endpoints = upstream.endpoints()
        tokens = upstream.redeem(endpoints, code, request["callback"], verifier)
        id_token: dict[str, Any] = {}
        if shape.id_token:
            id_token = upstream.verify(endpoints, tokens["id_token"], request["nonce"])
        access_token = tokens.get("access_token")
        info = upstream.user_info(
            endpoints,
            access_token if isinstance(access_token, str) else None,
            provider.attribute_mapping,
        )
    except UpstreamError as exc:
        raise FederationError(exc.description) from None
    if "sub" in info and "sub" in id_token and str(info["sub"]) != str(id_token["sub"]):
        raise FederationError(f"{provider.name} Error - userInfo names another user")
    if provider.type == "SignInWithApple":
        info = apple_user_claims(posted_user)
    answer = Answer(tokens, id_token, info)
    try:
        user = materialise(svc, pool, client, provider, oidc_profile(provider, answer))
    except errors.CognitoError as exc:
        raise FederationError(exc.message) from None
    return Federated(user, request["nonce"])


# ---- the user --------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What any IdP said about the user, in the terms materialise needs."""

    subject: str  # the IdP's id of the user: `<Provider>_<subject>` is the username
    claims: dict[str, Any]  # what AttributeMapping maps from
    trigger_attributes: dict[str, Any]  # InboundFederation's request.attributes
    issuer: str | None = None  # the `identities` issuer (SAML: the IdP's entity id)
    # further identities a native user may be linked by: (attribute name, value)
    link_names: tuple[tuple[str, str], ...] = ()


def oidc_profile(provider: IdentityProvider, answer: Answer) -> Profile:
    # the claim `username` maps to (sub for OIDC, id for Facebook, user_id for Amazon):
    # the IdP's id of the user
    claim = provider.attribute_mapping.get(
        "username", identity_providers.SUBJECT_CLAIM.get(provider.type, "sub")
    )
    found = answer.claims.get(claim) or answer.id_token.get("sub")
    if found is None or isinstance(found, (dict, list)) or not str(found):
        raise FederationError(f"{provider.name} Error - no user id in the answer")
    subject = str(found)
    attributes = {
        "tokenResponse": _public_tokens(answer.token_response),
        "idToken": answer.id_token,
        "userInfo": answer.user_info,
    }
    return Profile(subject, answer.claims, attributes)


def materialise(
    svc: Services, pool: Pool, client: Client, provider: IdentityProvider, profile: Profile
) -> User:
    """The pool's user for what the IdP said (§12.3), with its triggers."""
    subject = profile.subject
    username = pools.username_key(pool.config, f"{provider.name}_{subject}")
    mapped = mapped_attributes(provider.attribute_mapping, profile.claims)
    mapped = _inbound_federation(svc, pool, client, provider, profile, username, mapped)
    with svc.store.read() as tx:
        linked_id = tx.provider_links.find(pool.id, provider.name, subject)
        for name, value in profile.link_names:
            if linked_id is None:
                linked_id = tx.provider_links.find_named(pool.id, provider.name, name, value)
        linked = tx.users.by_id(linked_id) if linked_id is not None else None
        existing = tx.users.by_username(pool.id, username) if linked is None else None
    if linked is not None:  # its identities come from the link (service/identities.py)
        return _returning(svc, pool, client, linked, mapped)
    if existing is not None:
        return _returning(svc, pool, client, existing, mapped)
    entry = Identity(subject, provider.name, provider.type, True, svc.clock.now(), profile.issuer)
    return _first(svc, pool, client, provider, username, mapped, entry)


def mapped_attributes(mapping: Mapping[str, str], claims: Mapping[str, Any]) -> dict[str, str]:
    """The pool attributes AttributeMapping takes from the IdP's claims; unmapped claims
    are dropped, and so are mapped ones the IdP did not send."""
    found: dict[str, str] = {}
    for attribute, claim in mapping.items():
        if attribute in _UNMAPPED or claims.get(claim) is None:
            continue
        value = _text(claims[claim])
        if len(value) > MAX_VALUE:
            raise FederationError(f"Invalid attribute value for {attribute}: too long")
        found[attribute] = value
    return found


def _text(value: Any) -> str:
    """A claim as an attribute value: booleans lower-case, lists as `[a,b]` with
    non-alphanumerics but `. - * _` URL-encoded (§12.3), objects as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ",".join(quote(_text(v), safe=".-*_") for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _inbound_federation(
    svc: Services,
    pool: Pool,
    client: Client,
    provider: IdentityProvider,
    profile: Profile,
    username: str,
    mapped: dict[str, str],
) -> dict[str, str]:
    """InboundFederation_ExternalProvider (triggers §7.10), before anything else runs: a
    non-empty userAttributesToMap replaces the mapped attributes."""
    if svc.triggers.arn(pool, "InboundFederation") is None:
        return mapped
    request = {
        "providerName": provider.name,
        "providerType": provider.type,
        "attributes": profile.trigger_attributes,
    }
    call = Call(
        "InboundFederation",
        "InboundFederation_ExternalProvider",
        username,
        client.id,
        svc.caller.user_agent,
        request,
        {"userAttributesToMap": {}},
    )
    response = svc.triggers.run(pool, call) or {}
    replaced = response.get("userAttributesToMap") or {}
    if not replaced:
        return mapped
    return {str(k): _text(v) for k, v in replaced.items() if k not in _UNMAPPED and v is not None}


def _public_tokens(tokens: Mapping[str, Any]) -> dict[str, Any]:
    # the function sees the token response as the IdP sent it (typings: string values)
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in tokens.items()}


def _writable(pool: Pool, client: Client, attributes: Mapping[str, str]) -> dict[str, str]:
    """What may be re-written: mutable attributes the client may write (others are
    skipped in silence, as Cognito does)."""
    allowed = clients.writable(client.config)
    schema = {e["Name"]: e for e in pool.config.get("SchemaAttributes", [])}
    return {
        k: v
        for k, v in attributes.items()
        if (allowed is None or k in allowed) and schema.get(k, {}).get("Mutable", True)
    }


def _returning(
    svc: Services,
    pool: Pool,
    client: Client,
    user: User,
    mapped: dict[str, str],
) -> User:
    """A later sign-in (or a linked native user's): Pre/PostAuthentication around the
    re-written attributes; `identities` stays as the first sign-in wrote it."""
    if not user.enabled:
        raise FederationError("User is disabled.")
    hooks.pre_authentication(svc, pool, user, client.id, None, hides_existence=False)
    changes = _writable(pool, client, mapped)
    with svc.store.write() as tx:
        tx.users.set_attributes(user.id, pool.id, changes)
        tx.users.update(user.id, modified_at=svc.clock.now())
        updated = tx.users.by_id(user.id)
    if updated is None:  # deleted in the meantime
        raise FederationError("User does not exist.")
    hooks.post_authentication(svc, pool, updated, None, True, client.id)
    return updated


def _first(
    svc: Services,
    pool: Pool,
    client: Client,
    provider: IdentityProvider,
    username: str,
    mapped: dict[str, str],
    entry: Identity,
) -> User:
    """The first sign-in: PreSignUp_ExternalProvider, the user and its auto-group in one
    write, then PostConfirmation_ConfirmSignUp."""
    attributes = dict(mapped)
    if attributes.get("email") and "email_verified" not in attributes:
        attributes["email_verified"] = "false"  # unverified unless mapped (§12.3)
    missing = missing_required(pool.config["SchemaAttributes"], attributes)
    if missing:
        raise FederationError(required_error(missing).message)
    hooks.pre_sign_up(
        svc, pool, "PreSignUp_ExternalProvider", username, attributes, client.id, None, None
    )
    attributes[IDENTITIES] = identities_json([entry])
    now = svc.clock.now()
    group_name = f"{pool.id}_{provider.name}"
    with svc.store.write() as tx:
        stored = tx.users.insert(
            User(
                id=0,
                pool_id=pool.id,
                username=username,
                sub=str(uuid.uuid4()),
                status=Status.EXTERNAL_PROVIDER,
                enabled=True,
                password_hash=None,
                srp_salt=None,
                srp_verifier=None,
                password_expires_at=None,
                created_at=now,
                modified_at=now,
                attributes=attributes,
            ),
            username,
        )
        if stored is None:  # the same user's concurrent first sign-in won
            raise FederationError("User already exists")
        description = f"Autogenerated group for users who sign in using {provider.name}"
        tx.groups.insert(Group(pool.id, group_name, description, None, None, now, now))
        tx.groups.add_member(stored, group_name)
    hooks.post_confirmation(svc, pool, "PostConfirmation_ConfirmSignUp", stored.id, client.id, None)
    return stored
