"""User import jobs end to end: boto3 for the operations, an HTTP PUT (httpx) of the CSV
to the job's PreSignedUrl, the server's import thread, and the `recognito users` CLI."""

from __future__ import annotations

import csv
import io
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest

from .support import MakePool, ServerProcess, cognito_error, new_email, unique
from .support.server import run_recognito

ROLE = "arn:aws:iam::000000000000:role/CognitoImport"
FINISHED = ("Succeeded", "Failed", "Stopped")
WAIT = 60.0  # seconds a small job may take on a loaded machine


def csv_of(header: list[str], users: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for user in users:
        writer.writerow([user.get(column, "") for column in header])
    return out.getvalue().encode()


def user_row(username: str, email: str | None = None, **more: str) -> dict[str, str]:
    row = {
        "cognito:username": username,
        "email": email or new_email(username),
        "email_verified": "true",
        "cognito:mfa_enabled": "false",
    }
    return {**row, **more}


def new_job(cognito: Any, pool_id: str) -> dict[str, Any]:
    job: dict[str, Any] = cognito.create_user_import_job(
        UserPoolId=pool_id, JobName=unique("job"), CloudWatchLogsRoleArn=ROLE
    )["UserImportJob"]
    return job


def run_job(cognito: Any, pool_id: str, data: bytes) -> dict[str, Any]:
    """Create a job, PUT its file, start it and wait until it ends."""
    job = new_job(cognito, pool_id)
    assert httpx.put(job["PreSignedUrl"], content=data).status_code == 200
    started = cognito.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert started["UserImportJob"]["Status"] in ("Pending", "InProgress", "Succeeded")
    return wait(cognito, pool_id, job["JobId"])


def wait(cognito: Any, pool_id: str, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT
    while True:
        job: dict[str, Any] = cognito.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)[
            "UserImportJob"
        ]
        if job["Status"] in FINISHED or time.monotonic() > deadline:
            return job
        time.sleep(0.1)  # the job runs on the server's thread: its end is polled


@pytest.fixture
def pool_id(make_pool: MakePool) -> str:
    return make_pool(AutoVerifiedAttributes=["email"])


def test_csv_header_lists_the_schema_then_cognito_columns(
    cognito: Any, make_pool: MakePool
) -> None:
    pool_id = make_pool(Schema=[{"Name": "team", "AttributeDataType": "String"}])
    header = cognito.get_csv_header(UserPoolId=pool_id)
    assert header["UserPoolId"] == pool_id
    columns = header["CSVHeader"]
    assert columns[:3] == ["name", "given_name", "family_name"]
    assert columns[-3:] == ["custom:team", "cognito:mfa_enabled", "cognito:username"]
    assert {"email_verified", "phone_number_verified", "updated_at"} <= set(columns)
    assert "sub" not in columns


def test_import_job_imports_users_reset_required(cognito: Any, pool_id: str) -> None:
    header = cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    names = [unique("u") for _ in range(3)]
    rows = [user_row(name, name=f"Name {name}") for name in names]
    job = run_job(cognito, pool_id, csv_of(header, rows))
    assert job["Status"] == "Succeeded", job
    assert (job["ImportedUsers"], job["FailedUsers"], job["SkippedUsers"]) == (3, 0, 0)
    assert job["CompletionMessage"] == "Import Job Completed Successfully."
    assert job["CloudWatchLogsRoleArn"] == ROLE
    assert {"StartDate", "CompletionDate", "CreationDate"} <= set(job)
    user = cognito.admin_get_user(UserPoolId=pool_id, Username=names[0])
    assert user["UserStatus"] == "RESET_REQUIRED"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["name"] == f"Name {names[0]}"
    assert attributes["email_verified"] == "true"
    assert "sub" in attributes


def test_failed_rows_are_counted_and_logged(
    cognito: Any, make_pool: MakePool, server: ServerProcess
) -> None:
    pool_id = make_pool(
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "name", "AttributeDataType": "String", "Required": True}],
    )
    taken = unique("taken")
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=taken,
        UserAttributes=[{"Name": "name", "Value": "T"}, {"Name": "email", "Value": new_email()}],
        MessageAction="SUPPRESS",
    )
    header = cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    good, twice = unique("good"), unique("twice")
    rows = [
        user_row(good, name="Good"),  # line 2
        user_row(taken, name="Taken"),  # 3: the pool has this username
        user_row(twice, name="First"),  # 4
        user_row(twice, name="Second"),  # 5: the file has it already
        user_row(unique("noname")),  # 6: name is required
        user_row(unique("bad"), email="not-an-email", name="Bad"),  # 7
    ]
    job = run_job(cognito, pool_id, csv_of(header, rows))
    assert job["Status"] == "Succeeded", job
    assert (job["ImportedUsers"], job["FailedUsers"]) == (2, 4)
    assert cognito.admin_get_user(UserPoolId=pool_id, Username=twice)["UserAttributes"]

    log = run_recognito("users", "import-log", job["JobId"], "--data-dir", str(server.data_dir))
    assert log.returncode == 0, log.stderr
    assert log.stderr.splitlines() == [
        f"line 3 ({taken}): User already exists.",
        f"line 5 ({twice}): User already exists.",
        f"line 6 ({rows[4]['cognito:username']}): The attribute name is required.",
        f"line 7 ({rows[5]['cognito:username']}): Invalid email address format.",
    ]


def test_a_header_unlike_get_csv_header_fails_the_job(cognito: Any, pool_id: str) -> None:
    header = [*cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"], "favourite_colour"]
    job = run_job(cognito, pool_id, csv_of(header, [user_row(unique("u"))]))
    assert job["Status"] == "Failed"
    assert job["CompletionMessage"] == (
        "The header in the CSV file does not match the pool's user import header."
    )
    assert job["ImportedUsers"] == 0


def _forged(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    return parts._replace(query=urlencode({**query, **changes})).geturl()


def test_the_upload_url_takes_one_file_for_its_own_job(cognito: Any, pool_id: str) -> None:
    header = cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    data = csv_of(header, [user_row(unique("u"))])
    job = new_job(cognito, pool_id)
    url = job["PreSignedUrl"]
    assert url.startswith(f"{cognito.meta.endpoint_url}/_user-import/{job['JobId']}?")
    assert httpx.put(_forged(url, signature="0" * 64), content=data).status_code == 403
    expires = str(int(dict(parse_qsl(urlsplit(url).query))["expires"]) + 3600)
    assert httpx.put(_forged(url, expires=expires), content=data).status_code == 403
    other = new_job(cognito, pool_id)  # a URL signed for another job opens no other
    assert httpx.put(url.replace(job["JobId"], other["JobId"]), content=data).status_code == 403
    assert httpx.put(url, content=data).status_code == 200
    second = httpx.put(url, content=data)
    assert second.status_code == 409
    assert "already has its file" in second.text


def test_start_needs_an_uploaded_file_and_a_created_job(cognito: Any, pool_id: str) -> None:
    job = new_job(cognito, pool_id)
    with cognito_error(
        "PreconditionNotMetException", "The CSV file of the import job has not been uploaded."
    ):
        cognito.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    with cognito_error("PreconditionNotMetException"):
        cognito.stop_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    header = cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    done = run_job(cognito, pool_id, csv_of(header, [user_row(unique("u"))]))
    with cognito_error("PreconditionNotMetException", "The import job is Succeeded."):
        cognito.start_user_import_job(UserPoolId=pool_id, JobId=done["JobId"])
    with cognito_error("ResourceNotFoundException", "Import job not found."):
        cognito.describe_user_import_job(UserPoolId=pool_id, JobId="import-0000000000")


def test_password_hashes_are_refused(cognito: Any, pool_id: str) -> None:
    with cognito_error("UnsupportedOperationException"):
        cognito.create_user_import_job(
            UserPoolId=pool_id,
            JobName="hashes",
            CloudWatchLogsRoleArn=ROLE,
            PasswordHashingAlgorithm="BCRYPT",
        )


def test_jobs_are_listed_in_pages(cognito: Any, pool_id: str) -> None:
    made = [new_job(cognito, pool_id)["JobId"] for _ in range(3)]
    first = cognito.list_user_import_jobs(UserPoolId=pool_id, MaxResults=2)
    assert [j["JobId"] for j in first["UserImportJobs"]] == made[:2]
    rest = cognito.list_user_import_jobs(
        UserPoolId=pool_id, MaxResults=2, PaginationToken=first["PaginationToken"]
    )
    assert [j["JobId"] for j in rest["UserImportJobs"]] == made[2:]
    assert "PaginationToken" not in rest
    assert all(j["Status"] == "Created" for j in first["UserImportJobs"])


def test_cli_imports_a_file_and_exports_it_again(
    cognito: Any, pool_id: str, server: ServerProcess, tmp_path: Any
) -> None:
    header = cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    ann, ben = unique("ann"), unique("ben")
    rows = [
        user_row(ann, given_name="Ann"),
        user_row(ben, phone_number="+15550001111", **{"cognito:mfa_enabled": "true"}),
    ]
    path = tmp_path / "users.csv"
    path.write_bytes(csv_of(header, rows))
    store = ("--data-dir", str(server.data_dir))
    imported = run_recognito("users", "import", str(path), "--user-pool-id", pool_id, *store)
    assert imported.returncode == 0, imported.stderr
    assert "Succeeded: imported 2, failed 0" in imported.stdout
    assert cognito.admin_get_user(UserPoolId=pool_id, Username=ann)["UserStatus"] == (
        "RESET_REQUIRED"
    )

    exported = run_recognito("users", "export", "--user-pool-id", pool_id, *store)
    assert exported.returncode == 0, exported.stderr
    table = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert list(table[0]) == header
    by_name = {row["cognito:username"]: row for row in table}
    assert by_name[ann]["given_name"] == "Ann"
    assert by_name[ann]["email"] == rows[0]["email"]
    assert by_name[ben]["cognito:mfa_enabled"] == "true"
    assert by_name[ann]["cognito:mfa_enabled"] == "false"

    again = run_recognito("users", "import", str(path), "--user-pool-id", pool_id, *store)
    assert again.returncode == 1  # both exist now: each row fails, and the CLI says so
    assert "imported 0, failed 2" in again.stdout
