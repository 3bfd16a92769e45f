"""Talking Cognito to the server: boto3 (and the errors it raises) and the AWS CLI."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .server import server_env

REGION = "us-east-1"


@contextlib.contextmanager
def open_boto_client(endpoint_url: str) -> Iterator[Any]:
    """A boto3 cognito-idp client for the server, closed when done."""
    client = boto3.client(
        "cognito-idp",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        # every answer as the server gave it: botocore's standard retry mode (the default
        # since 1.44) resends throttling errors such as LimitExceededException and hides
        # them behind seconds of back-off
        config=Config(retries={"total_max_attempts": 1}),
    )
    try:
        yield client
    finally:
        client.close()


@contextlib.contextmanager
def cognito_error(
    code: str, message: str | None = None
) -> Iterator[pytest.ExceptionInfo[ClientError]]:
    """Expect a Cognito error with this `__type` (and exact message, when given), HTTP 400."""
    with pytest.raises(ClientError) as info:
        yield info
    error = info.value.response["Error"]
    assert error["Code"] == code, error
    if message is not None:
        assert error["Message"] == message, error
    status = info.value.response["ResponseMetadata"]["HTTPStatusCode"]
    assert status == 400, (status, error)


@dataclass(frozen=True)
class CliResult:
    args: Sequence[str]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        assert self.returncode == 0, (self.args, self.returncode, self.stderr)
        return json.loads(self.stdout) if self.stdout.strip() else {}

    def ok(self) -> CliResult:
        assert self.returncode == 0, (self.args, self.returncode, self.stderr)
        return self

    def fails_with(self, operation: str, code: str, message: str) -> None:
        assert self.returncode != 0, (self.args, self.stdout)
        expected = f"An error occurred ({code}) when calling the {operation} operation: {message}"
        assert expected in self.stderr, self.stderr


class AwsCli:
    """`aws cognito-idp ...` (AWS CLI v1) against the test server, with no user config."""

    def __init__(
        self, endpoint_url: str, home: Path, extra_env: Mapping[str, str] | None = None
    ) -> None:
        executable = shutil.which("aws")
        assert executable is not None, "the AWS CLI (`aws`) is not on PATH"
        self._executable = executable
        self._endpoint_url = endpoint_url
        self._env = server_env()
        self._env.update(
            {
                "AWS_ACCESS_KEY_ID": "test",
                "AWS_SECRET_ACCESS_KEY": "test",
                "AWS_CONFIG_FILE": str(home / "no-such-config"),
                "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-such-credentials"),
                "AWS_PAGER": "",
                **(extra_env or {}),
            }
        )

    def __call__(self, command: str, *args: str) -> CliResult:
        argv = [
            self._executable,
            "cognito-idp",
            command,
            *args,
            "--endpoint-url",
            self._endpoint_url,
            "--region",
            REGION,
            "--output",
            "json",
        ]
        proc = subprocess.run(
            argv, env=self._env, capture_output=True, text=True, timeout=120, check=False
        )
        return CliResult(argv, proc.returncode, proc.stdout, proc.stderr)
