"""https: --tls-self-signed makes a certificate clients can trust; --tls-cert serves the
operator's; tokens name an https issuer."""

from __future__ import annotations

import ssl
from pathlib import Path

import boto3
import httpx
import pytest
from botocore.config import Config

from tests.api.support import PASSWORD, StartServer, unverified_claims
from tests.api.support.names import unique
from tests.api.support.server import run_recognito


def _client(base_url: str, ca_bundle: Path | bool) -> object:
    return boto3.client(
        "cognito-idp",
        endpoint_url=base_url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        verify=str(ca_bundle) if isinstance(ca_bundle, Path) else ca_bundle,
        config=Config(retries={"max_attempts": 1}),
    )


def test_self_signed_certificate_is_trusted_as_printed_and_kept(
    private_server: StartServer, tmp_path: Path
) -> None:
    server = private_server(tmp_path, extra_args=["--tls-self-signed"])
    cert = tmp_path / "tls" / "cert.pem"
    assert f"clients trust it with AWS_CA_BUNDLE={cert}" in server.stdout()
    assert server.base_url.startswith("https://")

    cognito = _client(server.base_url, cert)
    pool_id = cognito.create_user_pool(PoolName=unique("tls"))["UserPool"]["Id"]  # type: ignore[attr-defined]
    client_id = cognito.create_user_pool_client(  # type: ignore[attr-defined]
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    cognito.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")  # type: ignore[attr-defined]
    cognito.admin_set_user_password(  # type: ignore[attr-defined]
        UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True
    )
    tokens = cognito.initiate_auth(  # type: ignore[attr-defined]
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    issuer = unverified_claims(tokens["IdToken"])["iss"]
    assert issuer == f"https://127.0.0.1:{server.port}/{pool_id}"
    # the issuer's discovery document is served over the same trusted https
    trusted = ssl.create_default_context(cafile=str(cert))
    discovery = httpx.get(f"{issuer}/.well-known/openid-configuration", verify=trusted)
    assert discovery.json()["jwks_uri"].startswith("https://")

    # without the certificate, a client refuses the connection
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.base_url}/health")

    # a restart keeps the certificate it made
    before = cert.read_bytes()
    server.stop()
    private_server(tmp_path, port=server.port, extra_args=["--tls-self-signed"])
    assert cert.read_bytes() == before
    assert (tmp_path / "tls" / "key.pem").stat().st_mode & 0o077 == 0


def test_operator_certificate_is_served(private_server: StartServer, tmp_path: Path) -> None:
    from recognito.crypto.certificates import self_signed

    made = self_signed(["127.0.0.1"])
    (tmp_path / "c.pem").write_bytes(made.cert_pem)
    (tmp_path / "k.pem").write_bytes(made.key_pem)
    server = private_server(
        tmp_path / "data",
        extra_args=["--tls-cert", str(tmp_path / "c.pem"), "--tls-key", str(tmp_path / "k.pem")],
    )
    context = ssl.create_default_context(cafile=str(tmp_path / "c.pem"))
    assert httpx.get(f"{server.base_url}/health", verify=context).status_code == 200


def test_certificate_without_key_is_refused_at_start(tmp_path: Path) -> None:

    (tmp_path / "c.pem").write_text("x")
    result = run_recognito(
        "serve", "--data-dir", str(tmp_path), "--tls-cert", str(tmp_path / "c.pem")
    )
    assert result.returncode != 0
    assert "--tls-cert and --tls-key go together" in result.stderr
