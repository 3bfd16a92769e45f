"""GET /metrics and --log-format json through a real two-worker server: the counts rise
with real boto3 calls whichever worker answers, and every log line is a JSON object
carrying its request's id, with no password or code in it."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from .support import (
    EMAIL_FROM,
    PASSWORD,
    ServerProcess,
    SmtpCatcher,
    cognito_error,
    new_email,
    open_boto_client,
    start_server,
    unique,
)
from .support.lambdas import arn

TARGET = "AWSCognitoIdentityProviderService."
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture(scope="module")
def metered(
    tmp_path_factory: pytest.TempPathFactory, log_dir: Path, smtp: SmtpCatcher
) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("metrics")
    table = folder / "triggers.toml"
    table.write_text(f'"{arn("py-record")}" = "python:tests.api.trigger_functions:record"\n')
    process = start_server(
        folder / "data",
        log_dir,
        extra_args=[
            "--workers",
            "2",
            "--log-format",
            "json",
            "--smtp-url",
            smtp.url,
            "--email-from",
            EMAIL_FROM,
            "--triggers",
            str(table),
            "--password-hashing",
            "fast",
        ],
    )
    yield process
    process.stop()


@pytest.fixture(scope="module")
def idp(metered: ServerProcess) -> Iterator[Any]:
    with open_boto_client(metered.base_url) as client:
        yield client


def _samples(text: str) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(server: ServerProcess) -> Samples:
    answer = httpx.get(f"{server.base_url}/metrics")
    assert answer.status_code == 200
    return _samples(answer.text)


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def eventually(server: ServerProcess, name: str, at_least: float, **labels: str) -> float:
    """The metric once it reached `at_least` (the outbox counts after the message left)."""
    deadline = time.monotonic() + 10
    while (found := value(scrape(server), name, **labels)) < at_least:
        assert time.monotonic() < deadline, f"{name}{labels} stayed at {found}"
        time.sleep(0.05)
    return found


def _pool(idp: Any, **config: Any) -> tuple[str, str]:
    pool_id = idp.create_user_pool(PoolName=unique("metrics"), **config)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def test_calls_sign_ins_lockouts_codes_and_triggers_are_counted(
    idp: Any, metered: ServerProcess, smtp: SmtpCatcher
) -> None:
    before = scrape(metered)
    pool_id, client_id = _pool(
        idp, AutoVerifiedAttributes=["email"], LambdaConfig={"PreSignUp": arn("py-record")}
    )
    email = new_email()
    idp.sign_up(
        ClientId=client_id,
        Username="ana",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    code = smtp.wait_for(email).code
    idp.confirm_sign_up(ClientId=client_id, Username="ana", ConfirmationCode=code)
    idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ana", "PASSWORD": PASSWORD},
    )
    for _ in range(6):  # the 5th wrong password locks; the 6th try is refused by the lock
        with cognito_error("NotAuthorizedException"):
            idp.initiate_auth(
                ClientId=client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": "ana", "PASSWORD": "Wr0ng-password!"},
            )

    after = scrape(metered)
    rise = {
        key: after.get(key, 0.0) - before.get(key, 0.0)
        for key in after
        if not key[0].endswith("_created")
    }

    def risen(name: str, **labels: str) -> float:
        return rise.get((name, tuple(sorted(labels.items()))), 0.0)

    assert risen("recognito_requests_total", operation="SignUp", outcome="success") == 1
    assert risen("recognito_requests_total", operation="CreateUserPool", outcome="success") == 1
    assert (
        risen(
            "recognito_requests_total", operation="InitiateAuth", outcome="NotAuthorizedException"
        )
        == 6
    )
    assert risen("recognito_request_duration_seconds_count", operation="InitiateAuth") == 7
    assert risen("recognito_sign_ins_total", flow="USER_PASSWORD_AUTH", result="tokens") == 1
    assert (
        risen(
            "recognito_sign_ins_total", flow="USER_PASSWORD_AUTH", result="NotAuthorizedException"
        )
        == 6
    )
    assert risen("recognito_sign_in_failures_total", reason="wrong_password") == 5
    assert risen("recognito_sign_in_failures_total", reason="locked_out") == 1
    assert risen("recognito_lockouts_total") == 1
    assert risen("recognito_trigger_invocations_total", trigger="PreSignUp", outcome="ok") == 1
    sent = value(before, "recognito_codes_sent_total", channel="email")
    eventually(metered, "recognito_codes_sent_total", sent + 1, channel="email")
    # nothing that names a user or a pool is a label
    assert all(pool_id not in str(key) and "ana" not in str(key) for key in after)


def _workers(server: ServerProcess) -> list[int]:
    children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children").read_text()
    return [
        pid
        for pid in map(int, children.split())
        if b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes()
        and b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def _counted_by(folder: Path, pid: int, scratch: Path) -> float:
    """ListUserPools successes in worker `pid`'s own counter file."""
    own = scratch / str(pid)
    own.mkdir()
    shutil.copy(folder / f"counter_{pid}.db", own)
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(own))  # type: ignore[no-untyped-call]
    wanted = {"operation": "ListUserPools", "outcome": "success"}
    return sum(
        s.value
        for family in registry.collect()
        for s in family.samples
        if s.name == "recognito_requests_total" and s.labels == wanted
    )


def _list_pools(base_url: str) -> None:
    with httpx.Client() as http:  # a connection of its own: any worker may take it
        answer = http.post(
            base_url,
            headers={
                "X-Amz-Target": TARGET + "ListUserPools",
                "Content-Type": "application/x-amz-json-1.1",
            },
            content=b'{"MaxResults": 1}',
        )
    assert answer.status_code == 200


def test_metrics_sum_every_worker(metered: ServerProcess, tmp_path: Path) -> None:
    workers = _workers(metered)
    assert len(workers) == 2
    environ = Path(f"/proc/{workers[0]}/environ").read_bytes().split(b"\0")
    [folder] = [
        Path(e.split(b"=", 1)[1].decode())
        for e in environ
        if e.startswith(b"PROMETHEUS_MULTIPROC_DIR=")
    ]
    start = value(
        scrape(metered), "recognito_requests_total", operation="ListUserPools", outcome="success"
    )
    sent = 0
    with ThreadPoolExecutor(8) as pool:
        # until both workers have answered some (the kernel picks who accepts)
        for batch in range(20):
            list(pool.map(_list_pools, [metered.base_url] * 16))
            sent += 16
            scratch = tmp_path / str(batch)
            scratch.mkdir()
            each = [_counted_by(folder, pid, scratch) for pid in workers]
            if all(each):
                break
    assert all(each), f"one worker answered all {sent} calls"
    total = value(
        scrape(metered), "recognito_requests_total", operation="ListUserPools", outcome="success"
    )
    assert total - start == sent
    assert total == sum(each)  # the page is every worker's counts added up


def test_json_log_lines_carry_the_request_id_and_no_secret(
    idp: Any, metered: ServerProcess, smtp: SmtpCatcher
) -> None:
    # a pool confirming by link without a domain warns from inside SignUp's worker thread
    _, client_id = _pool(
        idp,
        AutoVerifiedAttributes=["email"],
        VerificationMessageTemplate={"DefaultEmailOption": "CONFIRM_WITH_LINK"},
    )
    answer = idp.sign_up(
        ClientId=client_id,
        Username=unique("bo"),
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": new_email()}],
    )
    request_id = answer["ResponseMetadata"]["RequestId"]
    # a code sent, used, and a sign-in: none of it may be logged
    _, client_id = _pool(idp, AutoVerifiedAttributes=["email"])
    email = new_email()
    idp.sign_up(
        ClientId=client_id,
        Username="cy",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    code = smtp.wait_for(email).code
    idp.confirm_sign_up(ClientId=client_id, Username="cy", ConfirmationCode=code)
    tokens = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "cy", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]

    lines = [json.loads(line) for line in metered.stderr().splitlines() if line.strip()]

    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    mine = [line for line in lines if line.get("request_id") == request_id]
    assert {line["logger"] for line in mine} == {"recognito.service.signup", "uvicorn.access"}
    assert any("confirms by link but has no domain" in line["message"] for line in mine)
    assert any('"POST / HTTP/1.1" 200' in line["message"] for line in mine)
    text = metered.stderr()
    assert PASSWORD not in text
    assert tokens["AccessToken"] not in text and tokens["RefreshToken"] not in text
    assert not re.search(rf"(?<![0-9a-f-]){code}(?![0-9a-f])", text)
