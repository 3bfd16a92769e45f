"""The admin console (/_console): an operator signs in with an admin key pair of a server
started with --admin-credentials and, in headless Chromium, finds a user, resets her
password (status and outbox message shown), disables and enables her, adds her to a
group and creates a user; a screenshot of each page goes to test-artifacts/screenshots/.
Over plain HTTP: what is refused (no session, a wrong secret, a form without its CSRF
token, a key whose allow list leaves a pool out) and the developer default (no
credentials: loopback only, no sign-in; codes hidden once a channel is configured)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from playwright.sync_api import expect

from .support import ServerProcess, unique
from .support.clients import REGION
from .support.names import PASSWORD, new_email
from .support.server import create_credentials, start_signed_server

CONSOLE = "/_console"
_CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


@pytest.fixture(scope="module")
def credentials_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("console-admin") / "credentials.toml"


@pytest.fixture(scope="module")
def operator(credentials_file: Path) -> tuple[str, str]:
    return create_credentials(credentials_file, "--name", "operator")


@pytest.fixture(scope="module")
def signed_server(
    tmp_path_factory: pytest.TempPathFactory,
    log_dir: Path,
    credentials_file: Path,
    operator: tuple[str, str],
) -> Iterator[ServerProcess]:
    # no --smtp-url, no --sms-webhook-url: the developer's outbox, bodies shown
    process = start_signed_server(
        tmp_path_factory.mktemp("console-data"), log_dir, credentials_file
    )
    yield process
    process.stop()


@pytest.fixture(scope="module")
def admin(signed_server: ServerProcess, operator: tuple[str, str]) -> Iterator[Any]:
    client = boto3.client(
        "cognito-idp",
        endpoint_url=signed_server.base_url,
        region_name=REGION,
        aws_access_key_id=operator[0],
        aws_secret_access_key=operator[1],
    )
    yield client
    client.close()


def _pool_with_user(admin: Any) -> tuple[str, str, str]:
    """A pool, a CONFIRMED user with a verified email in it, and a group."""
    pool_id = admin.create_user_pool(PoolName=unique("console"))["UserPool"]["Id"]
    username, email = unique("ada"), new_email()
    admin.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    admin.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    admin.create_group(UserPoolId=pool_id, GroupName="operators")
    return pool_id, username, email


@contextlib.contextmanager
def _signed_in(base_url: str, key: tuple[str, str]) -> Iterator[httpx.Client]:
    """An HTTP client holding a console session of `key`."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        token = _csrf_of(http.get(f"{CONSOLE}/signin"))
        answer = http.post(
            f"{CONSOLE}/signin",
            data={"_csrf": token, "access_key_id": key[0], "secret_access_key": key[1]},
        )
        assert answer.status_code == 303 and answer.headers["location"] == f"{CONSOLE}/"
        yield http


def _csrf_of(page: httpx.Response) -> str:
    found = _CSRF.search(page.text)
    assert found is not None, page.text
    return found[1]


def _enabled(admin: Any, pool_id: str, username: str) -> bool:
    return bool(admin.admin_get_user(UserPoolId=pool_id, Username=username)["Enabled"])


# -- in the browser -------------------------------------------------------------------
def test_an_operator_signs_in_and_manages_a_user_in_the_browser(
    page: Any, shot: Any, signed_server: ServerProcess, admin: Any, operator: tuple[str, str]
) -> None:
    pool_id, username, email = _pool_with_user(admin)
    admin.admin_create_user(  # one the search must leave out
        UserPoolId=pool_id,
        Username=unique("bob"),
        UserAttributes=[{"Name": "email", "Value": new_email("other")}],
        MessageAction="SUPPRESS",
    )
    page.goto(f"{signed_server.base_url}{CONSOLE}/")
    expect(page.locator("h1")).to_have_text("Sign in")
    shot(page, "signin")
    page.fill("#accessKeyId", operator[0])
    page.fill("#secretAccessKey", operator[1])
    page.click("#signIn")
    expect(page.locator("h1")).to_have_text("User pools")
    expect(page.locator(".who")).to_contain_text(operator[0])
    shot(page, "pools")

    # the pool, and the user found by her email's prefix
    page.click(f"#pools a[href$='/pools/{pool_id}']")
    page.select_option("select[name=by]", "email")
    page.fill("#userSearch", email[:12])
    page.click("#searchUsers")
    expect(page.locator("#users tbody tr")).to_have_count(1)
    shot(page, "pool-search")
    page.click(f"#users a:text-is('{username}')")
    expect(page.locator("#status")).to_have_text("CONFIRMED")
    shot(page, "user")

    # reset: RESET_REQUIRED, and the code's message in the outbox list (the developer's
    # outbox: the body is shown)
    page.click("#resetPassword")
    expect(page.locator(".done")).to_contain_text("Password reset")
    expect(page.locator("#status")).to_have_text("RESET_REQUIRED")
    message = page.locator("#messages tbody tr").first
    expect(message).to_contain_text(email)
    expect(message.locator("td.body")).to_contain_text(re.compile(r"\d{6}"))
    shot(page, "user-reset")
    assert admin.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"] == (
        "RESET_REQUIRED"
    )

    page.click("#disableUser")
    expect(page.locator("#enabled")).to_have_text("no")
    shot(page, "user-disabled")
    assert not _enabled(admin, pool_id, username)
    page.click("#enableUser")
    expect(page.locator("#enabled")).to_have_text("yes")
    assert _enabled(admin, pool_id, username)

    page.select_option("#addToGroup select", "operators")
    page.click("#addToGroup button")
    expect(page.locator("#userGroups")).to_contain_text("operators")
    shot(page, "user-in-group")
    groups = admin.admin_list_groups_for_user(UserPoolId=pool_id, Username=username)["Groups"]
    assert [g["GroupName"] for g in groups] == ["operators"]

    # a new user, from the pool's page
    page.goto(f"{signed_server.base_url}{CONSOLE}/pools/{pool_id}")
    created = unique("grace")
    page.click("summary")
    page.fill("#createUser input[name=username]", created)
    page.fill("#createUser input[name=email]", new_email())
    page.click("#createUser button")
    expect(page.locator("h1")).to_have_text(created)
    expect(page.locator("#status")).to_have_text("FORCE_CHANGE_PASSWORD")
    expect(page.locator("#messages tbody tr").first).to_contain_text("invitation")
    shot(page, "user-created")
    got = admin.admin_get_user(UserPoolId=pool_id, Username=created)
    assert got["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_an_operation_error_is_shown_on_the_page_in_cognitos_words(
    signed_server: ServerProcess, admin: Any, operator: tuple[str, str]
) -> None:
    pool_id, username, _ = _pool_with_user(admin)
    with _signed_in(signed_server.base_url, operator) as http:
        user_page = f"{CONSOLE}/pools/{pool_id}/users/{username}"
        token = _csrf_of(http.get(user_page))
        answer = http.post(f"{user_page}/password", data={"_csrf": token, "password": "abcdefgh"})
        assert answer.status_code == 400
        assert "InvalidPasswordException: Password does not conform to policy" in answer.text
        # the model's own validation, as the API answers it
        long = http.post(f"{user_page}/password", data={"_csrf": token, "password": "A" * 300})
        assert long.status_code == 400
        assert "InvalidParameterException: 1 validation error detected" in long.text
        taken = http.post(
            f"{CONSOLE}/pools/{pool_id}/users", data={"_csrf": token, "username": username}
        )
        assert taken.status_code == 400
        assert "UsernameExistsException: User account already exists" in taken.text


# -- refusals -------------------------------------------------------------------------
def test_without_a_session_every_page_sends_to_the_sign_in_form(
    signed_server: ServerProcess, admin: Any
) -> None:
    pool_id, username, _ = _pool_with_user(admin)
    with httpx.Client(base_url=signed_server.base_url, timeout=30) as http:
        for path in ("/", f"/pools/{pool_id}", f"/pools/{pool_id}/users/{username}"):
            answer = http.get(CONSOLE + path)
            assert answer.status_code == 303
            assert answer.headers["location"] == f"{CONSOLE}/signin"
        form = http.get(f"{CONSOLE}/signin")
        assert form.status_code == 200 and 'id="secretAccessKey"' in form.text
        cookie = form.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/_console" in cookie
        # a pre-session (the sign-in form's CSRF token) opens no page
        assert http.get(f"{CONSOLE}/pools/{pool_id}").status_code == 303
        answer = http.post(
            f"{CONSOLE}/pools/{pool_id}/users/{username}/disabled",
            data={"_csrf": _csrf_of(form)},
        )
        assert answer.status_code == 303 and answer.headers["location"] == f"{CONSOLE}/signin"
    assert _enabled(admin, pool_id, username)


def test_a_wrong_secret_or_unknown_key_does_not_sign_in(
    signed_server: ServerProcess, operator: tuple[str, str]
) -> None:
    with httpx.Client(base_url=signed_server.base_url, timeout=30) as http:
        for key_id, secret in ((operator[0], operator[1][::-1]), ("AKIAUNKNOWN000000000", "x")):
            token = _csrf_of(http.get(f"{CONSOLE}/signin"))
            answer = http.post(
                f"{CONSOLE}/signin",
                data={"_csrf": token, "access_key_id": key_id, "secret_access_key": secret},
            )
            assert answer.status_code == 401
            assert "Incorrect access key id or secret access key." in answer.text
            assert http.get(f"{CONSOLE}/").status_code == 303
    logged = signed_server.stderr()
    assert "admin console: failed sign-in for key id 'AKIAUNKNOWN000000000'" in logged
    assert operator[1] not in logged


def test_a_sign_in_without_its_csrf_token_is_refused(
    signed_server: ServerProcess, operator: tuple[str, str]
) -> None:
    with httpx.Client(base_url=signed_server.base_url, timeout=30) as http:
        http.get(f"{CONSOLE}/signin")
        answer = http.post(
            f"{CONSOLE}/signin",
            data={"access_key_id": operator[0], "secret_access_key": operator[1]},
        )
        assert answer.status_code == 403
        assert http.get(f"{CONSOLE}/").status_code == 303


def test_a_form_without_the_sessions_csrf_token_changes_nothing(
    signed_server: ServerProcess, admin: Any, operator: tuple[str, str]
) -> None:
    pool_id, username, _ = _pool_with_user(admin)
    action = f"{CONSOLE}/pools/{pool_id}/users/{username}/disabled"
    with _signed_in(signed_server.base_url, operator) as http:
        for form in ({}, {"_csrf": "not-the-token"}):
            answer = http.post(action, data=form)
            assert answer.status_code == 403
            assert "did not come from this console" in answer.text
    assert _enabled(admin, pool_id, username)


def test_a_key_limited_to_one_pool_may_not_act_on_another(
    signed_server: ServerProcess, admin: Any, credentials_file: Path
) -> None:
    mine, _, _ = _pool_with_user(admin)
    other, username, _ = _pool_with_user(admin)
    arn = f"arn:aws:cognito-idp:{REGION}:*:userpool/{mine}"
    limited = create_credentials(credentials_file, "--name", "limited", "--resource", arn)
    with _signed_in(signed_server.base_url, limited) as http:
        assert http.get(f"{CONSOLE}/pools/{mine}").status_code == 200
        # the pool list names no pool: resource "*", which only "*" allows, as in IAM
        listing = http.get(f"{CONSOLE}/")
        assert "AccessDeniedException: User: arn:aws:iam::" in listing.text
        refused = http.get(f"{CONSOLE}/pools/{other}/users/{username}")
        assert refused.status_code == 403
        assert (
            "is not authorized to perform: cognito-idp:AdminGetUser on resource: "
            f"arn:aws:cognito-idp:{REGION}:" in refused.text
        )
        token = _csrf_of(http.get(f"{CONSOLE}/pools/{mine}"))
        answer = http.post(
            f"{CONSOLE}/pools/{other}/users/{username}/disabled", data={"_csrf": token}
        )
        assert answer.status_code == 403
        assert "is not authorized to perform: cognito-idp:AdminDisableUser" in answer.text
    assert _enabled(admin, other, username)


# -- the developer default -----------------------------------------------------------
def test_without_credentials_the_console_is_open_to_loopback_and_hides_codes_of_a_channel(
    base_url: str, cognito: Any, make_pool: Any
) -> None:
    """The shared server: no --admin-credentials, an SMTP channel configured."""
    pool_id = make_pool()
    username, email = unique("lin"), new_email()
    cognito.admin_create_user(
        UserPoolId=pool_id, Username=username, UserAttributes=[{"Name": "email", "Value": email}]
    )
    with httpx.Client(base_url=base_url, timeout=30) as http:
        user_page = http.get(f"{CONSOLE}/pools/{pool_id}/users/{username}")
        assert user_page.status_code == 200
        assert "Message bodies (codes) are not shown" in user_page.text
        assert "Your temporary password" in user_page.text  # the subject, not the body
        assert "temporary password is" not in user_page.text
        # its forms still need the session's CSRF token
        refused = http.post(f"{CONSOLE}/pools/{pool_id}/users/{username}/disabled", data={})
        assert refused.status_code == 403
        rebound = http.get(f"{CONSOLE}/", headers={"Host": "attacker.example"})
        assert rebound.status_code == 403
        assert "accepted only for a Host this server serves" in rebound.text
        framed = http.get(f"{CONSOLE}/", headers={"Origin": "http://attacker.example"})
        assert framed.status_code == 403
    assert cognito.admin_get_user(UserPoolId=pool_id, Username=username)["Enabled"]


def test_the_other_user_actions_and_listings(
    signed_server: ServerProcess, admin: Any, operator: tuple[str, str]
) -> None:
    pool_id, username, _ = _pool_with_user(admin)
    client_id = admin.create_user_pool_client(UserPoolId=pool_id, ClientName="console-app")[
        "UserPoolClient"
    ]["ClientId"]
    admin.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName="operators")
    pool_name = admin.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"]
    with _signed_in(signed_server.base_url, operator) as http:
        found = http.get(f"{CONSOLE}/", params={"q": pool_name})
        assert pool_id in found.text
        assert "No pools match." in http.get(f"{CONSOLE}/", params={"q": unique("none")}).text
        pool_page = http.get(f"{CONSOLE}/pools/{pool_id}", params={"q": username[:5]})
        assert client_id in pool_page.text and "console-app" in pool_page.text
        assert username in pool_page.text
        other = http.get(f"{CONSOLE}/pools/{pool_id}", params={"find": "nothing-like-it"})
        assert "No app clients match." in other.text and "No groups match." in other.text
        assert client_id not in other.text
        by_id = http.get(f"{CONSOLE}/pools/{pool_id}", params={"find": client_id})
        assert "console-app" in by_id.text
        user_page = f"{CONSOLE}/pools/{pool_id}/users/{username}"
        token = _csrf_of(http.get(user_page))

        def post(action: str, **form: str) -> httpx.Response:
            answer = http.post(f"{user_page}/{action}", data={"_csrf": token, **form})
            assert answer.status_code == 303, answer.text
            return http.get(answer.headers["location"])

        assert "User signed out of every session." in post("signed-out").text
        temporary = post("password", password="Tempor4ry-Pass!")
        assert 'id="status">FORCE_CHANGE_PASSWORD<' in temporary.text
        permanent = post("password", password="Perman3nt-Pass!", permanent="1")
        assert 'id="status">CONFIRMED<' in permanent.text
        assert "Removed from the group." in post("removed", group="operators").text
        assert (
            admin.admin_list_groups_for_user(UserPoolId=pool_id, Username=username)["Groups"] == []
        )
        assert http.post(f"{user_page}/unknown", data={"_csrf": token}).status_code == 404
        signed_out = http.post(f"{CONSOLE}/signout", data={"_csrf": token})
        assert signed_out.headers["location"] == f"{CONSOLE}/signin"
        assert http.get(f"{CONSOLE}/").status_code == 303


def test_a_users_page_lists_her_auth_events(
    signed_server: ServerProcess, admin: Any, operator: tuple[str, str]
) -> None:
    pool_id = admin.create_user_pool(
        PoolName=unique("audited"), UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"}
    )["UserPool"]["Id"]
    client_id = admin.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    username = unique("eve")
    admin.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    admin.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    admin.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )
    with _signed_in(signed_server.base_url, operator) as http:
        user_page = http.get(f"{CONSOLE}/pools/{pool_id}/users/{username}")
    events = user_page.text.split('id="events"', 1)[1].split("</table>", 1)[0]
    assert "<td>SignIn</td><td>Pass</td>" in events


def test_the_pool_list_is_of_one_region_as_listuserpools_is(
    signed_server: ServerProcess, operator: tuple[str, str]
) -> None:
    elsewhere = boto3.client(
        "cognito-idp",
        endpoint_url=signed_server.base_url,
        region_name="eu-west-1",
        aws_access_key_id=operator[0],
        aws_secret_access_key=operator[1],
    )
    name = unique("irish")
    pool_id = elsewhere.create_user_pool(PoolName=name)["UserPool"]["Id"]
    elsewhere.close()
    assert pool_id.startswith("eu-west-1_")
    with _signed_in(signed_server.base_url, operator) as http:
        assert pool_id not in http.get(f"{CONSOLE}/", params={"q": name}).text
        listed = http.get(f"{CONSOLE}/", params={"q": name, "region": "eu-west-1"})
        assert pool_id in listed.text
        assert name in http.get(f"{CONSOLE}/pools/{pool_id}").text
