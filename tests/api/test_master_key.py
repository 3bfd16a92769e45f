"""The master key as an operator meets it: `serve` refuses to start without the key a
database needs, and `recognito master-key rotate` re-seals everything under a new key
that the restarted server works with, while the old one opens nothing any more."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pyotp
from pycognito.aws_srp import AWSSRP

from tests.api.support import PASSWORD, App, StartServer, fetch_jwks, open_boto_client, verify_jwt
from tests.api.support.server import run_recognito, server_env
from tests.postgres import throwaway_database

FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def test_serve_on_postgresql_without_a_master_key_says_how_to_give_one(tmp_path: Path) -> None:
    with throwaway_database(f"recognito_nokey_{os.getpid()}_{uuid.uuid4().hex[:6]}") as url:
        done = run_recognito("serve", "--data-dir", str(tmp_path), "--database-url", url)
    assert done.returncode != 0
    assert done.stderr.strip().endswith(
        "recognito: PostgreSQL needs a master key: give it with --master-key-file FILE or "
        "RECOGNITO_MASTER_KEY (base64 of 32 random bytes, e.g. "
        "`head -c 32 /dev/urandom | base64`)"
    ), done.stderr


def test_after_rotation_everything_works_and_the_old_key_opens_nothing(
    private_server: StartServer, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    server = private_server(data)
    with open_boto_client(server.base_url) as cognito:
        pool_id = cognito.create_user_pool(PoolName="rotated")["UserPool"]["Id"]
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            MfaConfiguration="OPTIONAL",
            SoftwareTokenMfaConfiguration={"Enabled": True},
        )
        created = cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName="app", GenerateSecret=True, ExplicitAuthFlows=FLOWS
        )["UserPoolClient"]
        app = App(pool_id, created["ClientId"], created["ClientSecret"])
        cognito.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username="ann", Password=PASSWORD, Permanent=True
        )
        before = _srp(cognito, app)
        totp = cognito.associate_software_token(AccessToken=before["AccessToken"])["SecretCode"]
        jwks = fetch_jwks(server.base_url, pool_id)
    server.stop()
    old_key = (data / "master.key").read_text()

    done = run_recognito("master-key", "rotate", "--data-dir", str(data))

    assert done.returncode == 0, done.stderr
    assert "secrets re-sealed with master key" in done.stdout
    assert "clients.secret: 1 re-sealed" in done.stdout
    assert (data / "master.key").read_text() != old_key
    assert not (data / "master.key.new").exists()
    assert oct((data / "master.key").stat().st_mode & 0o777) == "0o600"

    again = private_server(data, port=server.port)  # the same issuer
    issuer = f"{again.base_url}/{pool_id}"
    with open_boto_client(again.base_url) as cognito:
        assert fetch_jwks(again.base_url, pool_id) == jwks
        verify_jwt(before["IdToken"], jwks, issuer)  # issued before, still good
        tokens = _srp(cognito, app)  # the SRP verifier opens
        verify_jwt(tokens["IdToken"], jwks, issuer)  # signed by the same key
        described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=app.client_id)
        assert described["UserPoolClient"]["ClientSecret"] == app.secret
        answer = cognito.verify_software_token(
            AccessToken=tokens["AccessToken"], UserCode=pyotp.TOTP(totp).now()
        )
        assert answer["Status"] == "SUCCESS"
    again.stop()

    env = {**server_env(), "RECOGNITO_MASTER_KEY": old_key.strip()}
    refused = run_recognito("serve", "--data-dir", str(data), "--port", "0", env=env)
    assert refused.returncode != 0
    assert "recognito: wrong master key: the database's secrets are sealed with master key" in (
        refused.stderr
    )


def _srp(cognito: object, app: App) -> dict[str, str]:
    srp = AWSSRP(
        username="ann",
        password=PASSWORD,
        pool_id=app.pool_id,
        client_id=app.client_id,
        client_secret=app.secret,
        client=cognito,
    )
    result: dict[str, str] = srp.authenticate_user()["AuthenticationResult"]
    return result
