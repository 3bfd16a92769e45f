"""A small load benchmark, runnable against any Recognito (or Cognito-compatible) endpoint.

    python bench/load.py --endpoint http://127.0.0.1:9229 --requests 4000 --concurrency 16

It creates a pool, a client and a user, then times a few request kinds with
keep-alive connections from several threads, and prints requests per second
and latency percentiles. Bounded in count; send it only to your own server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
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


def run(name: str, fn: Callable[[], object], requests: int, concurrency: int) -> None:
    latencies: list[float] = []
    lock = threading.Lock()

    def one(_: int) -> None:
        start = time.perf_counter()
        fn()
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
        f"   p99 {q[98] * 1000:6.1f} ms   ({requests} requests, {concurrency} threads)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default="http://127.0.0.1:9229")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    api = Api(args.endpoint)
    pool_id = api.call("CreateUserPool", {"PoolName": "bench"})["UserPool"]["Id"]
    client_id = api.call(
        "CreateUserPoolClient",
        {
            "UserPoolId": pool_id,
            "ClientName": "bench",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        },
    )["UserPoolClient"]["ClientId"]
    username, password = f"bench-{uuid.uuid4().hex[:8]}", "Bench-Passw0rd!"
    api.call(
        "AdminCreateUser",
        {"UserPoolId": pool_id, "Username": username, "MessageAction": "SUPPRESS"},
    )
    api.call(
        "AdminSetUserPassword",
        {"UserPoolId": pool_id, "Username": username, "Password": password, "Permanent": True},
    )
    login = {
        "ClientId": client_id,
        "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": username, "PASSWORD": password},
    }
    access = api.call("InitiateAuth", login)["AuthenticationResult"]["AccessToken"]
    n, c = args.requests, args.concurrency
    run("DescribeUserPool", lambda: api.call("DescribeUserPool", {"UserPoolId": pool_id}), n, c)
    run(
        "AdminGetUser",
        lambda: api.call("AdminGetUser", {"UserPoolId": pool_id, "Username": username}),
        n,
        c,
    )
    run("GetUser (access token)", lambda: api.call("GetUser", {"AccessToken": access}), n, c)
    run("InitiateAuth (argon2id)", lambda: api.call("InitiateAuth", login), max(n // 10, 50), c)


if __name__ == "__main__":
    main()
