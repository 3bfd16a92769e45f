"""What every hosted page shares: rendering with the security headers, the CSRF
double-submit check, the sealed state of an unfinished sign-in, and the `cognito`
session cookie (reference §5.3–5.4).

- `XSRF-TOKEN` cookie + `_csrf` form field: a fresh random token on every rendered page;
  a POST must echo the cookie's value (compared in constant time).
- The pending sign-in (a challenge session of the signin layer, the user's name, when
  the sign-in started) travels sealed (AES-GCM under the instance key) in the page's
  hidden `session` field, so any node can finish it; it lives 5 minutes.
- `cognito`: a random token, stored only as its keyed digest in `browser_sessions`, valid
  one hour from the interactive sign-in, not extended by reuse; /logout deletes the row,
  so it ends on every node. Host-only, HttpOnly, SameSite=Lax, Secure over https.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from recognito.crypto.envelope import BrokenEnvelope, open_envelope, seal
from recognito.crypto.secrets import digest, opaque_token, same
from recognito.domain import sessions
from recognito.domain.records import BrowserSession, User
from recognito.service import user_sessions
from recognito.service.context import Services
from recognito.signin.hosted import Step
from recognito.signin.oauth import OAuthError

CSRF_COOKIE = "XSRF-TOKEN"
CSRF_FIELD = "_csrf"
SESSION_COOKIE = "cognito"
SESSION_SECONDS = 3600  # the cookie signs in again for an hour after the sign-in
PENDING_SECONDS = 300  # a sign-in begun on the pages must end within 5 minutes
_PENDING = "hosted-sign-in"

# reference §1.1; no script runs on the pages, and they are never framed or cached
SECURITY_HEADERS = {
    "Cache-Control": "no-cache, no-store, max-age=0, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "0",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    # no form-action: a signed-in form's answer redirects to the app's callback, and
    # browsers check form-action against that redirect too
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}

STATIC = Path(__file__).parent / "static"
_templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
_templates.env.trim_blocks = _templates.env.lstrip_blocks = True


def secured(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    return response


def redirect(url: str) -> Response:
    return secured(RedirectResponse(url, status_code=302))


def render(
    request: Request, template: str, context: Mapping[str, Any], status: int = 200
) -> Response:
    """A page, with a fresh CSRF token in its forms and in the XSRF-TOKEN cookie."""
    token = str(uuid.uuid4())
    values = {
        "csrf": token,
        "root": request.scope.get("root_path", ""),
        "query": request.url.query,
        **context,
    }
    # the client's branding, when the page is one of its sign-in (web/branding.py)
    branded = getattr(request.state, "branding", None)
    if branded is not None:
        values["branding_client"], values["branding"] = branded
    response = secured(_templates.TemplateResponse(request, template, values, status))
    response.set_cookie(
        CSRF_COOKIE,
        token,
        path=_cookie_path(request),
        httponly=True,
        samesite="lax",
        secure=_https(request),
    )
    return response


def csrf_ok(request: Request, form: Mapping[str, Any]) -> bool:
    """The double-submit check: the form echoes the cookie set with the page."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    given = form.get(CSRF_FIELD, "")
    return bool(cookie) and isinstance(given, str) and same(cookie, given)


def _https(request: Request) -> bool:
    return request.url.scheme == "https"


def _cookie_path(request: Request) -> str:
    """The domain's root: "/" on its own host, "/_domain/<name>/" when reached by path,
    so two domains served from one host keep separate cookies."""
    return str(request.scope.get("root_path", "")).rstrip("/") + "/"


# -- a sign-in under way between pages ------------------------------------------------
@dataclass(frozen=True)
class Pending:
    step: Step
    started: float  # when the password was checked
    totp_secret: str | None = None  # MFA set-up: the secret shown, kept for a retry


def seal_pending(secret_key: bytes, pending: Pending) -> str:
    step = pending.step
    return seal(
        secret_key,
        _PENDING,
        {
            "username": step.username,
            "challenge": step.challenge,
            "session": step.session,
            "parameters": dict(step.parameters),
            "started": pending.started,
            "totp_secret": pending.totp_secret,
        },
    )


def open_pending(secret_key: bytes, sealed: str, now: float) -> Pending | None:
    """The pending sign-in a page carried, or None when it is broken or too old."""
    try:
        content = open_envelope(secret_key, _PENDING, sealed)
        step = Step(
            str(content["username"]),
            str(content["challenge"]),
            str(content["session"]),
            {str(k): str(v) for k, v in dict(content["parameters"]).items()},
        )
        started = float(content["started"])
        secret = content.get("totp_secret")
    except (BrokenEnvelope, KeyError, TypeError, ValueError):
        return None
    if now - started > PENDING_SECONDS:
        return None
    return Pending(step, started, str(secret) if secret else None)


# -- the `cognito` session cookie ----------------------------------------------------
@dataclass(frozen=True)
class OpenedSession:
    """A browser session just stored: its cookie value, its id as the user's SSO
    session, and its end."""

    token: str
    session_id: str
    expires_at: float


def open_session(
    svc: Services, request: Request, pool_id: str, user: User, auth_time: int, client_id: str
) -> OpenedSession:
    """After an interactive sign-in: a new session (any earlier one of this browser ends),
    which the answer then sets as the cookie (`keep_session`)."""
    end_session(svc, request)
    token = opaque_token(32)
    expires = auth_time + SESSION_SECONDS
    now = svc.clock.now()
    device, ip = user_sessions.where_from(svc)
    session_id = sessions.new_session_id(sessions.SSO)
    with svc.store.write() as tx:
        if tx.users.by_id(user.id) is None:  # deleted since the sign-in found them
            raise OAuthError("invalid_request")
        record = BrowserSession(
            pool_id, user.id, auth_time, expires, session_id, client_id, now, now, device, ip
        )
        tx.browser_sessions.insert(digest(svc.secret_key, token), record)
    return OpenedSession(token, session_id, expires)


def discard_session(svc: Services, opened: OpenedSession) -> None:
    with svc.store.write() as tx:
        tx.browser_sessions.end(digest(svc.secret_key, opened.token))


def keep_session(
    svc: Services, request: Request, response: Response, opened: OpenedSession
) -> None:
    """The session's cookie on the answer."""
    response.set_cookie(
        SESSION_COOKIE,
        opened.token,
        max_age=max(0, int(opened.expires_at - svc.clock.now())),
        path=_cookie_path(request),
        httponly=True,
        samesite="lax",
        secure=_https(request),
    )


def current_session(
    svc: Services, request: Request, pool_id: str
) -> tuple[User, int, str | None] | None:
    """The signed-in user of this browser on the pool's domain, the time of the sign-in
    and the session's id; None without a live session (or when the user may no longer
    sign in)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with svc.store.read() as tx:
        found = tx.browser_sessions.get(digest(svc.secret_key, token))
        user = tx.users.by_id(found.user_id) if found is not None else None
    if found is None or user is None or found.pool_id != pool_id:
        return None
    if svc.clock.now() >= found.expires_at or not user.enabled:
        return None
    return user, found.auth_time, found.session_id


def end_session(svc: Services, request: Request) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with svc.store.write() as tx:
            tx.browser_sessions.end(digest(svc.secret_key, token))


def forget_session(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path=_cookie_path(request),
        httponly=True,
        samesite="lax",
        secure=_https(request),
    )
