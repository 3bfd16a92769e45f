"""A burst of sign-ins cannot exhaust memory: each argon2 hash holds 19 MiB while it
runs, so the server hashes only as many passwords at once as it has cores."""

from __future__ import annotations

from pathlib import Path

from .support import StartServer, open_boto_client
from .wire import race

MIB = 1024 * 1024


def _peak_rss(pid: int) -> int:
    """The process's high-water mark of resident memory, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def test_a_hundred_concurrent_sign_ins_do_not_hold_a_hash_each(
    private_server: StartServer, tmp_path: Path
) -> None:
    server = private_server(tmp_path)
    with open_boto_client(server.base_url) as cognito:
        pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]
    before = _peak_rss(server.proc.pid)

    outcomes = race(
        [server.base_url],
        "InitiateAuth",
        {
            "ClientId": client_id,
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "nobody", "PASSWORD": "Any-Passw0rd!"},
        },
    )
    assert outcomes == {"UserNotFoundException": 100}

    # unbounded, the server's 40 worker threads held 40 hashes (760 MiB) at once
    assert _peak_rss(server.proc.pid) - before < 200 * MIB
