"""Admin credentials: the file's format, IAM-style allow lists, new pairs appended."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from recognito.protocol import iam

POOL = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc"


def _credential(actions: tuple[str, ...], resources: tuple[str, ...]) -> iam.AdminCredential:
    return iam.AdminCredential("AKIDTEST", "secret", "ci", actions, resources)


@pytest.mark.parametrize(
    ("actions", "resources", "operation", "resource", "allowed"),
    [
        (("*",), ("*",), "AdminGetUser", POOL, True),
        (("*",), ("*",), "ListUserPools", "*", True),
        (("cognito-idp:Admin*",), ("*",), "AdminGetUser", POOL, True),
        (("cognito-idp:admin*",), ("*",), "AdminGetUser", POOL, True),  # actions: any case
        (("cognito-idp:Admin*",), ("*",), "ListUsers", POOL, False),
        (("cognito-idp:List?sers",), ("*",), "ListUsers", POOL, True),
        (("*",), ("arn:aws:cognito-idp:*:*:userpool/us-east-1_*",), "ListUsers", POOL, True),
        (("*",), ("arn:aws:cognito-idp:*:*:userpool/eu-west-1_*",), "ListUsers", POOL, False),
        (("*",), ("arn:aws:cognito-idp:*:*:userpool/US-EAST-1_*",), "ListUsers", POOL, False),
        # an operation on no pool is on `*`, which only `*` allows
        (("*",), ("arn:aws:cognito-idp:*:*:userpool/*",), "ListUserPools", "*", False),
        # `[` is no character class in IAM
        (("*",), ("arn:aws:cognito-idp:*:*:userpool/[u]s-east-1_abc",), "ListUsers", POOL, False),
    ],
)
def test_allow_lists_match_as_iam_does(
    actions: tuple[str, ...],
    resources: tuple[str, ...],
    operation: str,
    resource: str,
    allowed: bool,
) -> None:
    assert _credential(actions, resources).allows(operation, resource) is allowed


def test_the_principal_is_the_named_iam_user() -> None:
    assert _credential(("*",), ("*",)).principal == "arn:aws:iam::000000000000:user/ci"
    unnamed = iam.AdminCredential("AKIDTEST", "secret")
    assert unnamed.principal == "arn:aws:iam::000000000000:user/AKIDTEST"


def test_the_file_reads_defaults_and_lists() -> None:
    found = iam.parse(
        """
        [[credential]]
        access_key_id = "AKID1"
        secret_access_key = "one"

        [[credential]]
        name = "ops"
        access_key_id = "AKID2"
        secret_access_key = "two"
        actions = ["cognito-idp:Admin*", "cognito-idp:ListUsers"]
        resources = ["arn:aws:cognito-idp:*:*:userpool/us-east-1_*"]
        """,
        "creds.toml",
    )
    assert found["AKID1"] == iam.AdminCredential("AKID1", "one")
    assert found["AKID2"].actions == ("cognito-idp:Admin*", "cognito-idp:ListUsers")
    assert found["AKID2"].name == "ops"


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("[[credential]\n", "not valid TOML"),
        ('[[credential]]\naccess_key_id = "A"\n', "secret_access_key are required"),
        (
            '[[credential]]\naccess_key_id = "A"\nsecret_access_key = "s"\n' * 2,
            "appears twice",
        ),
        (
            '[[credential]]\naccess_key_id = "A"\nsecret_access_key = "s"\nactions = ["s3:*"]\n',
            "is not '*' nor 'cognito-idp:...'",
        ),
        (
            '[[credential]]\naccess_key_id = "A"\nsecret_access_key = "s"\nresources = []\n',
            "resources must be a non-empty list",
        ),
        ('credential = "x"\n', "must be an array of tables"),
    ],
)
def test_a_bad_file_says_what_is_wrong(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=re.escape(complaint)):
        iam.parse(text, "creds.toml")


def test_new_pairs_are_shaped_like_aws_ones_and_appended(tmp_path: Path) -> None:
    path = tmp_path / "creds.toml"
    first = iam.new_credential("ci", ("*",), ("*",))
    second = iam.new_credential(None, ("cognito-idp:List*",), ("arn:*",))
    assert re.fullmatch(r"AKIA[A-Z0-9]{16}", first.access_key_id)
    assert len(first.secret_access_key) == 40
    assert first.access_key_id != second.access_key_id
    iam.append(path, first)
    iam.append(path, second)
    assert iam.load(path) == {first.access_key_id: first, second.access_key_id: second}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_keyring_follows_the_file(tmp_path: Path) -> None:
    path = tmp_path / "creds.toml"
    first = iam.new_credential(None, ("*",), ("*",))
    iam.append(path, first)
    keyring = iam.Keyring(path)
    second = iam.new_credential(None, ("*",), ("*",))
    assert keyring.get(second.access_key_id) is None
    iam.append(path, second)
    assert keyring.get(second.access_key_id) == second
    path.write_text("[[credential]\n")  # broken while being edited: the last good set stays
    assert keyring.get(first.access_key_id) == first
