"""CONFIRM_WITH_LINK (reference cognito-oauth.md §5, /confirmUser): a pool that confirms
sign-ups by link sends EmailMessageByLink, its `{##text##}` a link to the pool domain's
/confirmUser page; following the link, as a mail reader would, confirms the user. The
same for ResendConfirmationCode; a pool without a domain sends the text as it is."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx

from .support import PASSWORD, Inbox, MakeClient, MakePool, new_email, unique
from .support.hosted import query_of

LINK_RE = re.compile(r"Click Here <(http[^>]+)>")
BY_LINK = {
    "DefaultEmailOption": "CONFIRM_WITH_LINK",
    "EmailMessageByLink": "Welcome aboard. {##Click Here##} to confirm your account.",
    "EmailSubjectByLink": "Confirm your account",
}


def _pool(make_pool: MakePool) -> str:
    return make_pool(AutoVerifiedAttributes=["email"], VerificationMessageTemplate=BY_LINK)


def _sign_up(cognito: Any, client: Any, email: str) -> str:
    username = unique("linked")
    cognito.sign_up(
        ClientId=client.client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
        **client.secret_kwargs(username),
    )
    return username


def _status(cognito: Any, pool_id: str, username: str) -> tuple[str, str | None]:
    user = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    verified = {a["Name"]: a["Value"] for a in user["UserAttributes"]}.get("email_verified")
    return user["UserStatus"], verified


def test_the_sign_up_email_links_to_confirm_user_and_the_link_confirms(
    cognito: Any, base_url: str, make_pool: MakePool, make_client: MakeClient, inbox: Inbox
) -> None:
    pool_id = _pool(make_pool)
    prefix = unique("auth").lower().replace("_", "-")
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool_id)
    client = make_client(pool_id)
    email = new_email()
    username = _sign_up(cognito, client, email)

    mail = inbox.wait(email)
    assert mail.subject == "Confirm your account"
    assert mail.body.startswith("Welcome aboard. Click Here <")
    assert mail.body.rstrip().endswith("> to confirm your account.")  # SMTP ends lines CRLF
    link = LINK_RE.search(mail.body)
    assert link is not None, mail.body
    url = link.group(1)
    assert url.startswith(f"{base_url}/_domain/{prefix}/confirmUser?")
    params = query_of(url)
    assert params["client_id"] == client.client_id and params["user_name"] == username
    assert re.fullmatch(r"\d{6}", params["confirmation_code"])
    assert _status(cognito, pool_id, username) == ("UNCONFIRMED", None)

    page = httpx.get(url, timeout=10)
    assert page.status_code == 200, page.text
    assert _status(cognito, pool_id, username) == ("CONFIRMED", "true")
    # the code is spent: the link confirms once
    assert httpx.get(url, timeout=10).status_code == 400


def test_a_resent_code_comes_as_a_link_too(
    cognito: Any, base_url: str, make_pool: MakePool, make_client: MakeClient, inbox: Inbox
) -> None:
    pool_id = _pool(make_pool)
    prefix = unique("auth").lower().replace("_", "-")
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool_id)
    client = make_client(pool_id, secret=True)  # the page sends the SECRET_HASH itself
    email = new_email()
    username = _sign_up(cognito, client, email)
    inbox.wait(email)

    cognito.resend_confirmation_code(
        ClientId=client.client_id, Username=username, **client.secret_kwargs(username)
    )
    mail = inbox.wait(email, after=1)
    assert mail.subject == "Confirm your account"
    link = LINK_RE.search(mail.body)
    assert link is not None, mail.body
    url = link.group(1)
    assert urlsplit(url).path == f"/_domain/{prefix}/confirmUser"
    assert url.startswith(base_url)
    assert httpx.get(url, timeout=10).status_code == 200
    assert _status(cognito, pool_id, username) == ("CONFIRMED", "true")


def test_a_pool_without_a_domain_sends_the_link_text_as_it_is(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, inbox: Inbox
) -> None:
    pool_id = _pool(make_pool)
    client = make_client(pool_id)
    email = new_email()
    username = _sign_up(cognito, client, email)
    mail = inbox.wait(email)
    assert mail.subject == "Confirm your account"
    assert mail.body.rstrip() == "Welcome aboard. {##Click Here##} to confirm your account."
    assert _status(cognito, pool_id, username) == ("UNCONFIRMED", None)
