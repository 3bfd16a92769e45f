"""A small load benchmark, runnable against any Recognito (or Cognito-compatible) endpoint.

    python bench/load.py --endpoint http://127.0.0.1:9229 --requests 4000 --concurrency 16
    python bench/load.py --endpoint http://127.0.0.1:9229 --compare-moto

It creates a pool and a client, then times each phase — creating users (AdminCreateUser
+ AdminSetUserPassword), reads, a ListUsers filter, InitiateAuth, ForgotPassword — with
keep-alive connections from several threads, and prints requests per second and latency
percentiles. `--compare-moto` also starts moto_server (`pip install 'moto[server]'`) on a
free loopback port and runs the same phases against it, one after the other. Bounded in
count; send it only to your own server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlparse

PREFIX = "AWSCognitoIdentityProviderService."


class Api:
    def __init__(self, endpoint: str) -> None:
        url = urlparse(endpoint)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self._local = threading.local()

    def call(self, op: str, body: dict[str, Any]) -> dict[str, Any]:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": PREFIX + op}
        conn.request("POST", "/", json.dumps(body), headers)
        response = conn.getresponse()
        data = json.loads(response.read() or b"{}")
        if response.status != 200:
            raise RuntimeError(f"{op}: {response.status} {data}")
        return dict(data)


def run(name: str, fn: Callable[[int], object], requests: int, concurrency: int) -> float:
    latencies: list[float] = []
    lock = threading.Lock()

    def one(n: int) -> None:
        start = time.perf_counter()
        fn(n)
        elapsed = time.perf_counter() - start
        with lock:
            latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(requests)))
    total = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{name:<28} {requests / total:8.0f} req/s   p50 {q[49] * 1000:6.1f} ms"
        f"   p99 {q[98] * 1000:6.1f} ms   ({requests} requests, {concurrency} threads)",
        flush=True,
    )
    return requests / total


def phases(endpoint: str, n: int, c: int) -> dict[str, float]:
    """Every phase against one endpoint; requests per second by phase."""
    api = Api(endpoint)
    run_id = uuid.uuid4().hex[:8]
    pool_id = api.call("CreateUserPool", {"PoolName": f"bench-{run_id}"})["UserPool"]["Id"]
    client_id = api.call(
        "CreateUserPoolClient",
        {
            "UserPoolId": pool_id,
            "ClientName": "bench",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        },
    )["UserPoolClient"]["ClientId"]
    password = "Bench-Passw0rd!"
    users = max(n // 10, 50)

    def create(k: int) -> None:
        username = f"user{k}-{run_id}"
        api.call(
            "AdminCreateUser",
            {
                "UserPoolId": pool_id,
                "Username": username,
                "MessageAction": "SUPPRESS",
                "UserAttributes": [
                    {"Name": "email", "Value": f"{username}@example.com"},
                    {"Name": "email_verified", "Value": "true"},
                ],
            },
        )
        api.call(
            "AdminSetUserPassword",
            {"UserPoolId": pool_id, "Username": username, "Password": password, "Permanent": True},
        )

    rates = {"create + set password (users)": run("create + set password", create, users, c)}
    username = f"user0-{run_id}"

    def login(k: int) -> dict[str, Any]:
        return api.call(
            "InitiateAuth",
            {
                "ClientId": client_id,
                "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": f"user{k % users}-{run_id}", "PASSWORD": password},
            },
        )

    access = login(0)["AuthenticationResult"]["AccessToken"]
    rates["AdminGetUser"] = run(
        "AdminGetUser",
        lambda _: api.call("AdminGetUser", {"UserPoolId": pool_id, "Username": username}),
        n,
        c,
    )
    rates["GetUser"] = run("GetUser", lambda _: api.call("GetUser", {"AccessToken": access}), n, c)
    rates["ListUsers email filter"] = run(
        "ListUsers email filter",
        lambda k: api.call(
            "ListUsers",
            {"UserPoolId": pool_id, "Filter": f'email = "user{k % users}-{run_id}@example.com"'},
        ),
        n,
        c,
    )
    rates["InitiateAuth USER_PASSWORD_AUTH"] = run("InitiateAuth", login, users, c)
    rates["ForgotPassword"] = run(
        "ForgotPassword",
        lambda k: api.call(
            "ForgotPassword", {"ClientId": client_id, "Username": f"user{k % users}-{run_id}"}
        ),
        min(n, users * 10),  # within the hourly cap of every user
        c,
    )
    return rates


def _moto_server() -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=1).read()
            return proc, endpoint
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("moto_server did not start (pip install 'moto[server]')")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default="http://127.0.0.1:9229")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--compare-moto", action="store_true")
    args = parser.parse_args()
    print(f"== {args.endpoint}")
    ours = phases(args.endpoint, args.requests, args.concurrency)
    if not args.compare_moto:
        return
    proc, endpoint = _moto_server()
    try:
        print(f"== moto_server at {endpoint}")
        theirs = phases(endpoint, args.requests, args.concurrency)
    finally:
        proc.terminate()
        proc.wait()
    print(f"\n{'phase':<34} {'Recognito':>10} {'moto':>10} {'ratio':>7}")
    for name, rate in ours.items():
        print(f"{name:<34} {rate:10.0f} {theirs[name]:10.0f} {rate / theirs[name]:6.2f}x")


if __name__ == "__main__":
    main()
