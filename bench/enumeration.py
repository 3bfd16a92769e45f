"""Can the time an answer takes tell a real user from an unknown one? A statistical check
for clients with PreventUserExistenceErrors=ENABLED.

    python bench/enumeration.py --endpoint http://127.0.0.1:9229 --samples 150

It makes a pool (users recover by email), a hiding client and `samples` users, then
times ForgotPassword, ConfirmForgotPassword (wrong code) and InitiateAuth (wrong
password) for each real user and for as many unknown names, interleaved one by one,
each name used once (so no lockout or hourly cap is reached). For each operation it
prints both medians and a two-sided Mann-Whitney U test; p < 0.01 means the two kinds
of answer take measurably different times. Send it only to your own server.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

PREFIX = "AWSCognitoIdentityProviderService."
PASSWORD = "Corr3ct-Horse!"


def call(endpoint: str, op: str, body: dict[str, Any]) -> float:
    """Seconds `op` took; its answer (success or error) is not interesting here."""
    request = urllib.request.Request(
        endpoint,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": PREFIX + op},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
    except urllib.error.HTTPError as error:
        error.read()
    return time.perf_counter() - started


def admin(endpoint: str, op: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        endpoint,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": PREFIX + op},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return dict(json.loads(answer.read() or b"{}"))


def mann_whitney_p(a: list[float], b: list[float]) -> float:
    """Two-sided p-value of the U test (normal approximation, ties averaged)."""
    ranked = sorted((value, side) for side, values in ((0, a), (1, b)) for value in values)
    ranks: list[float] = [0.0] * len(ranked)
    i = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    n1, n2 = len(a), len(b)
    u = sum(r for r, (_, side) in zip(ranks, ranked, strict=True) if side == 0) - n1 * (n1 + 1) / 2
    mean, sd = n1 * n2 / 2, math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12)
    z = abs(u - mean) / sd
    return math.erfc(z / math.sqrt(2))


def compare(
    name: str, real: list[str], unknown: list[str], time_one: Callable[[str], float]
) -> None:
    times: dict[str, list[float]] = {"real": [], "unknown": []}
    for n, (known, stranger) in enumerate(zip(real, unknown, strict=True)):
        pair = [("real", known), ("unknown", stranger)]
        for kind, username in pair if n % 2 else reversed(pair):
            times[kind].append(time_one(username))
    p = mann_whitney_p(times["real"], times["unknown"])
    print(
        f"{name:24} real {statistics.median(times['real']) * 1000:7.2f} ms   "
        f"unknown {statistics.median(times['unknown']) * 1000:7.2f} ms   "
        f"p={p:.3f} {'DISTINGUISHABLE' if p < 0.01 else 'indistinguishable'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default="http://127.0.0.1:9229")
    parser.add_argument("--samples", type=int, default=150)
    args = parser.parse_args()
    endpoint, run = args.endpoint, uuid.uuid4().hex[:8]
    pool_id = admin(endpoint, "CreateUserPool", {"PoolName": f"enum-{run}"})["UserPool"]["Id"]
    client_id = admin(
        endpoint,
        "CreateUserPoolClient",
        {
            "UserPoolId": pool_id,
            "ClientName": "enum",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"],
            "PreventUserExistenceErrors": "ENABLED",
        },
    )["UserPoolClient"]["ClientId"]
    real = [f"user{n}-{run}" for n in range(args.samples)]
    for username in real:
        admin(
            endpoint,
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
        admin(
            endpoint,
            "AdminSetUserPassword",
            {"UserPoolId": pool_id, "Username": username, "Password": PASSWORD, "Permanent": True},
        )
    unknown = [f"nobody{n}-{run}" for n in range(args.samples)]
    compare(
        "ForgotPassword",
        real,
        unknown,
        lambda u: call(endpoint, "ForgotPassword", {"ClientId": client_id, "Username": u}),
    )
    compare(
        "ConfirmForgotPassword",
        real,
        unknown,
        lambda u: call(
            endpoint,
            "ConfirmForgotPassword",
            {
                "ClientId": client_id,
                "Username": u,
                "ConfirmationCode": "1234567",
                "Password": "N3w-Passw0rd!",
            },
        ),
    )
    compare(
        "InitiateAuth (wrong)",
        real,
        unknown,
        lambda u: call(
            endpoint,
            "InitiateAuth",
            {
                "ClientId": client_id,
                "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": u, "PASSWORD": "Wr0ng-Passw0rd!"},
            },
        ),
    )


if __name__ == "__main__":
    main()
