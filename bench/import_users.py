"""How long a user import of many users takes, from StartUserImportJob to Succeeded.

    python bench/import_users.py --users 100000              # starts its own server
    python bench/import_users.py --users 100000 --endpoint http://127.0.0.1:9229

It makes a pool (email verified automatically), writes a CSV in GetCSVHeader's format
(each user with a name, a verified email and a phone number), creates a job with boto3,
PUTs the file to the job's PreSignedUrl with httpx, starts the job, polls
DescribeUserImportJob every 0.5 s and prints the counts, the elapsed time and the
machine's load. Without --endpoint it runs `recognito serve --workers 1` on a fresh
SQLite data folder. Send it only to your own server.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3
import httpx
from botocore.config import Config


def make_csv(header: list[str], users: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for n in range(users):
        row = {
            "cognito:username": f"user{n:07d}",
            "name": f"User {n}",
            "email": f"user{n:07d}@example.com",
            "email_verified": "true",
            "phone_number": f"+1555{n:07d}",
            "phone_number_verified": "false",
            "cognito:mfa_enabled": "false",
        }
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue().encode()


def client(endpoint: str) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        config=Config(retries={"max_attempts": 1}),
    )


def start_server(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = [sys.executable, "-m", "recognito", "serve", "--port", str(port), "--workers", "1"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOGNITO_")}
    proc = subprocess.Popen(
        [*args, "--data-dir", str(data_dir)], env=env, stdout=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{endpoint}/health").status_code == 200:
                return proc, endpoint
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def bench(endpoint: str, users: int) -> None:
    cognito = client(endpoint)
    pool_id = cognito.create_user_pool(PoolName="import-bench", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
    header = cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    data = make_csv(header, users)
    job = cognito.create_user_import_job(
        UserPoolId=pool_id,
        JobName="bench",
        CloudWatchLogsRoleArn="arn:aws:iam::000000000000:role/import",
    )["UserImportJob"]
    uploaded = time.perf_counter()
    answer = httpx.put(
        job["PreSignedUrl"],
        content=data,
        headers={"x-amz-server-side-encryption": "aws:kms"},
        timeout=120,
    )
    answer.raise_for_status()
    print(f"uploaded {len(data) / 1e6:.1f} MB in {time.perf_counter() - uploaded:.1f} s")
    started = time.perf_counter()
    cognito.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    while True:
        found = cognito.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        status = found["UserImportJob"]["Status"]
        if status in ("Succeeded", "Failed", "Stopped"):
            break
        time.sleep(0.5)  # a poll is a request the server must also serve
    elapsed = time.perf_counter() - started
    final = found["UserImportJob"]
    print(
        f"{status}: imported {final['ImportedUsers']}, failed {final['FailedUsers']}, "
        f"skipped {final['SkippedUsers']} in {elapsed:.1f} s "
        f"({final['ImportedUsers'] / elapsed:,.0f} users/s)"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, cores: {os.cpu_count()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--endpoint", help="a running server; else one is started")
    args = parser.parse_args()
    if args.endpoint:
        bench(args.endpoint, args.users)
        return
    with tempfile.TemporaryDirectory() as data_dir:
        proc, endpoint = start_server(Path(data_dir))
        try:
            bench(endpoint, args.users)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
