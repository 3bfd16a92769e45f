"""The admin console's session and boundary, in-process with the movable clock: a session
lasts 30 minutes from the sign-in, a re-keyed pair ends it, and without credentials only
the admin API's callers (loopback, or anyone with --allow-remote-admin) get a page."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from starlette.testclient import TestClient

from recognito.app import create_app
from recognito.protocol.iam import AdminCredential, append, new_credential, toml_entry
from recognito.service.context import Services
from recognito.web.console import SESSION_SECONDS
from tests.service.conftest import Service

SERVED = "http://localhost"
LOOPBACK = ("127.0.0.1", 40000)
_CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


def _client(services: Services, address: tuple[str, int] = LOOPBACK) -> TestClient:
    return TestClient(create_app(services), client=address, base_url=SERVED, follow_redirects=False)


def _signed(service: Service, tmp_path: Path) -> tuple[Services, AdminCredential, Path]:
    path = tmp_path / "admin.toml"
    credential = new_credential("operator", ("*",), ("*",))
    append(path, credential)
    settings = replace(service.services.settings, admin_credentials=path)
    return replace(service.services, settings=settings), credential, path


def _sign_in(client: TestClient, credential: AdminCredential) -> None:
    form = client.get("/_console/signin")
    token = _CSRF.search(form.text)
    assert token is not None
    answer = client.post(
        "/_console/signin",
        data={
            "_csrf": token[1],
            "access_key_id": credential.access_key_id,
            "secret_access_key": credential.secret_access_key,
        },
    )
    assert answer.status_code == 303


def test_a_session_ends_thirty_minutes_after_the_sign_in(service: Service, tmp_path: Path) -> None:
    services, credential, _ = _signed(service, tmp_path)
    with _client(services) as client:
        _sign_in(client, credential)
        service.clock.advance(SESSION_SECONDS - 1)
        assert client.get("/_console/").status_code == 200
        service.clock.advance(1)
        answer = client.get("/_console/")
        assert (answer.status_code, answer.headers["location"]) == (303, "/_console/signin")


def test_a_pair_given_a_new_secret_ends_its_sessions(service: Service, tmp_path: Path) -> None:
    services, credential, path = _signed(service, tmp_path)
    with _client(services) as client:
        _sign_in(client, credential)
        assert client.get("/_console/").status_code == 200
        rekeyed = replace(credential, secret_access_key="z" * 40)
        path.write_text(toml_entry(rekeyed) + "# re-keyed\n")
        assert client.get("/_console/").status_code == 303


def test_without_credentials_a_remote_client_is_refused(service: Service) -> None:
    with _client(service.services, ("203.0.113.9", 40000)) as client:
        answer = client.get("/_console/")
    assert answer.status_code == 403
    assert "accepted only from this machine" in answer.text


def test_without_credentials_loopback_needs_no_sign_in(service: Service) -> None:
    with _client(service.services) as client:
        assert client.get("/_console/signin").headers["location"] == "/_console/"
        answer = client.get("/_console/")
        assert answer.status_code == 200 and "User pools" in answer.text
        assert client.get("/_console").headers["location"] == "/_console/"
        css = client.get("/_console/console.css")
        assert css.headers["content-type"].startswith("text/css")


def test_allow_remote_admin_opens_the_console_as_it_opens_the_api(service: Service) -> None:
    settings = replace(service.services.settings, allow_remote_admin=True)
    services = replace(service.services, settings=settings)
    with _client(services, ("203.0.113.9", 40000)) as client:
        assert client.get("/_console/").status_code == 200


def test_a_username_with_a_slash_has_its_page_and_actions(service: Service) -> None:
    pool_id = service("CreateUserPool", PoolName="slashes")["UserPool"]["Id"]
    service("AdminCreateUser", UserPoolId=pool_id, Username="a/b", MessageAction="SUPPRESS")
    user_page = f"/_console/pools/{pool_id}/users/a%2Fb"
    with _client(service.services) as client:
        shown = client.get(user_page)
        assert shown.status_code == 200 and "<h1>a/b</h1>" in shown.text
        token = _CSRF.search(shown.text)
        assert token is not None
        answer = client.post(f"{user_page}/disabled", data={"_csrf": token[1]})
        assert (answer.status_code, answer.headers["location"]) == (
            303,
            f"{user_page}?done=disabled",
        )
    got = service("AdminGetUser", UserPoolId=pool_id, Username="a/b")
    assert got["Enabled"] is False
