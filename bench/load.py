"""A small load benchmark, runnable against any Recognito (or Cognito-compatible) endpoint.

    python bench/load.py --endpoint http://127.0.0.1:9229 --requests 4000 --concurrency 16
    python bench/load.py --endpoint http://127.0.0.1:9229 --compare-moto
    python bench/load.py --phases bigpool --pool-users 100000 --server-pid 1234

It creates a pool and a client, then times each phase — creating users (AdminCreateUser
+ AdminSetUserPassword), reads, a ListUsers filter, InitiateAuth, ForgotPassword — with
keep-alive connections from several threads, and prints requests per second and latency
percentiles, errors, and the machine's argon2id ceiling (`--json FILE` writes them too).
`--compare-moto` also starts moto_server (`pip install 'moto[server]'`) on a
free loopback port and runs the same phases against it, one after the other.

The `bigpool` phase (only when named in `--phases`) fills a pool of `--pool-users` users
(AdminCreateUser without a password and with MessageAction=SUPPRESS: no hashing), then
times ListUsers filters whose cost should not grow with the pool, and one walk through
every user with PaginationToken. `--server-pid` (the serve process; its worker processes
are found under it) samples their resident memory during the run and reports the peak.
Bounded in count; send it only to your own server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
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
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlparse

import gmpy2

PREFIX = "AWSCognitoIdentityProviderService."
IDLE_REUSE = 2.0  # seconds a keep-alive connection is reused after its last call


class Api:
    def __init__(self, endpoint: str) -> None:
        url = urlparse(endpoint)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self._local = threading.local()

    def call(self, op: str, body: dict[str, Any]) -> dict[str, Any]:
        conn = getattr(self._local, "conn", None)
        # servers close keep-alive connections idle for a few seconds (uvicorn: 5 s)
        if conn is None or time.monotonic() - self._local.used > IDLE_REUSE:
            if conn is not None:
                conn.close()
            conn = self._local.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self._local.used = time.monotonic()
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": PREFIX + op}
        conn.request("POST", "/", json.dumps(body), headers)
        response = conn.getresponse()
        data = json.loads(response.read() or b"{}")
        if response.status != 200:
            raise RuntimeError(f"{op}: {response.status} {data}")
        return dict(data)


def run(name: str, fn: Callable[[int], object], requests: int, concurrency: int) -> Result:
    """`requests` calls of `fn` from `concurrency` threads; a failed call counts as an error."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def one(n: int) -> None:
        nonlocal errors
        start = time.perf_counter()
        try:
            fn(n)
        except (RuntimeError, OSError, http.client.HTTPException):
            with lock:
                errors += 1
            return
        elapsed = time.perf_counter() - start
        with lock:
            latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(requests)))
    total = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    result = Result(len(latencies) / total, q[49] * 1000, q[98] * 1000, errors)
    print(
        f"{name:<28} {result.ok_per_second:8.0f} ok/s   p50 {result.p50_ms:6.1f} ms"
        f"   p99 {result.p99_ms:6.1f} ms   errors {errors}"
        f"   ({requests} requests, {concurrency} threads)",
        flush=True,
    )
    return result


@dataclass(frozen=True)
class Result:
    ok_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def hash_ceiling(seconds: float = 3.0) -> float:
    """argon2id verifications per second this machine does with every core verifying at
    once, at the standard parameters: the most any password sign-in can reach. Measured,
    not derived from one verification's time, as cores share memory bandwidth."""
    from recognito.crypto.passwords import PROFILES

    hasher = PROFILES["standard"]
    stored = hasher.hash("Bench-Passw0rd!")
    cores = os.cpu_count() or 1
    deadline = time.perf_counter() + seconds

    def verify_until_deadline(_: int) -> int:
        done = 0
        while time.perf_counter() < deadline:
            hasher.verify(stored, "Bench-Passw0rd!")  # argon2 releases the GIL
            done += 1
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(cores) as pool:
        done = sum(pool.map(verify_until_deadline, range(cores)))
    return done / (time.perf_counter() - started)


ALL_PHASES = ("create", "reads", "list", "auth", "srp", "forgot", "bigpool")
DEFAULT_PHASES = ALL_PHASES[:-1]


def phases(
    endpoint: str,
    n: int,
    c: int,
    wanted: tuple[str, ...] = DEFAULT_PHASES,
    pool_users: int = 0,
    bigpool_id: str | None = None,
) -> dict[str, Result]:
    """The wanted phases against one endpoint; requests per second by phase."""
    api = Api(endpoint)
    rates: dict[str, Result] = {}
    if "bigpool" in wanted:
        rates.update(big_pool(api, pool_users, n, c, bigpool_id))
        wanted = tuple(w for w in wanted if w != "bigpool")
    if not wanted:
        return rates
    run_id = uuid.uuid4().hex[:8]
    pool_id = api.call("CreateUserPool", {"PoolName": f"bench-{run_id}"})["UserPool"]["Id"]
    client_id = api.call(
        "CreateUserPoolClient",
        {
            "UserPoolId": pool_id,
            "ClientName": "bench",
            "ExplicitAuthFlows": [
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
            ],
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

    # every other phase needs the users: they are always created
    rates["create + set password (users)"] = run("create + set password", create, users, c)
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

    if "reads" in wanted:
        access = login(0)["AuthenticationResult"]["AccessToken"]
        rates["AdminGetUser"] = run(
            "AdminGetUser",
            lambda _: api.call("AdminGetUser", {"UserPoolId": pool_id, "Username": username}),
            n,
            c,
        )
        rates["GetUser"] = run(
            "GetUser", lambda _: api.call("GetUser", {"AccessToken": access}), n, c
        )
    if "list" in wanted:
        rates["ListUsers email filter"] = run(
            "ListUsers email filter",
            lambda k: api.call(
                "ListUsers",
                {
                    "UserPoolId": pool_id,
                    "Filter": f'email = "user{k % users}-{run_id}@example.com"',
                },
            ),
            n,
            c,
        )
    if "auth" in wanted:
        rates["InitiateAuth USER_PASSWORD_AUTH"] = run("InitiateAuth", login, users, c)
    if "srp" in wanted:
        rates["USER_SRP_AUTH (both steps)"] = run(
            "USER_SRP_AUTH (both steps)",
            lambda k: srp_sign_in(api, pool_id, client_id, f"user{k % users}-{run_id}", password),
            users,
            c,
        )
    if "forgot" in wanted:
        rates["ForgotPassword"] = run(
            "ForgotPassword",
            lambda k: api.call(
                "ForgotPassword", {"ClientId": client_id, "Username": f"user{k % users}-{run_id}"}
            ),
            min(n, users * 10),  # within the hourly cap of every user
            c,
        )
    return rates


def srp_sign_in(api: Api, pool_id: str, client_id: str, username: str, password: str) -> None:
    """USER_SRP_AUTH as Amplify does it: InitiateAuth with SRP_A, then the
    PASSWORD_VERIFIER answer (the client's math by pycognito, as an app would use it)."""
    from pycognito import aws_srp
    from pycognito.aws_srp import AWSSRP

    # the client's modular exponentiations through gmpy2 (pycognito calls the built-in
    # pow): in pure Python they take the load generator's cores and bound the phase
    aws_srp.pow = _gmp_pow
    srp = AWSSRP(username, password, pool_id, client_id, client=_NO_BOTO_CLIENT)
    auth = srp.get_auth_params()
    challenge = api.call(
        "InitiateAuth",
        {"ClientId": client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": auth},
    )
    answer = srp.process_challenge(challenge["ChallengeParameters"], auth)
    tokens = api.call(
        "RespondToAuthChallenge",
        {"ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": answer},
    )
    if "AuthenticationResult" not in tokens:
        raise RuntimeError(f"USER_SRP_AUTH: no tokens: {tokens}")


def _gmp_pow(base: int, exponent: int, modulus: int | None = None) -> int:
    if modulus is None:
        return int(base**exponent)
    return int(gmpy2.powmod(base, exponent, modulus))


_NO_BOTO_CLIENT = object()  # AWSSRP's math needs no AWS client; the bench speaks HTTP itself


GIVEN_NAMES = ("Ada", "Alan", "Barbara", "Claude", "Donald", "Edsger", "Grace", "John")


def big_pool(api: Api, size: int, n: int, c: int, pool_id: str | None = None) -> dict[str, Result]:
    """A pool of `size` users (or `pool_id`, seeded so by an earlier run), then ListUsers
    whose cost should not depend on `size`: an exact filter (one match), a prefix with ten
    matches, the first page of a prefix that matches an eighth of the pool, and one walk
    through every user."""
    rates: dict[str, Result] = {}
    if pool_id is None:
        pool_id = _seeded_pool(api, size, c, rates)
    _listings(api, pool_id, size, n, c, rates)
    return rates


def _seeded_pool(api: Api, size: int, c: int, rates: dict[str, Result]) -> str:
    run_id = uuid.uuid4().hex[:8]
    pool_id = api.call("CreateUserPool", {"PoolName": f"bigpool-{run_id}"})["UserPool"]["Id"]

    def create(k: int) -> None:
        api.call(
            "AdminCreateUser",
            {
                "UserPoolId": pool_id,
                "Username": f"u{k:07d}",
                "MessageAction": "SUPPRESS",  # and no password: nothing to hash
                "UserAttributes": [
                    {"Name": "email", "Value": f"u{k:07d}@example.com"},
                    {"Name": "given_name", "Value": GIVEN_NAMES[k % len(GIVEN_NAMES)]},
                ],
            },
        )

    rates[f"seed {size} users"] = run(f"seed {size} users", create, size, c)
    print(f"(bigpool {pool_id}: --bigpool-id {pool_id} reuses it)", flush=True)
    return str(pool_id)


def _listings(api: Api, pool_id: str, size: int, n: int, c: int, rates: dict[str, Result]) -> None:
    def listing(label: str, filter_of: Callable[[int], str]) -> None:
        def one(k: int) -> None:
            found = api.call(
                "ListUsers", {"UserPoolId": pool_id, "Filter": filter_of(k * 7919 % size)}
            )
            if not found["Users"]:
                raise RuntimeError(f"{label}: nothing found")

        rates[label] = run(label, one, n, c)

    listing("ListUsers email =", lambda k: f'email = "u{k:07d}@example.com"')
    listing("ListUsers username ^= (10)", lambda k: f'username ^= "u{k // 10:06d}"')
    listing("ListUsers given_name ^= page", lambda k: f'given_name ^= "{GIVEN_NAMES[k % 8][:2]}"')
    rates["ListUsers walk (per page)"] = walk(api, pool_id, size)


def walk(api: Api, pool_id: str, size: int) -> Result:
    """One client pages through the whole pool, 60 users at a time; every user once."""
    seen: set[str] = set()
    latencies: list[float] = []
    token = None
    started = time.perf_counter()
    while True:
        page_started = time.perf_counter()
        body: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 60}
        if token:
            body["PaginationToken"] = token
        page = api.call("ListUsers", body)
        latencies.append(time.perf_counter() - page_started)
        seen.update(u["Username"] for u in page["Users"])
        token = page.get("PaginationToken")
        if not token:
            break
    total = time.perf_counter() - started
    errors = 0 if len(seen) == size else 1
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    result = Result(len(latencies) / total, q[49] * 1000, q[98] * 1000, errors)
    print(
        f"{'ListUsers walk':<28} {result.ok_per_second:8.0f} pages/s p50 {result.p50_ms:6.1f} ms"
        f"   p99 {result.p99_ms:6.1f} ms   {len(seen)} of {size} users in {total:.1f} s",
        flush=True,
    )
    return result


class MemoryWatch:
    """Samples the resident memory (VmRSS) of processes and their descendants until
    stopped; the peak of their sum and of any one of them, in MiB."""

    def __init__(self, pids: list[int], every: float = 0.25) -> None:
        self.pids = pids
        self.every = every
        self.peak_total = 0.0
        self.peak_one = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            sizes = [_rss_mib(pid) for pid in _family(self.pids)]
            self.peak_total = max(self.peak_total, sum(sizes))
            self.peak_one = max([self.peak_one, *sizes])


def _family(pids: list[int]) -> set[int]:
    found: set[int] = set()
    todo = list(pids)
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        found.add(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as children:
                    todo += [int(child) for child in children.read().split()]
        except OSError:
            continue
    return found


def _rss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


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
    parser.add_argument("--json", metavar="FILE", help="also write the results here")
    parser.add_argument(
        "--phases",
        default=",".join(DEFAULT_PHASES),
        help=f"comma-separated, of {', '.join(ALL_PHASES)} (default: all but bigpool)",
    )
    parser.add_argument("--pool-users", type=int, default=10_000, help="users of bigpool")
    parser.add_argument("--bigpool-id", help="reuse this pool, seeded by an earlier bigpool run")
    parser.add_argument(
        "--server-pid",
        type=int,
        action="append",
        default=[],
        help="sample this process's (and its children's) memory; repeatable",
    )
    args = parser.parse_args()
    wanted = tuple(p.strip() for p in args.phases.split(",") if p.strip())
    if unknown := set(wanted) - set(ALL_PHASES):
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    ceiling = hash_ceiling()
    print(f"hash ceiling: {ceiling:.0f} argon2id verifications/s on {os.cpu_count()} cores")
    print(f"== {args.endpoint}")
    with MemoryWatch(args.server_pid) as memory:
        mine = phases(
            args.endpoint, args.requests, args.concurrency, wanted, args.pool_users, args.bigpool_id
        )
    results: dict[str, Any] = {"hash_ceiling": ceiling, args.endpoint: mine}
    if args.server_pid:
        print(
            f"server memory: peak {memory.peak_total:.0f} MiB in all, "
            f"{memory.peak_one:.0f} MiB in the largest process"
        )
        results["server_rss_mib"] = {"total": memory.peak_total, "largest": memory.peak_one}
    if args.compare_moto:
        proc, endpoint = _moto_server()
        try:
            print(f"== moto_server at {endpoint}")
            results["moto_server"] = theirs = phases(
                endpoint, args.requests, args.concurrency, wanted, args.pool_users
            )
        finally:
            proc.terminate()
            proc.wait()
        ours = results[args.endpoint]
        assert isinstance(ours, dict)
        print(f"\n{'phase':<34} {'Recognito':>10} {'moto':>10} {'ratio':>7}")
        for name, mine in ours.items():
            rate, other = mine.ok_per_second, theirs[name].ok_per_second
            print(f"{name:<34} {rate:10.0f} {other:10.0f} {rate / other:6.2f}x")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2, default=asdict)


if __name__ == "__main__":
    main()
