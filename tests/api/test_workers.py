"""`recognito serve --workers N`: N processes share one port and one store, and behave as
one service: what is counted is counted once, whichever process answers."""

from __future__ import annotations

from pathlib import Path

from .support import PASSWORD, StartServer, awaiting_reset, open_boto_client
from .wire import race


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
        awaiting_reset(cognito, pool_id, "ana", PASSWORD)
    request = {
        "ClientId": client_id,
        "Username": "ana",
        "ConfirmationCode": "1234567",  # seven digits: never the code sent
        "Password": "N3w-Passw0rd!",
    }

    outcomes = race([server.base_url], "ConfirmForgotPassword", request)

    assert outcomes == {"CodeMismatchException": 5, "LimitExceededException": 95}
