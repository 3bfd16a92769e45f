"""Admin credentials: access key pairs from --admin-credentials, each with IAM-style allow
lists of actions and resources.

The file is TOML, one table per key pair (`recognito credentials create` appends them):

    [[credential]]
    name = "ci"                                   # optional; names the IAM user in errors
    access_key_id = "AKIA..."
    secret_access_key = "..."
    actions = ["cognito-idp:Admin*"]              # optional; default ["*"]
    resources = ["arn:aws:cognito-idp:*:*:userpool/us-east-1_*"]  # optional; default ["*"]

Patterns match as IAM's do: `*` any run of characters, `?` one; actions case-insensitively.
An operation that names no pool (ListUserPools, CreateUserPool) is on resource `*`, which
only the pattern `*` allows, as in IAM.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import string
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from recognito.domain.pools import ACCOUNT

log = logging.getLogger("recognito.protocol")

SERVICE_PREFIX = "cognito-idp:"


@cache
def _pattern(glob: str, ignore_case: bool) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.compile(regex, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def matches(globs: tuple[str, ...], value: str, *, ignore_case: bool = False) -> bool:
    return any(_pattern(glob, ignore_case).fullmatch(value) for glob in globs)


@dataclass(frozen=True)
class AdminCredential:
    access_key_id: str
    secret_access_key: str = field(repr=False)
    name: str | None = None
    actions: tuple[str, ...] = ("*",)
    resources: tuple[str, ...] = ("*",)

    @property
    def principal(self) -> str:
        """The IAM user AWS would name in AccessDeniedException."""
        return f"arn:aws:iam::{ACCOUNT}:user/{self.name or self.access_key_id}"

    def allows(self, operation: str, resource: str) -> bool:
        action = SERVICE_PREFIX + operation
        return matches(self.actions, action, ignore_case=True) and matches(self.resources, resource)


def _strings(entry: dict[str, object], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, ["*"])
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: {key} must be a non-empty list of strings")
    return tuple(str(v) for v in value)


def check_actions(actions: tuple[str, ...], where: str) -> None:
    for action in actions:
        if action != "*" and not action.lower().startswith(SERVICE_PREFIX):
            raise ValueError(f"{where}: action {action!r} is not '*' nor 'cognito-idp:...'")


def parse(text: str, where: str) -> dict[str, AdminCredential]:
    """The credentials of a file's text, by access key id; ValueError says what is wrong."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{where}: not valid TOML: {exc}") from None
    tables = document.get("credential", [])
    if not isinstance(tables, list):
        raise ValueError(f"{where}: 'credential' must be an array of tables ([[credential]])")
    found: dict[str, AdminCredential] = {}
    for number, entry in enumerate(tables, 1):
        at = f"{where}: credential #{number}"
        key_id, secret = entry.get("access_key_id"), entry.get("secret_access_key")
        if not isinstance(key_id, str) or not key_id or not isinstance(secret, str) or not secret:
            raise ValueError(f"{at}: access_key_id and secret_access_key are required strings")
        if key_id in found:
            raise ValueError(f"{at}: access key id {key_id} appears twice")
        name = entry.get("name")
        if name is not None and not isinstance(name, str):
            raise ValueError(f"{at}: name must be a string")
        actions = _strings(entry, "actions", at)
        check_actions(actions, at)
        found[key_id] = AdminCredential(
            key_id, secret, name, actions, _strings(entry, "resources", at)
        )
    return found


def load(path: Path) -> dict[str, AdminCredential]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{path}: {exc.strerror or exc}") from None
    return parse(text, str(path))


class Keyring:
    """The credentials of a file, read again when the file changes, so a pair that
    `recognito credentials create` appends (or one deleted) counts without a restart."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._stamp = self._stat()
        self._credentials = load(path)

    def _stat(self) -> tuple[int, int] | None:
        try:
            info = self._path.stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def __len__(self) -> int:
        return len(self._credentials)

    def get(self, access_key_id: str) -> AdminCredential | None:
        stamp = self._stat()
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                self._credentials = load(self._path)
            except ValueError as exc:  # half-edited: keep what was in force
                log.error("admin credentials not reloaded: %s", exc)
        return self._credentials.get(access_key_id)


# --- new pairs (`recognito credentials create`)

_UPPER_ALNUM = string.ascii_uppercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"


def new_credential(
    name: str | None, actions: tuple[str, ...], resources: tuple[str, ...]
) -> AdminCredential:
    """A fresh pair shaped like AWS's: AKIA + 16 upper-case letters and digits, and a
    40-character secret."""
    check_actions(actions, "--action")
    key_id = "AKIA" + "".join(secrets.choice(_UPPER_ALNUM) for _ in range(16))
    secret = "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(40))
    return AdminCredential(key_id, secret, name, actions, resources)


def toml_entry(credential: AdminCredential) -> str:
    def text(value: str) -> str:
        return json.dumps(value)  # a JSON string is a TOML basic string

    lines = ["[[credential]]"]
    if credential.name is not None:
        lines.append(f"name = {text(credential.name)}")
    lines += [
        f"access_key_id = {text(credential.access_key_id)}",
        f"secret_access_key = {text(credential.secret_access_key)}",
        f"actions = [{', '.join(text(a) for a in credential.actions)}]",
        f"resources = [{', '.join(text(r) for r in credential.resources)}]",
    ]
    return "\n".join(lines) + "\n"


def append(path: Path, credential: AdminCredential) -> None:
    """Add the pair to the file, created readable by its owner only. The whole file is
    parsed first, so a pair is never appended to one the server could not read."""
    if path.exists():
        current = load(path)
        if credential.access_key_id in current:  # one in 36^16: never, but say so
            raise ValueError(f"{path}: access key id {credential.access_key_id} exists")
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as out:
        if os.fstat(descriptor).st_size > 0:
            out.write("\n")
        out.write(toml_entry(credential))
