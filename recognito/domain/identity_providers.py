"""Identity providers: what a pool's IdP may be configured with, and what Describe shows.

The model checks names, types and identifier patterns; the rules here are Cognito's
beyond the model: social providers are named after their type, each type needs its
details, endpoints are https (http only on the loopback), identifiers are unique in the
pool. The endpoints Cognito derives for social providers are added on describe, from
their public hosts, or from a base URL the instance points a type at
(`--social-idp-endpoints TYPE=URL`, so tests and local setups can stand in a provider).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from recognito import errors
from recognito.domain import saml
from recognito.domain.records import IdentityProvider

MAX_PER_POOL = 300  # Cognito's default quota (adjustable there; fixed here)
SOCIAL = ("Google", "Facebook", "LoginWithAmazon", "SignInWithApple")
OIDC_ENDPOINTS = ("authorize_url", "token_url", "attributes_url", "jwks_uri")
URL_DETAILS = ("oidc_issuer", *OIDC_ENDPOINTS)
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
FACEBOOK_API_VERSION = "v17.0"  # when api_version is not given
# the claim that names the user at each type: `username` is mapped to it
SUBJECT_CLAIM = {
    "OIDC": "sub",
    "Google": "sub",
    "SignInWithApple": "sub",
    "Facebook": "id",
    "LoginWithAmazon": "user_id",
}
# the metadata document fetched from a SAML provider's MetadataURL (kept, never shown)
FETCHED_METADATA = "__FetchedMetadata"
# the details Describe never shows (Apple's private_key)
HIDDEN = {"SignInWithApple": ("private_key",), "SAML": (FETCHED_METADATA,)}
SAML_FLAGS = ("IDPInit", "IDPSignout", "EncryptedResponses")


@dataclass(frozen=True)
class Shape:
    """How a sign-in through a provider type goes (reference §12.2; docs/behaviour.md
    "Federation: social providers")."""

    id_token: bool  # the token response carries an ID token, checked, that names the user
    pkce: bool  # PKCE S256 toward the provider
    login_hint: bool  # the app's login_hint forwarded
    user_info: bool  # attributes_url read with the provider's access token


SHAPES = {
    "OIDC": Shape(id_token=True, pkce=True, login_hint=True, user_info=True),
    # userInfo only at an OIDC userinfo endpoint (a local issuer); the People API's
    # answer is not claims, and Google's ID token carries the profile's
    "Google": Shape(id_token=True, pkce=True, login_hint=True, user_info=True),
    # no userinfo at Apple: the ID token, and the `user` field of its form_post
    "SignInWithApple": Shape(id_token=True, pkce=False, login_hint=False, user_info=False),
    # OAuth 2.0 only: the user is whoever the attributes endpoint says the token is for
    "Facebook": Shape(id_token=False, pkce=False, login_hint=False, user_info=True),
    "LoginWithAmazon": Shape(id_token=False, pkce=False, login_hint=False, user_info=True),
}
APPLE_FORM_POST_SCOPES = frozenset({"name", "email"})  # Apple then answers by form_post


def shape_of(provider_type: str) -> Shape:
    """The type's Shape; SAML (signed in by signin/saml.py, never here) is taken as OIDC, so
    a wrong turn fails with the usual configuration error rather than a server error."""
    return SHAPES.get(provider_type, SHAPES["OIDC"])


def scopes_of(details: Mapping[str, str]) -> list[str]:
    """authorize_scopes, split on spaces or commas (Facebook's are given with commas)."""
    return details.get("authorize_scopes", "").replace(",", " ").split()


def attribute_fields(mapping: Mapping[str, str]) -> list[str]:
    """What an `attributes_url_add_attributes` endpoint (Facebook's `me?fields=`) is
    asked for: the user's id and every provider attribute AttributeMapping names."""
    fields = ["id"]
    for claim in mapping.values():
        if claim not in fields:
            fields.append(claim)
    return fields


def check_name(name: str, provider_type: str) -> None:
    """A social provider is named after its type; nothing else may take those names."""
    if provider_type in SOCIAL and name != provider_type:
        raise errors.InvalidParameterException(
            f"Provider {name} cannot be of type {provider_type}."
        )
    if provider_type not in SOCIAL and name in SOCIAL:
        raise errors.InvalidParameterException(
            f"Provider {name} cannot be of type {provider_type}."
        )
    if name.lower() == "cognito":  # the DestinationUser's provider when linking
        raise errors.InvalidParameterException(f"Provider name {name} is reserved.")


def check_details(provider_type: str, details: Mapping[str, str]) -> None:
    """InvalidParameterException unless `details` hold what `provider_type` needs."""
    if provider_type == "OIDC":
        _check_oidc(details)
    elif provider_type == "SAML":
        _check_saml(details)
    elif provider_type == "SignInWithApple":
        needed = ("client_id", "team_id", "key_id", "private_key", "authorize_scopes")
        if not all(details.get(k) for k in needed):
            raise errors.InvalidParameterException(
                "client_id, team_id, key_id, private_key and authorize_scopes are all "
                "required idp details"
            )
    else:
        if not all(details.get(k) for k in ("client_id", "client_secret", "authorize_scopes")):
            raise errors.InvalidParameterException(
                "client_id, client_secret and authorize_scopes are all required idp details"
            )


def _check_saml(details: Mapping[str, str]) -> None:
    if not details.get("MetadataURL") and not details.get("MetadataFile"):
        raise errors.InvalidParameterException(
            "At least one of the MetadataURL or MetadataFile should be provided."
        )
    if details.get("MetadataURL"):
        check_url("MetadataURL", details["MetadataURL"])
    for flag in SAML_FLAGS:
        if details.get(flag, "false").lower() not in ("true", "false"):
            raise errors.InvalidParameterException(f"{flag} must be true or false")
    if details.get("EncryptedResponses", "false").lower() == "true":
        # Recognito does not decrypt assertions (docs/behaviour.md, SAML sign-in)
        raise errors.InvalidParameterException("EncryptedResponses is not supported.")
    algorithm = details.get("RequestSigningAlgorithm")
    if algorithm is not None and algorithm != "rsa-sha256":
        raise errors.InvalidParameterException("RequestSigningAlgorithm must be rsa-sha256")


def saml_document(details: Mapping[str, str]) -> str | None:
    """A SAML provider's metadata: the file given, else the one fetched from its URL."""
    return details.get("MetadataFile") or details.get(FETCHED_METADATA)


def _check_oidc(details: Mapping[str, str]) -> None:
    if not all(details.get(k) for k in ("client_id", "client_secret", "authorize_scopes")):
        # Cognito redeems codes with client_secret_post only: an IdP without a secret
        # could never complete a sign-in
        raise errors.InvalidParameterException(
            "client_id, client_secret and authorize_scopes are all required idp details"
        )
    if "openid" not in details["authorize_scopes"].replace(",", " ").split():
        raise errors.InvalidParameterException("authorize_scopes must contain openid")
    method = details.get("attributes_request_method", "GET")
    if method not in ("GET", "POST"):
        raise errors.InvalidParameterException("attributes_request_method must be GET or POST")
    if not details.get("oidc_issuer") and not all(details.get(k) for k in OIDC_ENDPOINTS):
        raise errors.InvalidParameterException(
            "oidc_issuer or all of authorize_url, token_url, attributes_url and jwks_uri "
            "are required idp details"
        )
    for key in URL_DETAILS:
        if details.get(key):
            check_url(key, details[key])
    if details.get("oidc_issuer", "").endswith("/"):
        raise errors.InvalidParameterException("oidc_issuer must not end with /")


def check_url(key: str, url: str) -> None:
    """https, or http on the loopback (a local issuer); a host and no fragment."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or not host or parts.fragment:
        raise errors.InvalidParameterException(f"{key} is not a valid URL: {url}")
    if parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK):
        return
    raise errors.InvalidParameterException(
        f"{key} must use https (http is allowed only on localhost): {url}"
    )


def check_identifiers(
    identifiers: Iterable[str], name: str, others: Iterable[IdentityProvider]
) -> None:
    """Each identifier names one provider in the pool, once."""
    given = list(identifiers)
    if len(set(given)) != len(given):
        raise errors.InvalidParameterException("Duplicate identifiers in IdpIdentifiers.")
    for other in others:
        if other.name == name:
            continue
        for identifier in given:
            if identifier in other.identifiers:
                raise errors.InvalidParameterException(
                    f"Identifier {identifier} is already used by provider {other.name}."
                )


def check_room(count: int) -> None:
    if count >= MAX_PER_POOL:
        raise errors.LimitExceededException(
            f"A user pool can have at most {MAX_PER_POOL} identity providers."
        )


def stored_mapping(provider_type: str, mapping: Mapping[str, str]) -> dict[str, str]:
    """The AttributeMapping kept: `username` maps to the type's subject claim unless given."""
    kept = dict(mapping)
    claim = SUBJECT_CLAIM.get(provider_type)
    if claim is not None:
        kept.setdefault("username", claim)
    return kept


def described_details(
    provider: IdentityProvider, social_bases: Mapping[str, str] | None = None
) -> dict[str, str]:
    """ProviderDetails as Describe shows them: as given, plus the keys Cognito derives."""
    shown = {k: v for k, v in provider.details.items() if k not in HIDDEN.get(provider.type, ())}
    if provider.type == "OIDC":
        shown.setdefault("attributes_url_add_attributes", "false")
    elif provider.type == "SAML":
        document = saml_document(provider.details)
        if document:
            metadata = saml.idp_metadata(document)
            shown["SSORedirectBindingURI"] = metadata.sso_redirect
            if metadata.slo_redirect:
                shown["SLORedirectBindingURI"] = metadata.slo_redirect
    elif provider.type in SOCIAL:
        base = (social_bases or {}).get(provider.type)
        if base and provider.type == "Google":
            derived = _local_issuer(base)
        else:
            derived = _social(provider.type, provider.details, base.rstrip("/") if base else None)
        shown.update(derived)
    return shown


def _local_issuer(base: str) -> dict[str, str]:
    """Google pointed at a local OIDC issuer (a Recognito pool, say): `base` is its
    issuer, and its endpoints come from `<base>/.well-known/openid-configuration`."""
    return {
        "oidc_issuer": base.rstrip("/"),
        "attributes_url_add_attributes": "false",
        "token_request_method": "POST",
    }


def _social(provider_type: str, details: Mapping[str, str], base: str | None) -> dict[str, str]:
    """The endpoints Cognito derives for a social type: on its public hosts, or, with
    `base`, on the same paths under `base` (a stand-in for the provider, for tests)."""

    def at(host: str) -> str:
        return base or f"https://{host}"

    if provider_type == "Google":
        return {
            "attributes_url": "https://people.googleapis.com/v1/people/me?personFields=",
            "attributes_url_add_attributes": "true",
            "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
            "oidc_issuer": "https://accounts.google.com",
            "token_request_method": "POST",
            "token_url": "https://www.googleapis.com/oauth2/v4/token",
        }
    if provider_type == "Facebook":
        v = details.get("api_version") or FACEBOOK_API_VERSION
        return {
            "attributes_url": f"{at('graph.facebook.com')}/{v}/me?fields=",
            "attributes_url_add_attributes": "true",
            "authorize_url": f"{at('www.facebook.com')}/{v}/dialog/oauth",
            "token_request_method": "GET",
            "token_url": f"{at('graph.facebook.com')}/{v}/oauth/access_token",
        }
    if provider_type == "LoginWithAmazon":
        return {
            "attributes_url": f"{at('api.amazon.com')}/user/profile",
            "attributes_url_add_attributes": "false",
            "authorize_url": f"{at('www.amazon.com')}/ap/oa",
            "token_request_method": "POST",
            "token_url": f"{at('api.amazon.com')}/auth/o2/token",
        }
    return {  # SignInWithApple: its keys come from the issuer's discovery document
        "attributes_url_add_attributes": "false",
        "authorize_url": f"{at('appleid.apple.com')}/auth/authorize",
        "oidc_issuer": at("appleid.apple.com"),
        "token_request_method": "POST",
        "token_url": f"{at('appleid.apple.com')}/auth/token",
    }


def derived_keys(provider: IdentityProvider) -> set[str]:
    """The keys Describe adds to this provider's details that it was not given."""
    return set(described_details(provider)) - set(provider.details)


def not_found(name: str) -> errors.ResourceNotFoundException:
    return errors.ResourceNotFoundException(f"Identity provider {name} does not exist.")


def identifier_not_found(identifier: str) -> errors.ResourceNotFoundException:
    return errors.ResourceNotFoundException(
        f"Identity provider with identifier {identifier} does not exist."
    )


def already_exists(name: str) -> errors.DuplicateProviderException:
    return errors.DuplicateProviderException(f"A provider with the name {name} already exists.")


def routable(
    providers: Iterable[IdentityProvider], supported: Iterable[str]
) -> list[IdentityProvider]:
    """The client's SAML and OIDC providers that have IdpIdentifiers: when there is one,
    the sign-in page asks for an email and sends it to the provider its domain names."""
    names = set(supported)
    return [
        p for p in providers if p.type in ("SAML", "OIDC") and p.identifiers and p.name in names
    ]


def by_email_domain(email: str, providers: Iterable[IdentityProvider]) -> IdentityProvider | None:
    """The provider one of whose IdpIdentifiers is the email's domain (domains compare
    case-insensitively); a bare domain is taken as one."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    if not domain:
        return None
    for provider in providers:
        if any(identifier.lower() == domain for identifier in provider.identifiers):
            return provider
    return None
