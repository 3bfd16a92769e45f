"""User import jobs on SQLite and PostgreSQL: the states a job goes through, one claim
among many runners, stopping, the upload URL's expiry (a moved clock) and a job resumed
after its runner died."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from recognito import errors
from recognito.domain.user_imports import URL_LIFETIME
from recognito.service.user_imports import BATCH, LEASE, run_claimed, run_next, store_upload

from .conftest import Service, race

ROLE = "arn:aws:iam::000000000000:role/import"


def make_csv(service: Service, pool_id: str, users: int, prefix: str = "u") -> bytes:
    header = service("GetCSVHeader", UserPoolId=pool_id)["CSVHeader"]
    lines = [",".join(header)]
    for n in range(users):
        row = {
            "cognito:username": f"{prefix}{n}",
            "email": f"{prefix}{n}@example.com",
            "email_verified": "true",
            "cognito:mfa_enabled": "false",
        }
        lines.append(",".join(row.get(column, "") for column in header))
    return ("\n".join(lines) + "\n").encode()


def upload(service: Service, job: dict[str, Any], data: bytes) -> str | None:
    query = dict(parse_qsl(urlsplit(job["PreSignedUrl"]).query))
    services = service.services
    return store_upload(
        services.store,
        job["JobId"],
        query["expires"],
        query["signature"],
        data,
        service.clock.now(),
        services.secret_key,
    )


def started_job(service: Service, pool_id: str, users: int) -> str:
    job = service(
        "CreateUserImportJob", UserPoolId=pool_id, JobName="j", CloudWatchLogsRoleArn=ROLE
    )["UserImportJob"]
    assert upload(service, job, make_csv(service, pool_id, users)) is None
    service("StartUserImportJob", UserPoolId=pool_id, JobId=job["JobId"])
    return str(job["JobId"])


def drain(service: Service) -> None:
    """Run every job claimable now (the PostgreSQL database is shared by a worker's tests,
    so other tests' jobs may be among them)."""
    while run_next(service.services.store, service.clock):
        pass


def describe(service: Service, pool_id: str, job_id: str) -> dict[str, Any]:
    job: dict[str, Any] = service("DescribeUserImportJob", UserPoolId=pool_id, JobId=job_id)[
        "UserImportJob"
    ]
    return job


def test_a_job_goes_created_pending_succeeded(service: Service, pool: dict[str, Any]) -> None:
    pool_id = pool["pool_id"]
    job = service(
        "CreateUserImportJob", UserPoolId=pool_id, JobName="j", CloudWatchLogsRoleArn=ROLE
    )["UserImportJob"]
    assert job["Status"] == "Created"
    assert upload(service, job, make_csv(service, pool_id, 3)) is None
    started = service("StartUserImportJob", UserPoolId=pool_id, JobId=job["JobId"])
    assert started["UserImportJob"]["Status"] == "Pending"
    drain(service)
    done = describe(service, pool_id, job["JobId"])
    assert (done["Status"], done["ImportedUsers"], done["FailedUsers"]) == ("Succeeded", 3, 0)


def test_of_many_runners_one_claims_the_job(service: Service, pool: dict[str, Any]) -> None:
    job_id = started_job(service, pool["pool_id"], 1)
    store, now = service.services.store, service.clock.now()

    def claim() -> None:
        with store.write() as tx:
            if not tx.user_imports.claim(job_id, now, LEASE):
                raise errors.PreconditionNotMetException("taken")

    outcomes = race(claim)
    assert outcomes["ok"] == 1, outcomes
    assert describe(service, pool["pool_id"], job_id)["Status"] == "InProgress"


def test_stopping_a_pending_job_stops_it_at_once(service: Service, pool: dict[str, Any]) -> None:
    job_id = started_job(service, pool["pool_id"], 2)
    stopped = service("StopUserImportJob", UserPoolId=pool["pool_id"], JobId=job_id)
    assert stopped["UserImportJob"]["Status"] == "Stopped"
    drain(service)
    job = describe(service, pool["pool_id"], job_id)
    assert (job["Status"], job["ImportedUsers"]) == ("Stopped", 0)


def test_a_running_job_stops_after_its_batch(service: Service, pool: dict[str, Any]) -> None:
    pool_id = pool["pool_id"]
    job_id = started_job(service, pool_id, BATCH + 5)
    store = service.services.store
    with store.write() as tx:
        assert tx.user_imports.claim(job_id, service.clock.now(), LEASE)
    stopping = service("StopUserImportJob", UserPoolId=pool_id, JobId=job_id)
    assert stopping["UserImportJob"]["Status"] == "Stopping"
    run_claimed(store, service.clock, job_id)
    job = describe(service, pool_id, job_id)
    assert job["Status"] == "Stopped"
    assert (job["ImportedUsers"], job["SkippedUsers"]) == (0, BATCH + 5)


def test_the_upload_url_and_an_unstarted_job_expire(service: Service, pool: dict[str, Any]) -> None:
    pool_id = pool["pool_id"]
    job = service(
        "CreateUserImportJob", UserPoolId=pool_id, JobName="j", CloudWatchLogsRoleArn=ROLE
    )["UserImportJob"]
    service.clock.advance(URL_LIFETIME)
    assert upload(service, job, make_csv(service, pool_id, 1)) == (
        "The upload URL is not valid or has expired."
    )
    assert describe(service, pool_id, job["JobId"])["Status"] == "Expired"
    with pytest.raises(errors.PreconditionNotMetException, match="The import job is Expired."):
        service("StartUserImportJob", UserPoolId=pool_id, JobId=job["JobId"])


def test_a_job_whose_runner_died_resumes_after_its_lease(
    service: Service, pool: dict[str, Any]
) -> None:
    pool_id = pool["pool_id"]
    job_id = started_job(service, pool_id, BATCH + 3)
    store = service.services.store
    with store.write() as tx:
        assert tx.user_imports.claim(job_id, service.clock.now(), LEASE)
    # the runner imports one batch, then its process dies (halted before the next)
    batches = iter([False, True])
    run_claimed(store, service.clock, job_id, halt=lambda: next(batches))
    drain(service)  # its claim still holds: nobody takes the job yet
    job = describe(service, pool_id, job_id)
    assert (job["Status"], job["ImportedUsers"]) == ("InProgress", BATCH)
    service.clock.advance(LEASE + 1)
    drain(service)
    job = describe(service, pool_id, job_id)
    assert (job["Status"], job["ImportedUsers"], job["FailedUsers"]) == ("Succeeded", BATCH + 3, 0)


def test_a_verified_alias_is_one_users(service: Service) -> None:
    pool_id = service(
        "CreateUserPool", PoolName="aliases", AliasAttributes=["email"], AutoVerifiedAttributes=[]
    )["UserPool"]["Id"]
    service(
        "AdminCreateUser",
        UserPoolId=pool_id,
        Username="owner",
        UserAttributes=[
            {"Name": "email", "Value": "Shared@Example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    header = service("GetCSVHeader", UserPoolId=pool_id)["CSVHeader"]
    rows = [
        {"cognito:username": "claims", "email": "Shared@Example.com", "email_verified": "true"},
        {"cognito:username": "unverified", "email": "Shared@Example.com"},
    ]
    lines = [",".join(header)] + [",".join(row.get(c, "") for c in header) for row in rows]
    job = service(
        "CreateUserImportJob", UserPoolId=pool_id, JobName="j", CloudWatchLogsRoleArn=ROLE
    )["UserImportJob"]
    assert upload(service, job, ("\n".join(lines) + "\n").encode()) is None
    service("StartUserImportJob", UserPoolId=pool_id, JobId=job["JobId"])
    drain(service)
    done = describe(service, pool_id, job["JobId"])
    assert (done["ImportedUsers"], done["FailedUsers"]) == (1, 1)
    with service.services.store.read() as tx:
        failures = tx.user_imports.failures(job["JobId"])
    assert [(f.line, f.username, f.message) for f in failures] == [
        (2, "claims", "User already exists.")
    ]
