"""The admin console at /_console: server-rendered pages for the pools, their clients,
groups and users, and the everyday user actions.

Every read and every action is an admin operation run through the `AdminApi` the app
hands in (protocol/admin_calls.py): the same validation, allow lists, Cognito rules and
errors as a signed API call, by the same registered function; an error is shown on the
page in Cognito's words. The console writes no table; it reads one: the outbox rows sent
to a user (after AdminGetUser allowed the page).

Who may use it follows the admin API (docs/operations.md "Admin console"):
- with --admin-credentials, a sign-in form takes an access key id and secret; the session
  is a sealed cookie (AES-GCM under the instance key: tamper-proof and unreadable),
  HttpOnly, SameSite=Strict, living SESSION_SECONDS from the sign-in, bound to the key as
  configured then (a deleted or re-keyed pair ends it);
- without, the developer default: no sign-in, and only for the callers the admin API
  takes (loopback clients, or anyone with --allow-remote-admin).
Either way a Host this server does not serve, or a page of another origin, is refused,
and every POST carries the session's CSRF token.
"""

from __future__ import annotations

import logging
import time  # formatting only: session times come from the services' clock
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.templating import Jinja2Templates

from recognito import errors
from recognito.crypto.envelope import BrokenEnvelope, open_envelope, seal
from recognito.crypto.secrets import same
from recognito.domain.records import OutboxEntry
from recognito.service.context import Services

log = logging.getLogger("recognito.console")

PREFIX = "/_console"
COOKIE = "recognito-console"
CSRF_FIELD = "_csrf"
SESSION_SECONDS = 1800  # a signed-in console lasts 30 minutes, not extended by use
_PURPOSE = "admin-console"
PAGE_SIZE = 60
OUTBOX_SHOWN = 20
LISTED = 1000  # pools, clients or groups a page lists at most
CSRF_MESSAGE = "The form has expired or did not come from this console; try again."
BAD_SIGN_IN = "Incorrect access key id or secret access key."

HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # not no-referrer: under it browsers send `Origin: null` with the forms, which the
    # boundary check (another origin's page?) must refuse
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}
STYLESHEET = Path(__file__).parent / "static" / "console.css"
_templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
_templates.env.trim_blocks = _templates.env.lstrip_blocks = True
_templates.env.filters["when"] = lambda t: (
    time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(float(t))) if t else ""
)
_templates.env.filters["seg"] = lambda text: quote(str(text), safe="")
_templates.env.filters["attrs"] = lambda items: {a["Name"]: a.get("Value", "") for a in items}

# what a form's success says on the page it lands on (fixed texts: nothing echoed)
DONE = {
    "created": "User created.",
    "reset": "Password reset: the user must set a new one with the code sent.",
    "password": "Password set.",
    "enabled": "User enabled.",
    "disabled": "User disabled.",
    "signed-out": "User signed out of every session.",
    "added": "Added to the group.",
    "removed": "Removed from the group.",
}


class AdminApi(Protocol):
    """What the console needs of the protocol layer (protocol/admin_calls.py)."""

    @property
    def signed(self) -> bool: ...

    def admit(self, request: Request) -> None: ...

    def sign_in(self, access_key_id: str, secret: str) -> str | None: ...

    def stamp(self, access_key_id: str) -> str | None: ...

    def call(
        self,
        request: Request,
        access_key_id: str | None,
        operation: str,
        params: Mapping[str, Any],
        region: str | None = None,
    ) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Session:
    csrf: str
    expires: float
    key_id: str | None = None  # signed in with this access key (None: not, or unsigned)
    stamp: str | None = None


class Page:
    """One request to the console: its session and the operations it calls."""

    def __init__(self, console: Console, request: Request, session: Session) -> None:
        self.console, self.request, self.session = console, request, session

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        # the region a signature would name: ListUserPools lists that region's pools
        region = self.request.query_params.get("region") or None
        return self.console.api.call(self.request, self.session.key_id, operation, params, region)

    def section(self, operation: str, **params: Any) -> tuple[dict[str, Any], str | None]:
        """A part of a page: its data, or the error that stood in its way."""
        try:
            return self.call(operation, **params), None
        except errors.CognitoError as error:
            return {}, _said(error)

    def every(
        self, operation: str, key: str, **params: Any
    ) -> tuple[list[dict[str, Any]], str | None]:
        """All pages of a listing (up to LISTED items), or the error that stopped it."""
        found: list[dict[str, Any]] = []
        token: str | None = None
        try:
            while True:
                listed = self.call(operation, **params, **({"NextToken": token} if token else {}))
                found += listed.get(key, [])
                token = listed.get("NextToken")
                if not token or len(found) >= LISTED:
                    return found, None
        except errors.CognitoError as error:
            return found, _said(error)

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        values = {
            "root": PREFIX,
            "csrf": self.session.csrf,
            "signed": self.console.api.signed,
            "key_id": self.session.key_id,
            "done": DONE.get(self.request.query_params.get("done", "")),
            **context,
        }
        response = _templates.TemplateResponse(self.request, f"console/{template}", values, status)
        response.headers.update(HEADERS)
        return response


def _said(error: errors.CognitoError) -> str:
    return f"{error.code}: {error.message}" if error.message else error.code


def _status(said: str) -> int:
    """A page that could not be shown: 404 for what does not exist, else 403."""
    return 404 if said.startswith(("ResourceNotFoundException", "UserNotFoundException")) else 403


def _see(path: str, **query: str) -> Response:
    """303 to a console page after a form (a reload does not post again)."""
    url = f"{PREFIX}{path}" + (f"?{urlencode(query)}" if query else "")
    response = RedirectResponse(url, status_code=303)
    response.headers.update(HEADERS)
    return response


def _filter_value(text: str) -> str:
    """A ListUsers filter's quoted value: quotes and backslashes escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


Handler = Callable[[Page], Response]


class Console:
    def __init__(self, services: Services, api: AdminApi) -> None:
        self.svc, self.api = services, api
        # zero configuration (no SMTP, no SMS webhook): messages' bodies (codes) are shown,
        # as the server's log prints them; never once a channel is configured
        settings = services.settings
        self.reveal = not (settings.smtp_url or settings.sms_webhook_url)

    # -- the session cookie -----------------------------------------------------------
    def _session(self, request: Request) -> Session | None:
        sealed = request.cookies.get(COOKIE)
        if not sealed:
            return None
        try:
            content = open_envelope(self.svc.secret_key, _PURPOSE, sealed)
            session = Session(
                str(content["csrf"]),
                float(content["expires"]),
                content.get("key_id"),
                content.get("stamp"),
            )
        except (BrokenEnvelope, KeyError, TypeError, ValueError):
            return None
        if self.svc.clock.now() >= session.expires:
            return None
        return session

    def _signed_in(self, session: Session | None) -> bool:
        if session is None:
            return False
        if not self.api.signed:
            return True
        if session.key_id is None or session.stamp is None:
            return False
        current = self.api.stamp(session.key_id)
        return current is not None and same(current, session.stamp)

    def _keep(self, request: Request, response: Response, session: Session) -> None:
        content = {
            "csrf": session.csrf,
            "expires": session.expires,
            "key_id": session.key_id,
            "stamp": session.stamp,
        }
        response.set_cookie(
            COOKIE,
            seal(self.svc.secret_key, _PURPOSE, content),
            max_age=max(1, int(session.expires - self.svc.clock.now())),
            path=PREFIX,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )

    def _fresh(self, key_id: str | None = None, stamp: str | None = None) -> Session:
        return Session(str(uuid.uuid4()), self.svc.clock.now() + SESSION_SECONDS, key_id, stamp)

    # -- every request ----------------------------------------------------------------
    def page(self, handler: Handler) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            return await run_in_threadpool(self._serve, request, handler, None)

        return endpoint

    def posted(self, handler: Handler) -> Callable[[Request], Any]:
        """A form's endpoint: the form is read here, its CSRF token checked in _serve."""

        async def endpoint(request: Request) -> Response:
            request.state.form = await request.form()
            return await run_in_threadpool(self._serve, request, handler, request.state.form)

        return endpoint

    def _serve(self, request: Request, handler: Handler, form: FormData | None) -> Response:
        blank = Page(self, request, self._fresh())
        try:
            self.api.admit(request)
        except errors.CognitoError as error:
            return blank.render("refused.html", 403, error=_said(error))
        session = self._session(request)
        if not self._signed_in(session):
            if form is not None or self.api.signed:
                return _see("/signin")
            session = self._fresh()  # the developer default: a session for the CSRF token
            response = handler(Page(self, request, session))
            self._keep(request, response, session)
            return response
        assert session is not None
        page = Page(self, request, session)
        if form is not None and not _csrf_ok(session, form):
            return page.render("refused.html", 403, error=CSRF_MESSAGE)
        return handler(page)

    # -- sign-in ----------------------------------------------------------------------
    async def sign_in_form(self, request: Request) -> Response:
        return await run_in_threadpool(self._sign_in_form, request, None)

    def _sign_in_form(self, request: Request, error: str | None, status: int = 200) -> Response:
        page = Page(self, request, self._fresh())
        try:
            self.api.admit(request)
        except errors.CognitoError as refused:
            return page.render("refused.html", 403, error=_said(refused))
        if not self.api.signed:
            return _see("/")
        response = page.render("signin.html", status, error=error)
        self._keep(request, response, page.session)  # a pre-session: the form's CSRF token
        return response

    async def sign_in(self, request: Request) -> Response:
        form = await request.form()
        return await run_in_threadpool(self._sign_in, request, form)

    def _sign_in(self, request: Request, form: FormData) -> Response:
        try:
            self.api.admit(request)
        except errors.CognitoError as refused:
            return Page(self, request, self._fresh()).render(
                "refused.html", 403, error=_said(refused)
            )
        if not self.api.signed:
            return _see("/")
        session = self._session(request)
        if session is None or not _csrf_ok(session, form):
            return self._sign_in_form(request, CSRF_MESSAGE, 403)
        key_id, secret = _text(form, "access_key_id"), _text(form, "secret_access_key")
        stamp = self.api.sign_in(key_id, secret) if key_id and secret else None
        if stamp is None:
            peer = request.client.host if request.client else "?"
            log.warning("admin console: failed sign-in for key id %r from %s", key_id[:40], peer)
            return self._sign_in_form(request, BAD_SIGN_IN, 401)
        response = _see("/")
        self._keep(request, response, self._fresh(key_id, stamp))  # a new token, too
        return response

    async def sign_out(self, request: Request) -> Response:
        form = await request.form()
        session = self._session(request)
        if session is None or not _csrf_ok(session, form):
            return _see("/signin")
        response = _see("/signin" if self.api.signed else "/")
        response.delete_cookie(COOKIE, path=PREFIX, httponly=True, samesite="strict")
        return response

    async def stylesheet(self, request: Request) -> Response:
        return Response(STYLESHEET.read_bytes(), media_type="text/css", headers=HEADERS)

    # -- pages ------------------------------------------------------------------------
    def pools(self, page: Page) -> Response:
        query = page.request.query_params.get("q", "").strip()
        # ListUserPools has no filter: the name is matched here
        found, error = page.every("ListUserPools", "UserPools", MaxResults=60)
        pools = [p for p in found if query.lower() in p["Name"].lower()]
        region = page.request.query_params.get("region", "") or self.svc.settings.region
        return page.render("pools.html", pools=pools, q=query, error=error, region=region)

    def pool(self, page: Page) -> Response:
        pool_id = page.request.path_params["pool_id"]
        params = page.request.query_params
        described, error = page.section("DescribeUserPool", UserPoolId=pool_id)
        if error:
            return page.render("refused.html", _status(error), error=error)
        by = params.get("by", "username")
        query = params.get("q", "")
        listing: dict[str, Any] = {"UserPoolId": pool_id, "Limit": PAGE_SIZE}
        if query:
            attribute = "email" if by == "email" else "username"
            listing["Filter"] = f'{attribute} ^= "{_filter_value(query)}"'
        if params.get("next"):
            listing["PaginationToken"] = params["next"]
        users, users_error = page.section("ListUsers", **listing)
        # neither listing has a filter: names (and client ids) are matched here
        find = params.get("find", "").strip().lower()
        clients, clients_error = page.every(
            "ListUserPoolClients", "UserPoolClients", UserPoolId=pool_id, MaxResults=60
        )
        groups, groups_error = page.every("ListGroups", "Groups", UserPoolId=pool_id, Limit=60)
        return page.render(
            "pool.html",
            pool=described["UserPool"],
            users=users.get("Users", []),
            users_next=users.get("PaginationToken"),
            users_error=users_error,
            clients=[
                c for c in clients if find in c["ClientName"].lower() or find in c["ClientId"]
            ],
            clients_error=clients_error,
            groups=[g for g in groups if find in g["GroupName"].lower()],
            groups_error=groups_error,
            find=find,
            q=query,
            by=by,
        )

    def user(self, page: Page, error: str | None = None, status: int = 200) -> Response:
        pool_id = page.request.path_params["pool_id"]
        username = page.request.path_params["username"]
        who = {"UserPoolId": pool_id, "Username": username}
        user, refused = page.section("AdminGetUser", **who)
        if refused:  # an action's own error comes first: it is what was asked
            said = error or refused
            return page.render("refused.html", _status(said), error=said)
        attributes = {a["Name"]: a.get("Value", "") for a in user.get("UserAttributes", [])}
        groups, groups_error = page.every("AdminListGroupsForUser", "Groups", **who, Limit=60)
        pool_groups, _ = page.every("ListGroups", "Groups", UserPoolId=pool_id, Limit=60)
        devices, devices_error = page.section("AdminListDevices", **who, Limit=60)
        events, events_error = page.section("AdminListUserAuthEvents", **who, MaxResults=20)
        member = {g["GroupName"] for g in groups}
        return page.render(
            "user.html",
            status,
            pool_id=pool_id,
            user=user,
            attributes=attributes,
            groups=groups,
            groups_error=groups_error,
            other_groups=[g["GroupName"] for g in pool_groups if g["GroupName"] not in member],
            devices=devices.get("Devices", []),
            devices_error=devices_error,
            events=events.get("AuthEvents", []),
            events_error=events_error,
            messages=self._messages(pool_id, attributes),
            reveal=self.reveal,
            error=error,
        )

    def _messages(self, pool_id: str, attributes: Mapping[str, str]) -> list[OutboxEntry]:
        """The newest outbox messages of the pool to the user's email and phone."""
        recipients = [attributes[a] for a in ("email", "phone_number") if attributes.get(a)]
        found: list[OutboxEntry] = []
        with self.svc.store.read() as tx:
            for recipient in recipients:
                found += [m for m in tx.outbox.rows(recipient, 200) if m.pool_id == pool_id]
        found.sort(key=lambda m: m.id, reverse=True)
        return found[:OUTBOX_SHOWN]

    # -- actions ----------------------------------------------------------------------
    def create_user(self, page: Page) -> Response:
        pool_id = page.request.path_params["pool_id"]
        form = page.request.state.form
        username = _text(form, "username")
        params: dict[str, Any] = {"UserPoolId": pool_id, "Username": username}
        email = _text(form, "email")
        if email:
            params["UserAttributes"] = [{"Name": "email", "Value": email}]
            if form.get("email_verified"):
                params["UserAttributes"].append({"Name": "email_verified", "Value": "true"})
            params["DesiredDeliveryMediums"] = ["EMAIL"]
        if _text(form, "temporary_password"):
            params["TemporaryPassword"] = _text(form, "temporary_password")
        if form.get("suppress"):
            params["MessageAction"] = "SUPPRESS"
        try:
            page.call("AdminCreateUser", **params)
        except errors.CognitoError as error:
            return page.render(
                "failed.html", 400, error=_said(error), back=f"{PREFIX}/pools/{pool_id}"
            )
        return _see(f"/pools/{pool_id}/users/{_path(username)}", done="created")

    def act(self, page: Page) -> Response:
        """A user action: one operation, then back to the user's page (or its error there)."""
        pool_id = page.request.path_params["pool_id"]
        username = page.request.path_params["username"]
        action = page.request.path_params["action"]
        form = page.request.state.form
        who = {"UserPoolId": pool_id, "Username": username}
        calls: dict[str, tuple[str, dict[str, Any]]] = {
            "reset": ("AdminResetUserPassword", who),
            "password": (
                "AdminSetUserPassword",
                {
                    **who,
                    "Password": _text(form, "password"),
                    "Permanent": bool(form.get("permanent")),
                },
            ),
            "enabled": ("AdminEnableUser", who),
            "disabled": ("AdminDisableUser", who),
            "signed-out": ("AdminUserGlobalSignOut", who),
            "added": ("AdminAddUserToGroup", {**who, "GroupName": _text(form, "group")}),
            "removed": ("AdminRemoveUserFromGroup", {**who, "GroupName": _text(form, "group")}),
        }
        if action not in calls:
            return page.render("refused.html", 404, error="No such action.")
        operation, params = calls[action]
        try:
            page.call(operation, **params)
        except errors.CognitoError as error:
            return self.user(page, _said(error), 400)
        return _see(f"/pools/{pool_id}/users/{_path(username)}", done=action)


def _csrf_ok(session: Session, form: FormData) -> bool:
    given = form.get(CSRF_FIELD)
    return isinstance(given, str) and bool(given) and same(given, session.csrf)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _path(segment: str) -> str:
    return quote(segment, safe="")


def routes(services: Services, api: AdminApi) -> list[BaseRoute]:
    console = Console(services, api)

    async def home(request: Request) -> Response:
        return _see("/")

    # a username may hold a "/" (Cognito allows punctuation): it comes percent-encoded and
    # the path converter takes it whole; an action is the last segment
    return [
        Route(PREFIX, home, methods=["GET"]),
        Route(f"{PREFIX}/console.css", console.stylesheet, methods=["GET"]),
        Route(f"{PREFIX}/signin", console.sign_in_form, methods=["GET"]),
        Route(f"{PREFIX}/signin", console.sign_in, methods=["POST"]),
        Route(f"{PREFIX}/signout", console.sign_out, methods=["POST"]),
        Route(f"{PREFIX}/", console.page(console.pools), methods=["GET"]),
        Route(f"{PREFIX}/pools/{{pool_id}}", console.page(console.pool), methods=["GET"]),
        Route(
            f"{PREFIX}/pools/{{pool_id}}/users",
            console.posted(console.create_user),
            methods=["POST"],
        ),
        Route(
            f"{PREFIX}/pools/{{pool_id}}/users/{{username:path}}",
            console.page(console.user),
            methods=["GET"],
        ),
        Route(
            f"{PREFIX}/pools/{{pool_id}}/users/{{username:path}}/{{action}}",
            console.posted(console.act),
            methods=["POST"],
        ),
    ]
