"""`recognito seed apply|export` run as a user runs them (subprocesses), on a store with and
without a server running on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyotp
import yaml

from tests.api.support import StartServer, open_boto_client
from tests.api.support.server import run_recognito

POOL_ID = "us-east-1_SeedDemo1"
WEB = "seeddemoweb000000000000001"
BACKEND = "seeddemobackend00000000001"
BACKEND_SECRET = "seeddemobackendsecret000000000000000000000000000001"
TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

SEED: dict[str, Any] = {
    "Pools": [
        {
            "Id": POOL_ID,
            "PoolName": "seed-demo",
            "Policies": {"PasswordPolicy": {"MinimumLength": 8}},
            "AutoVerifiedAttributes": ["email"],
            "Schema": [{"Name": "tenant", "AttributeDataType": "String"}],
            "MfaConfiguration": "OPTIONAL",
            "SoftwareTokenMfaConfiguration": {"Enabled": True},
            "Domain": "seed-demo-auth",
            "Groups": [{"GroupName": "admins", "Description": "Admins", "Precedence": 1}],
            "Clients": [
                {
                    "ClientName": "web",
                    "ClientId": WEB,
                    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                    "AllowedOAuthFlowsUserPoolClient": True,
                    "AllowedOAuthFlows": ["code"],
                    "AllowedOAuthScopes": ["openid", "email"],
                    "SupportedIdentityProviders": ["COGNITO"],
                    "CallbackURLs": ["http://localhost:8000/callback"],
                },
                {
                    "ClientName": "backend",
                    "ClientId": BACKEND,
                    "ClientSecret": BACKEND_SECRET,
                    "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
                },
            ],
            "Users": [
                {
                    "Username": "alice",
                    "UserAttributes": [
                        {"Name": "email", "Value": "alice@example.com"},
                        {"Name": "email_verified", "Value": "true"},
                        {"Name": "custom:tenant", "Value": "acme"},
                    ],
                    "Password": "Perm4nent!pass",
                    "Groups": ["admins"],
                    "TotpSecret": TOTP,
                },
                {"Username": "bob", "TemporaryPassword": "Temp0rary!pass", "Enabled": False},
            ],
        }
    ]
}

CREATED = [
    f"created pool seed-demo ({POOL_ID})",
    "set the MFA configuration of pool seed-demo",
    "created domain seed-demo-auth of pool seed-demo",
    "created group admins in pool seed-demo",
    f"created client web ({WEB}) in pool seed-demo",
    f"created client backend ({BACKEND}) in pool seed-demo",
    "created user alice in pool seed-demo",
    "set the password of user alice in pool seed-demo",
    "added user alice in pool seed-demo to group admins",
    "set the TOTP secret of user alice in pool seed-demo",
    "created user bob in pool seed-demo",
    "disabled user bob in pool seed-demo",
]


def _write(path: Path, seed: Any) -> Path:
    path.write_text(yaml.safe_dump(seed, sort_keys=False))
    return path


def _apply(seed_file: Path, data_dir: Path) -> tuple[int, list[str], str]:
    done = run_recognito(
        "seed", "apply", str(seed_file), "--data-dir", str(data_dir), "--password-hashing", "fast"
    )
    return done.returncode, done.stdout.splitlines(), done.stderr


def _export(data_dir: Path, *more: str) -> Any:
    done = run_recognito("seed", "export", "--data-dir", str(data_dir), *more)
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def test_seed_applied_twice_changes_nothing_and_a_changed_file_reports_each_change(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    seed_file = _write(tmp_path / "seed.yaml", SEED)
    code, lines, _ = _apply(seed_file, data)
    assert code == 0 and lines == CREATED

    code, lines, err = _apply(seed_file, data)
    assert (code, lines) == (0, [])
    assert "nothing to change" in err

    changed = yaml.safe_load(yaml.safe_dump(SEED))
    pool = changed["Pools"][0]
    pool["Policies"]["PasswordPolicy"]["MinimumLength"] = 12
    pool["Groups"].append({"GroupName": "editors"})
    pool["Clients"][0]["CallbackURLs"] = ["https://app.example.com/callback"]
    pool["Clients"][1]["ClientSecret"] = "rotated" + BACKEND_SECRET[7:]
    alice = pool["Users"][0]
    alice["UserAttributes"][2]["Value"] = "globex"
    alice["Groups"] = ["editors"]
    pool["Users"][1]["Enabled"] = True
    code, lines, _ = _apply(_write(seed_file, changed), data)
    assert code == 0
    assert lines == [
        "updated pool seed-demo: Policies",
        "created group editors in pool seed-demo",
        "updated client web in pool seed-demo: CallbackURLs",
        f"replaced client backend ({BACKEND}) in pool seed-demo: ClientSecret",
        "updated user alice in pool seed-demo: custom:tenant",
        "added user alice in pool seed-demo to group editors",
        "removed user alice in pool seed-demo from group admins",
        "enabled user bob in pool seed-demo",
    ]
    exported = _export(data)["Pools"][0]
    assert exported["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    users = {u["Username"]: u for u in exported["Users"]}
    assert users["alice"]["Groups"] == ["editors"]
    assert {"Name": "custom:tenant", "Value": "globex"} in users["alice"]["UserAttributes"]
    assert "Enabled" not in users["bob"]  # enabled: the default is not written
    backend = [c for c in exported["Clients"] if c["ClientId"] == BACKEND]
    assert backend[0]["ClientSecret"] == "rotated" + BACKEND_SECRET[7:]
    assert _apply(seed_file, data)[:2] == (0, [])


def test_a_bad_seed_file_names_the_path_and_applies_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad_url = yaml.safe_load(yaml.safe_dump(SEED))
    bad_url["Pools"][0]["Clients"][1]["CallbackURLs"] = [
        "https://ok.example.com/",
        "http://app.example.com/",
    ]
    code, lines, err = _apply(_write(tmp_path / "url.yaml", bad_url), data)
    assert code != 0 and lines == []
    assert (
        "Pools[0].Clients[1].CallbackURLs[1]: not a URL Cognito accepts: It must use https" in err
    )

    bad_type = yaml.safe_load(yaml.safe_dump(SEED))
    bad_type["Pools"][0]["Policies"]["PasswordPolicy"]["MinimumLength"] = "eight"
    code, _, err = _apply(_write(tmp_path / "type.yaml", bad_type), data)
    assert code != 0
    assert "Pools[0].Policies.PasswordPolicy.MinimumLength: " in err

    # a rule only the operation knows, in the second pool: the first pool, already made
    # inside the same transaction, is rolled back with it
    late = yaml.safe_load(yaml.safe_dump(SEED))
    late["Pools"].append(
        {
            "PoolName": "second",
            "Users": [
                {"Username": "carol", "UserAttributes": [{"Name": "custom:nope", "Value": "x"}]}
            ],
        }
    )
    code, lines, err = _apply(_write(tmp_path / "late.yaml", late), data)
    assert code != 0 and lines == []
    assert "Pools[1].Users[0]: " in err and "AdminCreateUser" in err
    assert _export(data) == {"Pools": []}


def test_seed_applies_to_a_running_servers_store_and_exports_round_trip(
    tmp_path: Path, private_server: StartServer
) -> None:
    data = tmp_path / "data"
    server = private_server(data, extra_args=["--password-hashing", "fast", "--workers", "1"])
    code, lines, err = _apply(_write(tmp_path / "seed.yaml", SEED), data)
    assert code == 0 and lines == CREATED, err

    with open_boto_client(server.base_url) as idp:  # the running server sees the seed
        challenge = idp.initiate_auth(
            ClientId=WEB,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": "Perm4nent!pass"},
        )
        assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
        tokens = idp.respond_to_auth_challenge(
            ClientId=WEB,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=challenge["Session"],
            ChallengeResponses={
                "USERNAME": "alice",
                "SOFTWARE_TOKEN_MFA_CODE": pyotp.TOTP(TOTP).now(),
            },
        )["AuthenticationResult"]
        assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"
        client = idp.describe_user_pool_client(UserPoolId=POOL_ID, ClientId=BACKEND)
        assert client["UserPoolClient"]["ClientSecret"] == BACKEND_SECRET
        bob = idp.admin_get_user(UserPoolId=POOL_ID, Username="bob")
        assert (bob["UserStatus"], bob["Enabled"]) == ("FORCE_CHANGE_PASSWORD", False)

    plain = _export(data)
    assert "PasswordHash" not in str(plain) and "TotpSecret" not in str(plain)
    exported = _export(data, "--with-password-hashes")
    export_file = _write(tmp_path / "export.yaml", exported)
    assert _apply(export_file, data)[:2] == (0, [])  # the store already is what it says

    fresh = tmp_path / "fresh"
    code, lines, err = _apply(export_file, fresh)
    assert code == 0, err
    assert _export(fresh, "--with-password-hashes") == exported
