"""Fresh names, addresses and ports no other test (or xdist worker) uses; the passwords,
codes and masks the tests expect."""

from __future__ import annotations

import re
import secrets
import socket
import uuid

# Passwords that satisfy the default policy (8+, upper, lower, digit, symbol) and that the
# AWS CLI shorthand syntax passes through unchanged (no commas, quotes or spaces).
PASSWORD = "Corr3ct-Horse!"
NEW_PASSWORD = "N3w-Passw0rd!"
TEMP_PASSWORD = "Temp0rary-Pass!"

CODE_RE = re.compile(r"(?<!\d)\d{6}(?!\d)")
POOL_ID_RE = re.compile(r"^us-east-1_[0-9A-Za-z]{9}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def unique(prefix: str) -> str:
    """A name no other test (or xdist worker) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def new_email(local: str = "user") -> str:
    return f"{local}.{uuid.uuid4().hex[:10]}@example.com"


def new_phone() -> str:
    """A fresh E.164 US number (11 digits after the plus)."""
    return "+1555" + "".join(secrets.choice("0123456789") for _ in range(7))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def mask_email(address: str) -> str:
    """Cognito's current masking: `f***@e***` for `fixture@example.com`."""
    local, domain = address.split("@", 1)
    return f"{local[0]}***@{domain[0]}***"


def mask_phone(number: str) -> str:
    """`+14155550123` -> `+*******0123`."""
    digits = number.lstrip("+")
    return "+" + "*" * (len(digits) - 4) + digits[-4:]


def wrong_code(code: str) -> str:
    """A six-digit code guaranteed to differ from `code`."""
    return f"{(int(code) + 1) % 1_000_000:06d}"
