"""Resource servers: Create/Describe/List/Update/DeleteResourceServer, their limits and
errors."""

from __future__ import annotations

from typing import Any

from tests.api.support import AwsCli, cognito_error

READ = {"ScopeName": "read", "ScopeDescription": "Read the data"}
WRITE = {"ScopeName": "write", "ScopeDescription": "Change the data"}


def test_resource_server_lifecycle(cognito: Any, pool_id: str) -> None:
    created = cognito.create_resource_server(
        UserPoolId=pool_id, Identifier="https://api.example.com", Name="API", Scopes=[READ]
    )["ResourceServer"]
    assert created == {
        "UserPoolId": pool_id,
        "Identifier": "https://api.example.com",
        "Name": "API",
        "Scopes": [READ],
    }
    described = cognito.describe_resource_server(
        UserPoolId=pool_id, Identifier="https://api.example.com"
    )["ResourceServer"]
    assert described == created
    updated = cognito.update_resource_server(
        UserPoolId=pool_id, Identifier="https://api.example.com", Name="API v2", Scopes=[WRITE]
    )["ResourceServer"]
    assert (updated["Name"], updated["Scopes"]) == ("API v2", [WRITE])
    cognito.delete_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com")
    with cognito_error(
        "ResourceNotFoundException", "Resource server https://api.example.com does not exist."
    ):
        cognito.describe_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com")


def test_update_without_scopes_leaves_none(cognito: Any, pool_id: str) -> None:
    cognito.create_resource_server(
        UserPoolId=pool_id, Identifier="orders", Name="Orders", Scopes=[READ, WRITE]
    )
    updated = cognito.update_resource_server(UserPoolId=pool_id, Identifier="orders", Name="Orders")
    assert updated["ResourceServer"]["Scopes"] == []
    described = cognito.describe_resource_server(UserPoolId=pool_id, Identifier="orders")
    assert described["ResourceServer"]["Scopes"] == []


def test_create_without_scopes(cognito: Any, pool_id: str) -> None:
    created = cognito.create_resource_server(UserPoolId=pool_id, Identifier="bare", Name="Bare")
    assert created["ResourceServer"]["Scopes"] == []


def test_list_pages_through_every_server(cognito: Any, pool_id: str) -> None:
    identifiers = [f"api-{i}" for i in range(5)]
    for identifier in identifiers:
        cognito.create_resource_server(UserPoolId=pool_id, Identifier=identifier, Name="n")
    seen: list[str] = []
    kwargs: dict[str, Any] = {"UserPoolId": pool_id, "MaxResults": 2}
    pages = 0
    while True:
        page = cognito.list_resource_servers(**kwargs)
        pages += 1
        assert len(page["ResourceServers"]) <= 2
        seen += [s["Identifier"] for s in page["ResourceServers"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert (seen, pages) == (identifiers, 3)
    whole = cognito.list_resource_servers(UserPoolId=pool_id, MaxResults=50)
    assert "NextToken" not in whole
    assert len(whole["ResourceServers"]) == 5


def test_list_page_size_is_1_to_50(cognito: Any, pool_id: str) -> None:
    with cognito_error("InvalidParameterException") as info:
        cognito.list_resource_servers(UserPoolId=pool_id, MaxResults=51)
    assert "Member must have value less than or equal to 50" in str(info.value)


def test_an_identifier_is_used_once_per_pool(cognito: Any, pool_id: str, make_pool: Any) -> None:
    cognito.create_resource_server(UserPoolId=pool_id, Identifier="orders", Name="Orders")
    with cognito_error(
        "InvalidParameterException",
        "A resource server with identifier orders already exists in this user pool.",
    ):
        cognito.create_resource_server(UserPoolId=pool_id, Identifier="orders", Name="Again")
    # another pool may use it
    cognito.create_resource_server(UserPoolId=make_pool(), Identifier="orders", Name="Orders")


def test_a_scope_name_is_used_once_per_server(cognito: Any, pool_id: str) -> None:
    with cognito_error("InvalidParameterException", "Duplicate scope name: read"):
        cognito.create_resource_server(
            UserPoolId=pool_id, Identifier="dup", Name="Dup", Scopes=[READ, READ]
        )


def test_a_pool_holds_25_resource_servers(cognito: Any, pool_id: str) -> None:
    for i in range(25):
        cognito.create_resource_server(UserPoolId=pool_id, Identifier=f"api-{i:02}", Name="n")
    with cognito_error(
        "LimitExceededException", "A user pool can have at most 25 resource servers."
    ):
        cognito.create_resource_server(UserPoolId=pool_id, Identifier="api-25", Name="n")
    cognito.delete_resource_server(UserPoolId=pool_id, Identifier="api-00")
    cognito.create_resource_server(UserPoolId=pool_id, Identifier="api-25", Name="n")


def test_unknown_server_or_pool(cognito: Any, pool_id: str) -> None:
    missing = "Resource server nothing does not exist."
    with cognito_error("ResourceNotFoundException", missing):
        cognito.update_resource_server(UserPoolId=pool_id, Identifier="nothing", Name="n")
    with cognito_error("ResourceNotFoundException", missing):
        cognito.delete_resource_server(UserPoolId=pool_id, Identifier="nothing")
    with cognito_error("ResourceNotFoundException", "User pool us-east-1_nope0000 does not exist."):
        cognito.create_resource_server(UserPoolId="us-east-1_nope0000", Identifier="x", Name="n")
    with cognito_error("ResourceNotFoundException", "User pool us-east-1_nope0000 does not exist."):
        cognito.list_resource_servers(UserPoolId="us-east-1_nope0000", MaxResults=10)


def test_scope_names_follow_the_model(cognito: Any, pool_id: str) -> None:
    with cognito_error("InvalidParameterException") as info:
        cognito.create_resource_server(
            UserPoolId=pool_id,
            Identifier="slash",
            Name="n",
            Scopes=[{"ScopeName": "a/b", "ScopeDescription": "d"}],
        )
    assert "scopes.1.member.scopeName" in str(info.value)


def test_resource_servers_through_the_aws_cli(aws: AwsCli, pool_id: str) -> None:
    created = aws(
        "create-resource-server",
        "--user-pool-id",
        pool_id,
        "--identifier",
        "reports",
        "--name",
        "Reports",
        "--scopes",
        "ScopeName=read,ScopeDescription=Read reports",
    ).json()["ResourceServer"]
    assert created["Scopes"] == [{"ScopeName": "read", "ScopeDescription": "Read reports"}]
    listed = aws("list-resource-servers", "--user-pool-id", pool_id, "--max-results", "10").json()
    assert [s["Identifier"] for s in listed["ResourceServers"]] == ["reports"]
    aws("delete-resource-server", "--user-pool-id", pool_id, "--identifier", "reports").ok()
    aws(
        "describe-resource-server", "--user-pool-id", pool_id, "--identifier", "reports"
    ).fails_with(
        "DescribeResourceServer",
        "ResourceNotFoundException",
        "Resource server reports does not exist.",
    )
