"""The hosted pages of a pool's domain (reference §5): sign-in, sign-up and its
confirmation, password reset, the challenge pages (new password, MFA codes, MFA set-up)
and the error page. Plain HTML forms, no script.

Every page that belongs to a sign-in keeps the original /oauth2/authorize query in its
form action and checks it again on each POST (`authorize.check`), so a form can't be
pointed at another client or callback. Users are judged only by the layers below — the
hosted sign-in of `recognito.signin.hosted`, and the same sign-up, reset and MFA set-up
functions the API operations call: a failed POST shows the API's own message.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from recognito import errors
from recognito.crypto.totp import provisioning_uri
from recognito.domain import identity_providers, mfa, pools
from recognito.domain.attributes import missing_required
from recognito.domain.records import Client, IdentityProvider
from recognito.service import resets, signup
from recognito.service.context import Services
from recognito.service.lookups import find_user
from recognito.shapes import (
    AttributeType,
    ConfirmForgotPasswordRequest,
    ConfirmSignUpRequest,
    ForgotPasswordRequest,
    ResendConfirmationCodeRequest,
    SignUpRequest,
)
from recognito.signin import hosted
from recognito.signin.hosted import Step
from recognito.web import authorize, browser
from recognito.web import branding as web_branding
from recognito.web.authorize import Authorization, Refused, check, freshly_signed_in
from recognito.web.domains import hosted_domain
from recognito.web.qr import qr_svg

_PublicCall = (
    SignUpRequest
    | ConfirmSignUpRequest
    | ResendConfirmationCodeRequest
    | ForgotPasswordRequest
    | ConfirmForgotPasswordRequest
)


CSRF_FAILED = "Your session has expired. Please try again."  # the page was stale or forged
TOO_SLOW = "Something went wrong. Please sign in again."  # more than 5 minutes (§5.1)
PASSWORDS_DIFFER = "The passwords do not match."
EMAIL_NEEDED = "Please enter your corporate email."
NO_PROVIDER_FOR_EMAIL = "No identity provider is set up for this email domain."
# form fields are bounded as the API model bounds them
_LIMITS = {"username": 128, "password": 256, "code": 2048}


def _field(form: FormData, name: str, limit: int = 2048) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


class Pages:
    def __init__(self, services: Services) -> None:
        self._svc = services

    # -- plumbing --------------------------------------------------------------------
    def _authorization(self, request: Request) -> Authorization:
        return check(self._svc, request, dict(request.query_params))

    def page(
        self,
        handler: Callable[[Request, Authorization, FormData | None], Response],
        *,
        local: bool = True,
    ) -> Callable[[Request], Awaitable[Response]]:
        """A page of the sign-in: the authorization checked first; a POST's CSRF token
        too (a stale or forged form re-renders the sign-in page, 403). A `local` page
        (sign-up, reset, challenges) is for clients with COGNITO sign-in only: the others
        get the sign-in page, with their providers' buttons."""

        async def endpoint(request: Request) -> Response:
            form = await request.form() if request.method == "POST" else None

            def run() -> Response:
                try:
                    auth = self._authorization(request)
                except Refused as refused:
                    return refused.response
                web_branding.attach(self._svc, request, auth.client.id)
                if form is not None and not browser.csrf_ok(request, form):
                    return self._login_page(request, auth, error=CSRF_FAILED, status=403)
                if local and not auth.local:
                    return self._login_page(request, auth)
                return handler(request, auth, form)

            return await run_in_threadpool(run)

        return endpoint

    def _login_page(
        self,
        request: Request,
        auth: Authorization,
        *,
        error: str | None = None,
        notice: str | None = None,
        username: str | None = None,
        email: str = "",
        status: int = 200,
    ) -> Response:
        context: dict[str, Any] = {
            "error": error,
            "notice": notice,
            "username": username or auth.login_hint or "",
            "can_sign_up": auth.local and not pools.admin_create_only(auth.pool.config),
            "providers": _provider_buttons(request, auth),
            "local": auth.local,
            "corporate": bool(self._routable(auth)),
            "email": email,
        }
        return browser.render(request, "login.html", context, status)

    def _routable(self, auth: Authorization) -> list[IdentityProvider]:
        with self._svc.store.read() as tx:
            providers = tx.identity_providers.list(auth.pool.id)
        supported = auth.client.config.get("SupportedIdentityProviders", [])
        return identity_providers.routable(providers, supported)

    def _by_email(self, request: Request, auth: Authorization, email: str) -> Response:
        """The corporate-email form: off to the IdP whose IdpIdentifiers name the email's
        domain, through /oauth2/authorize with idp_identifier (reference §12.4)."""
        if not email:
            return self._login_page(request, auth, error=EMAIL_NEEDED)
        found = identity_providers.by_email_domain(email, self._routable(auth))
        if found is None:
            return self._login_page(request, auth, error=NO_PROVIDER_FOR_EMAIL, email=email)
        domain = email.rsplit("@", 1)[-1].strip().lower()
        identifier = next(i for i in found.identifiers if i.lower() == domain)
        dropped = ("identity_provider", "idp_identifier")
        query = {k: v for k, v in request.query_params.items() if k not in dropped}
        query["idp_identifier"] = identifier
        base = hosted_domain(request).base_url
        return browser.redirect(f"{base}/oauth2/authorize?{urlencode(query)}")

    def _finish(self, request: Request, auth: Authorization, username: str) -> Response:
        """Signed in: the session cookie, and back to the app."""
        svc = self._svc
        with svc.store.read() as tx:
            user = find_user(tx, auth.pool, username)
        if user is None:  # deleted in the meantime
            return self._login_page(request, auth, error=TOO_SLOW)
        auth_time = int(svc.clock.now())
        return freshly_signed_in(svc, request, auth, user, auth_time)

    # -- sign-in ---------------------------------------------------------------------
    def login(self, request: Request, auth: Authorization, form: FormData | None) -> Response:
        if form is not None and "idpIdentifierEmail" in form:  # the corporate-email form
            return self._by_email(request, auth, _field(form, "idpIdentifierEmail", 256))
        if form is None or not auth.local:  # no local sign-in for this client
            return self._login_page(request, auth)
        username = _field(form, "username", _LIMITS["username"])
        password = _field(form, "password", _LIMITS["password"])
        if not username or not password:
            error = "Please enter your username and password."
            return self._login_page(request, auth, error=error, username=username, status=200)
        try:
            step = hosted.sign_in(self._svc, auth.pool, auth.client, username, password)
        except errors.UserNotConfirmedException:
            return self._unconfirmed(request, auth, username)
        except errors.PasswordResetRequiredException as exc:
            return self._reset_required(request, auth, username, exc.message)
        except errors.CognitoError as exc:
            return self._login_page(request, auth, error=exc.message, username=username)
        return self._next(request, auth, step)

    def _next(
        self, request: Request, auth: Authorization, step: Step, started: float | None = None
    ) -> Response:
        """Signed in: back to the app; else the step's challenge, within the time limit of
        the sign-in that began at `started` (now, when it begins here)."""
        if step.signed_in:
            return self._finish(request, auth, step.username)
        pending = browser.Pending(step, self._svc.clock.now() if started is None else started)
        if step.challenge == mfa.SETUP:
            try:
                secret, session = hosted.start_totp_setup(self._svc, step)
            except errors.CognitoError as exc:
                return self._login_page(request, auth, error=exc.message)
            pending = browser.Pending(_with_session(step, session), pending.started, secret)
        return self._challenge_page(request, auth, pending)

    def _challenge_page(
        self,
        request: Request,
        auth: Authorization,
        pending: browser.Pending,
        error: str | None = None,
    ) -> Response:
        step = pending.step
        context: dict[str, Any] = {
            "error": error,
            "pending": browser.seal_pending(self._svc.secret_key, pending),
            "challenge": step.challenge,
            "destination": step.parameters.get("CODE_DELIVERY_DESTINATION"),
        }
        template = {
            "NEW_PASSWORD_REQUIRED": "new_password.html",
            mfa.SMS: "mfa_code.html",
            mfa.EMAIL: "mfa_code.html",
            mfa.TOTP: "mfa_code.html",
            mfa.SELECT: "mfa_select.html",
            mfa.SETUP: "mfa_setup.html",
        }.get(step.challenge or "")
        if template is None:  # a challenge the pages don't offer (§5.1)
            return self._login_page(request, auth, error=TOO_SLOW)
        if step.challenge == "NEW_PASSWORD_REQUIRED":
            required = json.loads(step.parameters.get("requiredAttributes", "[]"))
            context["attributes"] = [n.removeprefix("userAttributes.") for n in required]
        elif step.challenge == mfa.SELECT:
            context["choices"] = json.loads(step.parameters.get("MFAS_CAN_CHOOSE", "[]"))
        elif step.challenge == mfa.SETUP and pending.totp_secret:
            uri = provisioning_uri(pending.totp_secret, step.username, auth.pool.name)
            context.update(secret=pending.totp_secret, uri=uri, qr=qr_svg(uri))
        return browser.render(request, template, context)

    def challenge(self, request: Request, auth: Authorization, form: FormData | None) -> Response:
        if form is None:
            return self._login_page(request, auth)
        svc = self._svc
        pending = browser.open_pending(
            svc.secret_key, _field(form, "session", 8192), svc.clock.now()
        )
        if pending is None:
            return self._login_page(request, auth, error=TOO_SLOW)
        step = pending.step
        try:
            if step.challenge == "NEW_PASSWORD_REQUIRED":
                responses = _new_password_answer(form)
            elif step.challenge == mfa.SMS:
                responses = {"SMS_MFA_CODE": _field(form, "code")}
            elif step.challenge == mfa.EMAIL:
                responses = {"EMAIL_OTP_CODE": _field(form, "code")}
            elif step.challenge == mfa.TOTP:
                responses = {"SOFTWARE_TOKEN_MFA_CODE": _field(form, "code")}
            elif step.challenge == mfa.SELECT:
                responses = {"ANSWER": _field(form, "answer")}
            else:  # MFA set-up: the first code proves the authenticator has the secret
                verified = hosted.verify_totp_setup(svc, step.session or "", _field(form, "code"))
                step, responses = _with_session(step, verified), {}
            following = hosted.answer(svc, auth.pool, auth.client, step, responses)
        except errors.CognitoError as exc:
            return self._challenge_page(request, auth, pending, error=exc.message)
        except ValueError as exc:
            return self._challenge_page(request, auth, pending, error=str(exc))
        # signed in, or the next challenge (MFA after a new password, a code after a factor
        # was chosen)
        return self._next(request, auth, following, pending.started)

    # -- sign-up ---------------------------------------------------------------------
    def _signup_fields(self, auth: Authorization) -> list[str]:
        """The attributes the sign-up form asks for: the required ones, and email or
        phone when the pool verifies them (not the one that is the username itself)."""
        config = auth.pool.config
        wanted = missing_required(config["SchemaAttributes"], {})
        wanted += [a for a in pools.auto_verified(config) if a not in wanted]
        return [a for a in wanted if a not in pools.username_attributes(config)]

    def _signup_page(
        self, request: Request, auth: Authorization, error: str | None = None, **values: str
    ) -> Response:
        config = auth.pool.config
        context = {
            "error": error,
            "fields": self._signup_fields(auth),
            "username_label": _username_label(pools.username_attributes(config)),
            "values": values,
        }
        return browser.render(request, "signup.html", context)

    def sign_up(self, request: Request, auth: Authorization, form: FormData | None) -> Response:
        if pools.admin_create_only(auth.pool.config):
            return self._login_page(
                request, auth, error="SignUp is not permitted for this user pool"
            )
        if form is None:
            return self._signup_page(request, auth)
        username = _field(form, "username", _LIMITS["username"])
        password = _field(form, "password", _LIMITS["password"])
        attributes: list[AttributeType] = [
            {"Name": name, "Value": _field(form, name)}
            for name in self._signup_fields(auth)
            if _field(form, name)
        ]
        values = {name: _field(form, name) for name in self._signup_fields(auth)}
        call: SignUpRequest = {
            "ClientId": _caller(auth).id,
            "Username": username,
            "Password": password,
            "UserAttributes": attributes,
        }
        _add_secret_hash(call, _caller(auth))
        try:
            answer = signup.sign_up(self._svc, call)
        except errors.CognitoError as exc:
            return self._signup_page(request, auth, exc.message, username=username, **values)
        if answer["UserConfirmed"]:
            notice = "Your account is ready. Please sign in."
            return self._login_page(request, auth, notice=notice, username=username)
        details = answer.get("CodeDeliveryDetails", {})
        return self._confirm_page(request, auth, username, details.get("Destination"))

    def _confirm_page(
        self,
        request: Request,
        auth: Authorization,
        username: str,
        destination: str | None,
        error: str | None = None,
    ) -> Response:
        context = {"error": error, "username": username, "destination": destination}
        return browser.render(request, "confirm.html", context)

    def _unconfirmed(self, request: Request, auth: Authorization, username: str) -> Response:
        """An unconfirmed user signing in: a new code, and the page to enter it."""
        try:
            call: ResendConfirmationCodeRequest = {
                "ClientId": _caller(auth).id,
                "Username": username,
            }
            _add_secret_hash(call, _caller(auth))
            answer = signup.resend_confirmation_code(self._svc, call)
        except errors.CognitoError as exc:
            return self._login_page(request, auth, error=exc.message, username=username)
        destination = answer.get("CodeDeliveryDetails", {}).get("Destination")
        return self._confirm_page(request, auth, username, destination)

    def confirm(self, request: Request, auth: Authorization, form: FormData | None) -> Response:
        if form is None:
            username = request.query_params.get("username", "")
            return self._confirm_page(request, auth, username[: _LIMITS["username"]], None)
        username = _field(form, "username", _LIMITS["username"])
        try:
            if form.get("resend"):
                return self._unconfirmed(request, auth, username)
            call: ConfirmSignUpRequest = {
                "ClientId": _caller(auth).id,
                "Username": username,
                "ConfirmationCode": _field(form, "code"),
            }
            _add_secret_hash(call, _caller(auth))
            signup.confirm_sign_up(self._svc, call)
        except errors.CognitoError as exc:
            return self._confirm_page(request, auth, username, None, exc.message)
        notice = "Your account is confirmed. Please sign in."
        return self._login_page(request, auth, notice=notice, username=username)

    async def confirm_user(self, request: Request) -> Response:
        """The link of a CONFIRM_WITH_LINK message: confirms, and says so."""
        return await run_in_threadpool(self._confirm_user, request)

    def _confirm_user(self, request: Request) -> Response:
        params = request.query_params
        username = params.get("user_name", "")[: _LIMITS["username"]]
        try:
            with self._svc.store.read() as tx:
                client = tx.clients.get(params.get("client_id", ""))
            if client is None or client.pool_id != hosted_domain(request).pool_id:
                raise errors.ResourceNotFoundException("User pool client does not exist.")
            call: ConfirmSignUpRequest = {
                "ClientId": client.id,
                "Username": username,
                "ConfirmationCode": params.get("confirmation_code", "")[: _LIMITS["code"]],
            }
            _add_secret_hash(call, client)
            signup.confirm_sign_up(self._svc, call)
        except errors.CognitoError as exc:
            return browser.render(request, "confirmed.html", {"error": exc.message}, 400)
        return browser.render(request, "confirmed.html", {"error": None})

    def _reset_required(
        self, request: Request, auth: Authorization, username: str, why: str
    ) -> Response:
        """A user whose password was reset by an administrator: a code, and the page to
        choose a new password with it."""
        return self._send_reset_code(request, auth, username, notice=why)

    # -- password reset --------------------------------------------------------------
    def forgot_password(
        self, request: Request, auth: Authorization, form: FormData | None
    ) -> Response:
        if form is None:
            return browser.render(request, "forgot.html", {"error": None, "username": ""})
        username = _field(form, "username", _LIMITS["username"])
        return self._send_reset_code(request, auth, username)

    def _send_reset_code(
        self, request: Request, auth: Authorization, username: str, notice: str | None = None
    ) -> Response:
        try:
            call: ForgotPasswordRequest = {
                "ClientId": _caller(auth).id,
                "Username": username,
            }
            _add_secret_hash(call, _caller(auth))
            answer = resets.forgot_password(self._svc, call)
        except errors.CognitoError as exc:
            context = {"error": exc.message, "username": username}
            return browser.render(request, "forgot.html", context)
        destination = answer.get("CodeDeliveryDetails", {}).get("Destination")
        return self._reset_page(request, username, destination, notice=notice)

    def _reset_page(
        self,
        request: Request,
        username: str,
        destination: str | None,
        error: str | None = None,
        notice: str | None = None,
    ) -> Response:
        context = {
            "error": error,
            "notice": notice,
            "username": username,
            "destination": destination,
        }
        return browser.render(request, "confirm_forgot.html", context)

    def confirm_forgot_password(
        self, request: Request, auth: Authorization, form: FormData | None
    ) -> Response:
        if form is None:
            username = request.query_params.get("username", "")[: _LIMITS["username"]]
            return self._reset_page(request, username, None)
        username = _field(form, "username", _LIMITS["username"])
        password = _field(form, "password", _LIMITS["password"])
        if password != _field(form, "password2", _LIMITS["password"]):
            return self._reset_page(request, username, None, error=PASSWORDS_DIFFER)
        call: ConfirmForgotPasswordRequest = {
            "ClientId": _caller(auth).id,
            "Username": username,
            "ConfirmationCode": _field(form, "code"),
            "Password": password,
        }
        _add_secret_hash(call, _caller(auth))
        try:
            resets.confirm_forgot_password(self._svc, call)
        except errors.CognitoError as exc:
            return self._reset_page(request, username, None, error=exc.message)
        notice = "Your password has been changed. Please sign in."
        return self._login_page(request, auth, notice=notice, username=username)

    # -- the error page ------------------------------------------------------------
    async def error(self, request: Request) -> Response:
        code = request.query_params.get("error", "")[:64]
        return browser.render(request, "error.html", {"code": code}, 400)


def _provider_buttons(request: Request, auth: Authorization) -> list[dict[str, str]]:
    """A "Sign in with <Name>" button per external IdP of the client: /oauth2/authorize
    with this sign-in's parameters and identity_provider=<Name>."""
    query = {k: v for k, v in request.query_params.items() if k != "identity_provider"}
    root = request.scope.get("root_path", "")
    return [
        {
            "name": name,
            "url": f"{root}/oauth2/authorize?{urlencode({**query, 'identity_provider': name})}",
        }
        for name in auth.client.config.get("SupportedIdentityProviders", [])
        if name != authorize.COGNITO
    ]


def _caller(auth: Authorization) -> Client:
    """The app client the pages' API calls name: a CIMD client's policy app client (the
    API knows clients by id only), any other client itself."""
    return auth.client.acts_for or auth.client


def _add_secret_hash(call: _PublicCall, client: Client) -> None:
    """The SecretHash the pages send for a client with a secret: they act for the client."""
    hashed = hosted.secret_hash_for(client, call["Username"])
    if hashed:
        call["SecretHash"] = hashed


def _with_session(step: Step, session: str) -> Step:
    return Step(step.username, step.challenge, session, step.parameters)


def _new_password_answer(form: FormData) -> dict[str, str]:
    password = _field(form, "password", _LIMITS["password"])
    if password != _field(form, "password2", _LIMITS["password"]):
        raise ValueError(PASSWORDS_DIFFER)
    answer = {"NEW_PASSWORD": password}
    for key in form:
        if key.startswith("userAttributes.") and _field(form, key):
            answer[key] = _field(form, key)
    return answer


def _username_label(username_attributes: list[str]) -> str:
    if username_attributes == ["email"]:
        return "Email"
    if username_attributes == ["phone_number"]:
        return "Phone number"
    if username_attributes:
        return "Email or phone number"
    return "Username"


def routes(services: Services) -> list[BaseRoute]:
    """The pages, and /oauth2/authorize and /logout that lead to and from them."""
    pages = Pages(services)
    both = ["GET", "POST"]
    static = StaticFiles(directory=str(browser.STATIC))
    return [
        *authorize.routes(services),
        *web_branding.routes(services),
        Route("/login", pages.page(pages.login, local=False), methods=both),
        Route("/challenge", pages.page(pages.challenge), methods=["POST"]),
        Route("/signup", pages.page(pages.sign_up), methods=both),
        Route("/confirm", pages.page(pages.confirm), methods=both),
        Route("/confirmUser", pages.confirm_user, methods=["GET"]),
        Route("/forgotPassword", pages.page(pages.forgot_password), methods=both),
        Route("/confirmforgotPassword", pages.page(pages.confirm_forgot_password), methods=both),
        Route("/error", pages.error, methods=["GET"]),
        Mount("/static", app=static, name="static"),
    ]
