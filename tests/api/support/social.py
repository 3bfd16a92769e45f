"""A stand-in for the social identity providers on 127.0.0.1, one HTTP server with a
prefix per provider, each answering on its public endpoints' paths (what
`--social-idp-endpoints TYPE=BASE_URL` points a type at):

    /google    an OIDC provider with Recognito's paths: /oauth2/authorize, /oauth2/token,
               /oauth2/userInfo, /.well-known/jwks.json (RS256 ID tokens, PKCE checked)
    /facebook  Graph: /<v>/dialog/oauth, GET /<v>/oauth/access_token, /<v>/me?fields=
               (only the fields asked for, `id` among them)
    /amazon    Login with Amazon: /ap/oa, POST /auth/o2/token, /user/profile
    /apple     Sign in with Apple: /auth/authorize (form_post: an HTML form posting code,
               state and `user` back), POST /auth/token (the client secret is a JWT it
               verifies with the team's public key), /auth/keys, discovery

The authorize endpoints sign in whoever the test put in `users[provider]` (None: the
user refuses, error=access_denied). Every request is recorded in `requests`.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from .hosted import Pkce
from .names import free_port

FACEBOOK_VERSION = "v19.0"
Answer = tuple[int, dict[str, str], bytes]  # status, headers, body


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]


@dataclass
class Registration:
    """The app registered at a provider: the secret it expects (Apple: the key pair)."""

    client_id: str
    client_secret: str = ""
    team_id: str = ""
    key_id: str = ""
    apple_key: ec.EllipticCurvePrivateKey | None = None

    @property
    def private_pem(self) -> str:
        assert self.apple_key is not None
        return self.apple_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()


@dataclass
class Pending:
    provider: str
    client_id: str
    redirect_uri: str
    user: dict[str, Any]
    nonce: str | None
    challenge: str | None


@dataclass
class FakeSocial:
    port: int = field(default_factory=free_port)
    users: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    registrations: dict[str, Registration] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    # the `user` field Apple posts back (it does on a first authorization only)
    apple_user: dict[str, Any] | None = None
    codes: dict[str, Pending] = field(default_factory=dict)
    tokens: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    signing_key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def base(self, provider: str) -> str:
        return f"http://127.0.0.1:{self.port}/{provider}"

    @property
    def endpoints_flag(self) -> str:
        """--social-idp-endpoints for the types stood in for here (Google's tests use a
        second Recognito; /google serves the OIDC provider of the email-routing test)."""
        names = {
            "Facebook": "facebook",
            "LoginWithAmazon": "amazon",
            "SignInWithApple": "apple",
        }
        return ",".join(f"{kind}={self.base(prefix)}" for kind, prefix in names.items())

    def register(self, provider: str, *, apple: bool = False) -> Registration:
        registration = Registration(client_id=f"{provider}-{secrets.token_hex(4)}")
        if apple:
            registration.team_id = "TEAM123456"
            registration.key_id = "KEY1234567"
            registration.apple_key = ec.generate_private_key(ec.SECP256R1())
        else:
            registration.client_secret = secrets.token_urlsafe(16)
        self.registrations[provider] = registration
        return registration

    def seen(self, path_part: str) -> list[Seen]:
        return [r for r in self.requests if path_part in r.path]

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ---- the HTTP side ------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        form = {k: v[0] for k, v in parse_qs(body).items()} if method == "POST" else {}
        headers = {k.lower(): v for k, v in handler.headers.items()}
        self.requests.append(Seen(method, parts.path, query, form, headers))
        provider, _, rest = parts.path.lstrip("/").partition("/")
        status, answer_headers, content = self._route(provider, "/" + rest, query, form, headers)
        handler.send_response(status)
        for name, value in answer_headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(content)))
        handler.end_headers()
        handler.wfile.write(content)

    def _route(
        self,
        provider: str,
        path: str,
        query: dict[str, str],
        form: dict[str, str],
        headers: dict[str, str],
    ) -> Answer:
        v = FACEBOOK_VERSION
        routes: dict[tuple[str, str], Callable[[], Answer]] = {
            ("google", "/oauth2/authorize"): lambda: self._authorize(provider, query),
            ("google", "/oauth2/token"): lambda: self._token(provider, form),
            ("google", "/oauth2/userInfo"): lambda: self._profile(provider, headers, None),
            ("google", "/.well-known/jwks.json"): self._jwks,
            ("facebook", f"/{v}/dialog/oauth"): lambda: self._authorize(provider, query),
            ("facebook", f"/{v}/oauth/access_token"): lambda: self._token(provider, query),
            ("facebook", f"/{v}/me"): lambda: self._profile(
                provider, headers, query.get("fields", "").split(",")
            ),
            ("amazon", "/ap/oa"): lambda: self._authorize(provider, query),
            ("amazon", "/auth/o2/token"): lambda: self._token(provider, form),
            ("amazon", "/user/profile"): lambda: self._profile(provider, headers, None),
            ("apple", "/auth/authorize"): lambda: self._authorize(provider, query),
            ("apple", "/auth/token"): lambda: self._token(provider, form),
            ("apple", "/auth/keys"): self._jwks,
            ("apple", "/.well-known/openid-configuration"): lambda: self._discovery(provider),
        }
        route = routes.get((provider, path))
        if route is None:
            return _json(404, {"error": "not_found"})
        return route()

    def _authorize(self, provider: str, query: dict[str, str]) -> Answer:
        registration = self.registrations.get(provider)
        if registration is None or query.get("client_id") != registration.client_id:
            return _json(400, {"error": "invalid_client"})
        redirect_uri, state = query["redirect_uri"], query.get("state", "")
        user = self.users.get(provider)
        if user is None:
            fields = {"error": "access_denied", "state": state}
        else:
            code = secrets.token_urlsafe(16)
            self.codes[code] = Pending(
                provider,
                registration.client_id,
                redirect_uri,
                user,
                query.get("nonce"),
                query.get("code_challenge"),
            )
            fields = {"code": code, "state": state}
            if provider == "apple" and self.apple_user is not None:
                fields["user"] = json.dumps(self.apple_user)
        if query.get("response_mode") == "form_post":
            inputs = "".join(
                f'<input type="hidden" name="{k}" value="{html.escape(v)}">'
                for k, v in fields.items()
            )
            # as Apple's page: a form its script submits at once (a browser runs it)
            page = (
                f'<form method="post" action="{html.escape(redirect_uri)}">{inputs}</form>'
                "<script>document.forms[0].submit()</script>"
            )
            return 200, {"Content-Type": "text/html"}, page.encode()
        location = f"{redirect_uri}?{urlencode(fields)}"
        return 302, {"Location": location}, b""

    def _token(self, provider: str, params: dict[str, str]) -> Answer:
        registration = self.registrations.get(provider)
        if registration is None or params.get("client_id") != registration.client_id:
            return _json(400, {"error": "invalid_client"})
        if not self._secret_ok(provider, registration, params.get("client_secret", "")):
            if provider == "facebook":
                error = {"message": "Error validating client secret.", "type": "OAuthException"}
                return _json(400, {"error": error})
            return _json(400, {"error": "invalid_client"})
        pending = self.codes.pop(params.get("code", ""), None)
        if pending is None or pending.redirect_uri != params.get("redirect_uri"):
            return _json(400, {"error": "invalid_grant"})
        if pending.challenge is not None:
            verifier = params.get("code_verifier", "")
            if Pkce(verifier).challenge != pending.challenge:
                return _json(400, {"error": "invalid_grant"})
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = (provider, pending.user)
        answer: dict[str, Any] = {
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": 3600,
        }
        if provider in ("google", "apple"):
            answer["id_token"] = self._id_token(provider, pending)
        return _json(200, answer)

    def _secret_ok(self, provider: str, registration: Registration, secret: str) -> bool:
        if provider != "apple":
            return secret == registration.client_secret
        assert registration.apple_key is not None
        try:
            header = jwt.get_unverified_header(secret)
            claims = jwt.decode(
                secret,
                registration.apple_key.public_key(),
                algorithms=["ES256"],
                audience=self.base("apple"),
                issuer=registration.team_id,
                options={"require": ["iat", "exp", "sub"]},
            )
        except jwt.PyJWTError:
            return False
        return header.get("kid") == registration.key_id and claims["sub"] == registration.client_id

    def _id_token(self, provider: str, pending: Pending) -> str:
        now = int(time.time())
        claims = {
            **{k: v for k, v in pending.user.items() if k != "id"},
            "iss": self.base(provider),
            "aud": pending.client_id,
            "iat": now,
            "exp": now + 600,
        }
        if pending.nonce is not None:
            claims["nonce"] = pending.nonce
        return jwt.encode(claims, self.signing_key, "RS256", headers={"kid": "fake-1"})

    def _profile(self, provider: str, headers: dict[str, str], fields: list[str] | None) -> Answer:
        token = headers.get("authorization", "").removeprefix("Bearer ")
        found = self.tokens.get(token)
        if found is None or found[0] != provider:
            return _json(401, {"error": "invalid_token"})
        user = found[1]
        if fields is not None:  # Graph answers with what was asked for
            user = {k: v for k, v in user.items() if k in fields}
        return _json(200, user)

    def _jwks(self) -> Answer:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.signing_key.public_key()))
        jwk.update(kid="fake-1", use="sig", alg="RS256")
        return _json(200, {"keys": [jwk]})

    def _discovery(self, provider: str) -> Answer:
        base = self.base(provider)
        return _json(
            200,
            {
                "issuer": base,
                "authorization_endpoint": f"{base}/auth/authorize",
                "token_endpoint": f"{base}/auth/token",
                "jwks_uri": f"{base}/auth/keys",
            },
        )


def _json(status: int, body: Any) -> Answer:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()
