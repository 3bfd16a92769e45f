"""Facts from the behaviour reference that several tests check, written once and
independently of the code under test (reference §3.1, §13.1)."""

from __future__ import annotations

# DescribeUserPool lists the standard attributes in exactly this order
STANDARD_SCHEMA_ORDER = [
    "sub",
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
]

# what CreateUserPool with only a PoolName reports as its password policy
DEFAULT_PASSWORD_POLICY = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}
