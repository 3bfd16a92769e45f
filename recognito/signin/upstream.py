"""Talking to an external identity provider (reference §12.2): discovery, the code
redemption (client_secret_post, or a GET for Facebook's token_request_method), the ID
token's validation (OIDC, Google, Apple), and the attributes endpoint (userInfo, Facebook's
`me?fields=`, Amazon's profile) — each type as its `Shape` (domain/identity_providers.py)
says.

Every call has the --federation-timeout and `User-Agent: Amazon/Cognito` (what Cognito
sends; IdPs that allow-list it keep working). Upstream URLs must be https, except on
loopback (a second Recognito on this machine as the IdP). Each failure is an
`UpstreamError` whose text is the `error_description` Cognito delivers to the app (§12.6).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt

from recognito.domain.identity_providers import attribute_fields, shape_of
from recognito.signin import social

USER_AGENT = "Amazon/Cognito"
_ENDPOINTS = ("authorize_url", "token_url", "attributes_url", "jwks_uri")
# the discovery document's name of each endpoint
_DISCOVERED = {
    "authorize_url": "authorization_endpoint",
    "token_url": "token_endpoint",
    "attributes_url": "userinfo_endpoint",
    "jwks_uri": "jwks_uri",
}
_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512"]


class UpstreamError(Exception):
    """A federated sign-in failed at the IdP: `description` goes to the app."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


@dataclass(frozen=True)
class Endpoints:
    issuer: str
    authorize_url: str
    token_url: str
    attributes_url: str | None
    jwks_uri: str | None


@dataclass(frozen=True)
class Answer:
    """What the IdP said about the user: its token response, the ID token's claims and
    userInfo's (empty when there is no attributes_url)."""

    token_response: dict[str, Any]
    id_token: dict[str, Any]
    user_info: dict[str, Any]

    @property
    def claims(self) -> dict[str, Any]:
        """userInfo over the ID token: the richer source wins, as on Cognito."""
        return {**self.id_token, **self.user_info}


def allowed_url(url: str) -> bool:
    """https anywhere, http only to this machine."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


class Upstream:
    def __init__(
        self,
        name: str,
        details: Mapping[str, str],
        timeout: float,
        provider_type: str = "OIDC",
        now: float = 0.0,
    ) -> None:
        self._name = name
        self._details = details
        self._timeout = timeout
        self._type = provider_type
        self._shape = shape_of(provider_type)
        self._now = now  # Apple's client secret is dated by it

    @property
    def needed(self) -> tuple[str, ...]:
        """The endpoints a sign-in cannot go without."""
        if self._shape.id_token:
            return ("authorize_url", "token_url", "jwks_uri")
        return ("authorize_url", "token_url", "attributes_url")

    def _client(self) -> httpx.Client:
        return httpx.Client(
            timeout=self._timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=False
        )

    def endpoints(self) -> Endpoints:
        """The IdP's endpoints: those configured, the others from its discovery document."""
        details = self._details
        found = {k: details[k] for k in _ENDPOINTS if details.get(k)}
        issuer = details.get("oidc_issuer", "").rstrip("/")
        if any(k not in found for k in self.needed) and issuer:
            document = self._discover(issuer)
            for key, name in _DISCOVERED.items():
                if key not in found and isinstance(document.get(name), str):
                    found[key] = document[name]
        missing = [k for k in self.needed if k not in found]
        if missing or not all(allowed_url(url) for url in found.values()):
            raise UpstreamError(f"{self._name} Error - invalid identity provider configuration")
        return Endpoints(
            issuer,
            found["authorize_url"],
            found["token_url"],
            found.get("attributes_url"),
            found.get("jwks_uri"),
        )

    def _discover(self, issuer: str) -> dict[str, Any]:
        url = f"{issuer}/.well-known/openid-configuration"
        if not allowed_url(url):
            raise UpstreamError(f"{self._name} Error - invalid identity provider configuration")
        try:
            with self._client() as client:
                answer = client.get(url)
        except httpx.TimeoutException:
            raise UpstreamError("Timeout occurred in calling IdP discovery endpoint") from None
        except httpx.HTTPError:
            raise UpstreamError("Connection reset") from None
        document = _json_object(answer) if answer.status_code == 200 else None
        if document is None:
            raise UpstreamError(
                f"{self._name} Error - {answer.status_code} error getting discovery document"
            )
        return document

    def redeem(
        self, endpoints: Endpoints, code: str, redirect_uri: str, verifier: str | None
    ) -> dict[str, Any]:
        """The IdP's token response for `code`, client_secret_post as Cognito does (in the
        query for token_request_method GET); Apple's secret is a JWT signed now."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": self._details.get("client_id", ""),
            "client_secret": self._client_secret(endpoints),
        }
        if verifier:
            form["code_verifier"] = verifier
        try:
            with self._client() as client:
                if self._details.get("token_request_method", "POST").upper() == "GET":
                    answer = client.get(endpoints.token_url, params=form)
                else:
                    answer = client.post(endpoints.token_url, data=form)
        except httpx.TimeoutException:
            raise UpstreamError("Timeout occurred in calling IdP token endpoint") from None
        except httpx.HTTPError:
            raise UpstreamError("Connection reset") from None
        body = _json_object(answer)
        if answer.status_code != 200 or body is None:
            raise UpstreamError(f"{self._name} Error - {answer.status_code} error getting token")
        if self._shape.id_token and not isinstance(body.get("id_token"), str):
            raise UpstreamError(f"{self._name} Error - no id_token in the token response")
        if not self._shape.id_token and not isinstance(body.get("access_token"), str):
            raise UpstreamError(f"{self._name} Error - no access_token in the token response")
        return body

    def _client_secret(self, endpoints: Endpoints) -> str:
        if self._type != "SignInWithApple":
            return self._details.get("client_secret", "")
        try:
            return social.apple_client_secret(self._details, endpoints.issuer, self._now)
        except ValueError:
            raise UpstreamError(f"{self._name} Error - invalid private_key") from None

    def verify(self, endpoints: Endpoints, id_token: str, nonce: str) -> dict[str, Any]:
        """The ID token's claims, once its signature (a key of jwks_uri, fetched now, or
        the client secret for HMAC), issuer, audience, expiry and nonce are right."""
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError:
            raise UpstreamError(f"{self._name} Error - invalid id_token") from None
        algorithm = str(header.get("alg", ""))
        if algorithm not in _ALGORITHMS:
            raise UpstreamError(f"{self._name} Error - invalid id_token")
        key: Any
        if algorithm.startswith("HS"):
            key = self._details.get("client_secret", "").encode()
            if not key:  # Apple has no shared secret: an HMAC token would be keyed by ""
                raise UpstreamError(f"{self._name} Error - invalid id_token")
        else:
            key = self._signing_key(endpoints, header.get("kid"))
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key,
                algorithms=[algorithm],
                audience=self._details.get("client_id", ""),
                issuer=endpoints.issuer or None,
                options={"require": ["exp", "iat", "sub"], "verify_iss": bool(endpoints.issuer)},
                leeway=60,
            )
        except jwt.PyJWTError as exc:
            raise UpstreamError(f"{self._name} Error - invalid id_token: {exc}") from None
        if claims.get("nonce") != nonce:
            raise UpstreamError(f"{self._name} Error - invalid id_token: nonce mismatch")
        return claims

    def _signing_key(self, endpoints: Endpoints, kid: object) -> Any:
        if endpoints.jwks_uri is None:
            raise UpstreamError(f"{self._name} Error - invalid identity provider configuration")
        try:
            with self._client() as client:
                answer = client.get(endpoints.jwks_uri)
        except httpx.TimeoutException:
            raise UpstreamError("Timeout in calling jwks uri") from None
        except httpx.HTTPError:
            raise UpstreamError("Connection reset") from None
        document = _json_object(answer) if answer.status_code == 200 else None
        try:
            keys = jwt.PyJWKSet.from_dict(document or {}).keys
        except jwt.PyJWTError:
            keys = []
        for candidate in keys:
            if kid is None or candidate.key_id == kid:
                return candidate.key
        raise UpstreamError(f"{self._name} Error - invalid id_token: unknown signing key")

    def user_info(
        self, endpoints: Endpoints, access_token: str | None, mapping: Mapping[str, str]
    ) -> dict[str, Any]:
        """userInfo with the IdP's access token, by attributes_request_method; {} when
        the IdP has no attributes_url, its type reads none, or it gave no access token.
        An `attributes_url_add_attributes` endpoint gets the mapped attributes' names
        appended (Facebook's `me?fields=id,email,...`)."""
        url = endpoints.attributes_url
        if not url or not access_token or not self._reads_user_info():
            return {}
        if self._type == "Facebook" and self._add_attributes():
            url += ",".join(attribute_fields(mapping))
        headers = {"Authorization": f"Bearer {access_token}"}
        method = self._details.get("attributes_request_method", "GET").upper()
        try:
            with self._client() as client:
                answer = client.request("POST" if method == "POST" else "GET", url, headers=headers)
        except httpx.TimeoutException:
            raise UpstreamError("Timeout occurred in calling IdP userInfo endpoint") from None
        except httpx.HTTPError:
            raise UpstreamError("Connection reset") from None
        body = _json_object(answer)
        if answer.status_code != 200 or body is None:
            raise UpstreamError(
                f"{self._name} Error - {answer.status_code} error getting user attributes"
            )
        return body

    def _add_attributes(self) -> bool:
        return self._details.get("attributes_url_add_attributes", "false") == "true"

    def _reads_user_info(self) -> bool:
        if self._type == "Google":  # Google's People API answers no claims: the ID token's
            return not self._add_attributes()
        return self._shape.user_info


def _json_object(answer: httpx.Response) -> dict[str, Any] | None:
    try:
        body = json.loads(answer.content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
