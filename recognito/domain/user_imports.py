"""User import jobs without I/O: the CSV header of a pool, a row judged, the job's states
and texts (docs/behaviour.md, "User import and export").

    Created ──Start──> Pending ──claimed──> InProgress ──> Succeeded | Failed
       │                  │                     └──Stop──> Stopping ──> Stopped
       │                  └──Stop──> Stopped
       └──upload URL expired──> Expired
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from recognito.domain import pools
from recognito.domain.attributes import (
    MAX_VALUE_LENGTH,
    VERIFIABLE,
    check_attributes,
)
from recognito.errors import InvalidParameterException
from recognito.shapes import StoredUserPool

CREATED, PENDING, IN_PROGRESS = "Created", "Pending", "InProgress"
STOPPING, STOPPED, SUCCEEDED, FAILED, EXPIRED = (
    "Stopping",
    "Stopped",
    "Succeeded",
    "Failed",
    "Expired",
)

USERNAME, MFA_ENABLED = "cognito:username", "cognito:mfa_enabled"
MAX_FILE_BYTES = 100 * 1024 * 1024  # Cognito's limit on one job's file
MAX_USERS = 500_000  # and on its users
URL_LIFETIME = 24 * 3600.0  # seconds the upload URL (and a job not started) stays good
MAX_USERNAME = 128

SUCCEEDED_MESSAGE = "Import Job Completed Successfully."
STOPPED_MESSAGE = "Import Job Stopped."
BAD_HEADER = "The header in the CSV file does not match the pool's user import header."
NOT_UTF8 = "The CSV file is not UTF-8 text."
TOO_MANY_USERS = f"The CSV file holds more than {MAX_USERS} users."
EMPTY_FILE = "The CSV file is empty."
USER_EXISTS = "User already exists."  # its username, or a name it signs in with, is taken

# the pool's schema attributes an import does not set: Cognito makes `sub`
_NOT_IMPORTED = ("sub", "identities")


def csv_header(config: StoredUserPool) -> list[str]:
    """GetCSVHeader's columns: the schema's attributes as the pool lists them (custom ones
    included), then `cognito:mfa_enabled` and `cognito:username`, as Cognito answers."""
    names = [entry["Name"] for entry in config.get("SchemaAttributes", [])]
    return [name for name in names if name not in _NOT_IMPORTED] + [MFA_ENABLED, USERNAME]


@dataclass(frozen=True)
class ImportedRow:
    line: int
    username: str  # as the CSV gives it: the stored username unless the pool names users
    attributes: dict[str, str]
    mfa_enabled: bool


@dataclass(frozen=True)
class FailedRow:
    line: int
    username: str | None
    message: str


def read_csv(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the (line number, fields) of every row; ValueError with the
    job's CompletionMessage when the file cannot be read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(NOT_UTF8) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration as exc:
        raise ValueError(EMPTY_FILE) from exc
    except csv.Error as exc:
        raise ValueError(f"The CSV file cannot be read: {exc}.") from exc

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # a broken quote ends the file: the rest is that row's
                line += 1
                yield line, [f"\0{exc}"]
                return
            line += 1
            if fields:  # blank lines are no users
                yield line, fields

    return header, rows()


def check_header(config: StoredUserPool, header: Sequence[str]) -> None:
    """The columns must be GetCSVHeader's, in any order, each once (ValueError)."""
    expected = csv_header(config)
    if len(header) != len(expected) or set(header) != set(expected):
        raise ValueError(BAD_HEADER)


class RowRules:
    """Cognito's rules for one user of a file, for one pool (built once per job)."""

    def __init__(self, config: StoredUserPool, header: Sequence[str]) -> None:
        self._schema: list[Mapping[str, Any]] = list(config.get("SchemaAttributes", []))
        self._by_name = {entry["Name"]: entry for entry in self._schema}
        self._booleans = {
            e["Name"] for e in self._schema if e.get("AttributeDataType") == "Boolean"
        }
        self._required = [e["Name"] for e in self._schema if e.get("Required")]
        self._header = list(header)
        self._auto_verified = pools.auto_verified(config)
        self._username_attributes = pools.username_attributes(config)

    def judge(self, line: int, fields: Sequence[str]) -> ImportedRow | FailedRow:
        if len(fields) != len(self._header):
            if fields and fields[0].startswith("\0"):
                return FailedRow(line, None, f"The row cannot be read: {fields[0][1:]}.")
            return FailedRow(
                line, None, f"The row has {len(fields)} fields; the header has {len(self._header)}."
            )
        values = dict(zip(self._header, fields, strict=True))
        username = values.pop(USERNAME).strip()
        mfa = values.pop(MFA_ENABLED).strip().lower()
        name = username or None
        if not username:
            return FailedRow(line, None, "cognito:username is required.")
        if len(username) > MAX_USERNAME:
            return FailedRow(line, name, f"cognito:username must be at most {MAX_USERNAME} long.")
        if mfa not in ("true", "false", ""):
            return FailedRow(line, name, "cognito:mfa_enabled must be true or false.")
        attributes = {k: v for k, v in values.items() if v != ""}
        try:
            check_attributes(self._schema, attributes, updating=False, by_name=self._by_name)
        except InvalidParameterException as exc:
            return FailedRow(line, name, exc.message)
        for flag in self._booleans & attributes.keys():  # stored lower-cased, as on create
            attributes[flag] = attributes[flag].lower()
        missing = [a for a in self._required if a != "sub" and not attributes.get(a)]
        if missing:
            return FailedRow(line, name, f"The attribute {missing[0]} is required.")
        problem = self._contact_problem(attributes, mfa == "true")
        if problem:
            return FailedRow(line, name, problem)
        if self._username_attributes and username not in (
            attributes.get(a) for a in self._username_attributes
        ):
            listed = " or ".join(self._username_attributes)
            return FailedRow(line, name, f"cognito:username must be the user's {listed}.")
        return ImportedRow(line, username, attributes, mfa == "true")

    def _contact_problem(self, attributes: Mapping[str, str], mfa: bool) -> str | None:
        for attribute, flag in VERIFIABLE.items():
            if attributes.get(flag) == "true" and not attributes.get(attribute):
                return f"{flag} is true but {attribute} is empty."
        if self._auto_verified and not any(
            attributes.get(VERIFIABLE[a]) == "true" for a in self._auto_verified
        ):
            listed = " or ".join(self._auto_verified)
            return f"The user needs a verified {listed} (the pool's auto-verified attributes)."
        if mfa and not attributes.get("phone_number"):
            return "cognito:mfa_enabled is true but phone_number is empty."
        if any(len(v) > MAX_VALUE_LENGTH for v in attributes.values()):
            return f"Attribute values must be at most {MAX_VALUE_LENGTH} long."
        return None


@dataclass(frozen=True)
class ImportJob:
    job_id: str
    pool_id: str
    name: str
    role_arn: str
    status: str
    created_at: float
    expires_at: float
    started_at: float | None
    completed_at: float | None
    uploaded_at: float | None
    imported: int
    skipped: int
    failed: int
    message: str | None

    def status_at(self, now: float) -> str:
        """A job created and never started is Expired once its upload URL is."""
        return EXPIRED if self.status == CREATED and now >= self.expires_at else self.status
