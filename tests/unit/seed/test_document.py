"""A seed file is checked whole before anything is applied, each fault named by its path."""

from __future__ import annotations

import pytest

from recognito.seed import SeedError, parse
from recognito.seed.diff import changed
from recognito.seed.document import located


def refused(text: str) -> SeedError:
    with pytest.raises(SeedError) as error:
        parse(text)
    return error.value


def test_an_empty_file_is_no_pools() -> None:
    assert parse("") == []


def test_a_block_becomes_its_operations_requests() -> None:
    [pool] = parse(
        """
Pools:
  - Id: eu-west-1_Abc123
    PoolName: p
    MfaConfiguration: "ON"
    SoftwareTokenMfaConfiguration: {Enabled: true}
    Domain: p-auth
    Clients: [{ClientName: c, ClientId: abc123}]
    Users: [{Username: u, Password: Passw0rd!, Enabled: false}]
"""
    )
    assert pool.pool_id == "eu-west-1_Abc123"
    assert pool.request == {"PoolName": "p", "MfaConfiguration": "ON"}
    assert pool.mfa == {
        "SoftwareTokenMfaConfiguration": {"Enabled": True},
        "MfaConfiguration": "ON",
    }
    assert pool.domain == {"Domain": "p-auth"}
    assert pool.clients == [("Pools[0].Clients[0]", "abc123", {"ClientName": "c"})]
    assert (pool.users[0].password, pool.users[0].enabled) == ("Passw0rd!", False)


@pytest.mark.parametrize(
    ("text", "path", "says"),
    [
        ("Pools: {}", "Pools", "not a list"),
        ("Users: []", "Users", "not a member here"),
        ("Pools: [{PoolName: p, Colour: red}]", "Pools[0].Colour", "not a member here"),
        ("Pools: [{PoolName: p, Id: p_1}]", "Pools[0].Id", "<region>_<id>"),
        ("Pools: [{Policies: {}}]", "Pools[0].PoolName", "Member must not be null"),
        (
            "Pools: [{PoolName: p, Policies: {PasswordPolicy: {MinimumLength: 500}}}]",
            "Pools[0].Policies.PasswordPolicy.MinimumLength",
            "less than or equal to 99",
        ),
        (
            "Pools: [{PoolName: p, Clients: [{ClientName: c, CallbackURLs: [x#y]}]}]",
            "Pools[0].Clients[0].CallbackURLs[0]",
            "not a URL Cognito accepts",
        ),
        (
            "Pools: [{PoolName: p, Users: [{Username: u, Groups: [nobody]}]}]",
            "Pools[0].Users[0].Groups[0]",
            "no group 'nobody'",
        ),
        (
            "Pools: [{PoolName: p, Users: [{Username: u, Password: a, TemporaryPassword: b}]}]",
            "Pools[0].Users[0].TemporaryPassword",
            "not both",
        ),
        (
            "Pools: [{PoolName: p, Users: [{Username: u, MessageAction: RESEND}]}]",
            "Pools[0].Users[0].MessageAction",
            "not a member here",
        ),
        (
            "Pools: [{PoolName: p, Users: [{Username: u}, {Username: u}]}]",
            "Pools[0].Users[1]",
            "a second user named 'u'",
        ),
        ("Pools: [{PoolName: p}, {PoolName: p}]", "Pools[1]", "a second pool"),
    ],
)
def test_each_fault_is_named_by_its_path(text: str, path: str, says: str) -> None:
    error = refused(text)
    assert error.path == path
    assert says in str(error)


def test_yaml_that_does_not_parse_names_its_line() -> None:
    assert "not YAML (line 3, column 1)" in str(refused("Pools:\n  - [unclosed\n"))


def test_aws_paths_become_the_files_paths() -> None:
    message = (
        "1 validation error detected: Value 'x' at 'callbackURLs.2.member' failed to "
        "satisfy constraint: Member must have length less than or equal to 1024"
    )
    where, detail = located("Pools[0].Clients[1]", message)
    assert where == "Pools[0].Clients[1].CallbackURLs[1]"
    assert detail.endswith("less than or equal to 1024")


def test_only_the_members_given_are_compared() -> None:
    live = {"Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireNumbers": True}}}
    assert changed({"Policies": {"PasswordPolicy": {"MinimumLength": 8}}}, live) == []
    assert changed({"Policies": {"PasswordPolicy": {"MinimumLength": 9}}}, live) == ["Policies"]
    schema = {"Schema": [{"Name": "custom:t", "Mutable": True}]}
    assert changed({"Schema": [{"Name": "t", "Mutable": True}]}, schema) == []
    assert changed({"Flows": ["b", "a"], "On": True}, {"Flows": ["a", "b"], "On": "true"}) == []
