"""`recognito serve --workers N`: N processes share one port and one store, and behave as
one service: what is counted is counted once, whichever process answers."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from .support import PASSWORD, StartServer, open_boto_client

TARGET = "AWSCognitoIdentityProviderService."


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def test_worker_processes_share_the_port_and_the_counts(
    private_server: StartServer, tmp_path: Path
) -> None:
    server = private_server(tmp_path, extra_args=["--workers", "3"])
    workers = [
        child
        for child in _children(server.proc.pid)
        if b"multiprocessing" in Path(f"/proc/{child}/cmdline").read_bytes()
        and b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()
    ]
    assert len(workers) == 3
    with open_boto_client(server.base_url) as cognito:
        pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
        client_id = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
            "UserPoolClient"
        ]["ClientId"]
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username="ana",
            UserAttributes=[
                {"Name": "email", "Value": "ana@example.com"},
                {"Name": "email_verified", "Value": "true"},
            ],
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username="ana", Password=PASSWORD, Permanent=True
        )
        cognito.admin_reset_user_password(UserPoolId=pool_id, Username="ana")
    request = {
        "ClientId": client_id,
        "Username": "ana",
        "ConfirmationCode": "1234567",  # seven digits: never the code sent
        "Password": "N3w-Passw0rd!",
    }

    def confirm(_: int) -> str:
        with httpx.Client() as http:  # a connection of its own: any worker may take it
            answer = http.post(
                server.base_url,
                json=request,
                headers={
                    "X-Amz-Target": TARGET + "ConfirmForgotPassword",
                    "Content-Type": "application/x-amz-json-1.1",
                },
                timeout=60,
            )
        return str(answer.json().get("__type", answer.status_code))

    with ThreadPoolExecutor(100) as racers:
        outcomes = Counter(racers.map(confirm, range(100)))

    assert outcomes == {"CodeMismatchException": 5, "LimitExceededException": 95}
