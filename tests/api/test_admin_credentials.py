"""A server started with --admin-credentials: admin calls are SigV4-verified (boto3 with
right, wrong, unknown and stale credentials; a presigned URL) and limited by each
credential's allow lists; public calls stay unsigned. Also what `serve` refuses and what
`recognito credentials create` writes."""

from __future__ import annotations

import contextlib
import subprocess
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import botocore.auth
import httpx
import pytest
from botocore import UNSIGNED
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from tests.api.support.server import run_recognito

from .support import ServerProcess, cognito_error, unique
from .support.clients import REGION
from .support.names import PASSWORD, free_port
from .support.server import create_credentials, start_signed_server

MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check "
    "your AWS Secret Access Key and signing method. Consult the service documentation for "
    "details."
)
TARGET = "AWSCognitoIdentityProviderService."
JSON = "application/x-amz-json-1.1"


@pytest.fixture(scope="module")
def credentials_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("admin") / "credentials.toml"


@pytest.fixture(scope="module")
def admin_keys(credentials_file: Path) -> tuple[str, str]:
    return create_credentials(credentials_file, "--name", "ci")


@pytest.fixture(scope="module")
def signed_server(
    tmp_path_factory: pytest.TempPathFactory,
    log_dir: Path,
    credentials_file: Path,
    admin_keys: tuple[str, str],
) -> Iterator[ServerProcess]:
    process = start_signed_server(tmp_path_factory.mktemp("data"), log_dir, credentials_file)
    yield process
    process.stop()


@contextlib.contextmanager
def _client(server: ServerProcess, key_id: str, secret: str, **options: Any) -> Iterator[Any]:
    client = boto3.client(
        "cognito-idp",
        endpoint_url=server.base_url,
        region_name=REGION,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        **options,
    )
    try:
        yield client
    finally:
        client.close()


@pytest.fixture(scope="module")
def admin(signed_server: ServerProcess, admin_keys: tuple[str, str]) -> Iterator[Any]:
    with _client(signed_server, *admin_keys) as client:
        yield client


def _pool(admin: Any) -> str:
    return str(admin.create_user_pool(PoolName=unique("pool"))["UserPool"]["Id"])


def test_the_right_credentials_are_served(admin: Any) -> None:
    pool_id = _pool(admin)
    described = admin.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["Id"] == pool_id


def test_a_wrong_secret_is_an_invalid_signature(
    signed_server: ServerProcess, admin_keys: tuple[str, str]
) -> None:
    key_id, secret = admin_keys
    with _client(signed_server, key_id, secret[::-1]) as client:
        with cognito_error("InvalidSignatureException", MISMATCH):
            client.list_user_pools(MaxResults=5)


def test_an_unknown_key_id_is_unrecognized(
    signed_server: ServerProcess, admin_keys: tuple[str, str]
) -> None:
    with _client(signed_server, "AKIAUNKNOWNUNKNOWN00", admin_keys[1]) as client:
        with cognito_error(
            "UnrecognizedClientException", "The security token included in the request is invalid."
        ):
            client.list_user_pools(MaxResults=5)


def test_a_stale_signature_is_expired(
    signed_server: ServerProcess, admin_keys: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the client's clock, ten minutes slow: botocore signs with this time
    signed_at = datetime.now(UTC) - timedelta(minutes=10)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: signed_at)
    with _client(signed_server, *admin_keys) as client:
        with cognito_error("InvalidSignatureException") as info:
            client.list_user_pools(MaxResults=5)
    message = info.value.response["Error"]["Message"]
    assert message.startswith(f"Signature expired: {signed_at:%Y%m%dT%H%M%SZ} is now earlier than")
    assert message.endswith(" - 5 min.)")


def test_an_unsigned_admin_call_is_missing_its_token(signed_server: ServerProcess) -> None:
    with _client(signed_server, "x", "x", config=Config(signature_version=UNSIGNED)) as client:
        with cognito_error("MissingAuthenticationTokenException", "Missing Authentication Token"):
            client.list_user_pools(MaxResults=5)


def _presigned_url(server: ServerProcess, keys: tuple[str, str], operation: str, **kw: Any) -> str:
    """A presigned POST URL for `operation`, made before the body is known: signed as for
    https with payload signing off (UNSIGNED-PAYLOAD); the Host and the signature do not
    depend on the scheme."""
    request = AWSRequest(
        "POST",
        f"https://127.0.0.1:{server.port}/",
        headers={"X-Amz-Target": TARGET + operation, "Content-Type": JSON},
    )
    request.context["payload_signing_enabled"] = False
    auth = botocore.auth.SigV4QueryAuth(Credentials(*keys), "cognito-idp", REGION, **kw)
    auth.add_auth(request)
    return f"{server.base_url}/?{request.url.partition('?')[2]}"


def _post(url: str, operation: str, body: str) -> httpx.Response:
    headers = {"X-Amz-Target": TARGET + operation, "Content-Type": JSON}
    return httpx.post(url, content=body, headers=headers, timeout=10)


def test_a_presigned_url_is_served(
    signed_server: ServerProcess, admin_keys: tuple[str, str], admin: Any
) -> None:
    pool_id = _pool(admin)
    url = _presigned_url(signed_server, admin_keys, "DescribeUserPool", expires=60)
    response = _post(url, "DescribeUserPool", f'{{"UserPoolId": "{pool_id}"}}')
    assert response.status_code == 200, response.text
    assert response.json()["UserPool"]["Id"] == pool_id
    # the signature names its operation: the URL does not serve another
    response = _post(url, "DeleteUserPool", f'{{"UserPoolId": "{pool_id}"}}')
    assert response.json()["__type"] == "InvalidSignatureException"


def test_an_expired_presigned_url_is_refused(
    signed_server: ServerProcess, admin_keys: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_at = datetime.now(UTC) - timedelta(seconds=120)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: signed_at)
    url = _presigned_url(signed_server, admin_keys, "ListUserPools", expires=60)
    response = _post(url, "ListUserPools", '{"MaxResults": 5}')
    assert response.status_code == 400
    assert response.json()["__type"] == "InvalidSignatureException"
    assert response.json()["message"].endswith(" - 60 sec.)")


def test_a_limited_credential_is_denied_other_actions_and_pools(
    signed_server: ServerProcess, credentials_file: Path, admin: Any
) -> None:
    mine, other = _pool(admin), _pool(admin)
    # appended while the server runs: it reads the file again when it changes
    keys = create_credentials(
        credentials_file,
        "--action",
        "cognito-idp:List*",
        "--action",
        "cognito-idp:AdminGetUser",
        "--resource",
        f"arn:aws:cognito-idp:*:*:userpool/{mine}",
    )
    with _client(signed_server, *keys) as limited:
        assert limited.list_users(UserPoolId=mine)["Users"] == []
        principal = f"arn:aws:iam::000000000000:user/{keys[0]}"
        denied = (
            f"User: {principal} is not authorized to perform: cognito-idp:ListUsers on "
            f"resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool/{other} because "
            "no identity-based policy allows the cognito-idp:ListUsers action"
        )
        with cognito_error("AccessDeniedException", denied):
            limited.list_users(UserPoolId=other)
        with cognito_error("AccessDeniedException"):
            limited.admin_create_user(UserPoolId=mine, Username=unique("user"))
        with cognito_error("AccessDeniedException"):  # on no pool: resource "*"
            limited.list_user_pools(MaxResults=5)


def test_public_operations_stay_unsigned(signed_server: ServerProcess, admin: Any) -> None:
    pool_id = _pool(admin)
    client_id = admin.create_user_pool_client(UserPoolId=pool_id, ClientName="web")[
        "UserPoolClient"
    ]["ClientId"]
    with _client(signed_server, "x", "x", config=Config(signature_version=UNSIGNED)) as public:
        signed_up = public.sign_up(ClientId=client_id, Username=unique("user"), Password=PASSWORD)
    assert signed_up["UserConfirmed"] is False


def test_the_credentials_file_holds_what_create_printed(
    credentials_file: Path, admin_keys: tuple[str, str]
) -> None:
    entries = tomllib.loads(credentials_file.read_text())["credential"]
    first = entries[0]
    assert (first["name"], first["access_key_id"], first["secret_access_key"]) == (
        "ci",
        *admin_keys,
    )
    assert (first["actions"], first["resources"]) == (["*"], ["*"])
    assert credentials_file.stat().st_mode & 0o077 == 0


def _serve_exit(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return run_recognito("serve", "--port", str(free_port()), "--data-dir", str(data_dir), *args)


def test_serve_off_loopback_without_credentials_refuses_to_start(tmp_path: Path) -> None:
    done = _serve_exit("--host", "0.0.0.0", data_dir=tmp_path)
    assert done.returncode == 1
    assert "--host 0.0.0.0 is reachable from other machines" in done.stderr
    assert "--admin-credentials FILE" in done.stderr


def test_serve_refuses_an_unreadable_credentials_file(tmp_path: Path) -> None:
    bad = tmp_path / "creds.toml"
    bad.write_text("[[credential]]\naccess_key_id = 'A'\n")
    done = _serve_exit("--admin-credentials", str(bad), data_dir=tmp_path)
    assert done.returncode == 1
    assert "access_key_id and secret_access_key are required" in done.stderr


def test_the_developer_default_warns_once_at_start(server: ServerProcess) -> None:
    warning = "warning: admin operations are not authenticated (no --admin-credentials)"
    assert server.stdout().count(warning) == 1
