"""`recognito outbox`: with no SMTP or SMS webhook configured, messages stay in the outbox."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from .support import (
    PASSWORD,
    REPO_ROOT,
    App,
    StartServer,
    as_attributes,
    new_email,
    new_phone,
    open_boto_client,
    server_env,
    unique,
)

VERIFICATION_RE = re.compile(r"Your verification code is (\d{6})")


def outbox(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recognito", "outbox", "--data-dir", str(data_dir), *args],
        cwd=REPO_ROOT,
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def client_of(cognito: Any, pool_id: str) -> App:
    client = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="outbox")
    return App(pool_id, client["UserPoolClient"]["ClientId"])


def sign_up(cognito: Any, app: App, attribute: str, value: str) -> str:
    username = unique("outboxed")
    cognito.sign_up(
        ClientId=app.client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=as_attributes({attribute: value}),
    )
    return username


def test_outbox_lists_messages_when_nothing_is_configured(
    private_server: StartServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    server = private_server(data_dir)
    email, phone = new_email("kept"), new_phone()
    with open_boto_client(server.base_url) as cognito:
        email_pool = cognito.create_user_pool(
            PoolName=unique("outbox"), AutoVerifiedAttributes=["email"]
        )["UserPool"]["Id"]
        sms_pool = cognito.create_user_pool(
            PoolName=unique("outbox"), AutoVerifiedAttributes=["phone_number"]
        )["UserPool"]["Id"]
        email_app = client_of(cognito, email_pool)
        username = sign_up(cognito, email_app, "email", email)
        sign_up(cognito, client_of(cognito, sms_pool), "phone_number", phone)

        everything = outbox(data_dir)
        for_email = outbox(data_dir, "--to", email)

        assert everything.returncode == 0, everything.stderr
        assert email in everything.stdout
        assert phone in everything.stdout
        assert for_email.returncode == 0, for_email.stderr
        assert email in for_email.stdout
        assert phone not in for_email.stdout
        code = VERIFICATION_RE.search(for_email.stdout)
        assert code is not None, for_email.stdout
        cognito.confirm_sign_up(
            ClientId=email_app.client_id, Username=username, ConfirmationCode=code.group(1)
        )
        user = cognito.admin_get_user(UserPoolId=email_pool, Username=username)
        assert user["UserStatus"] == "CONFIRMED"
