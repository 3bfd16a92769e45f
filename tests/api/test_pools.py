"""User pools and app clients: create/describe/list/update/delete and their defaults."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.cognito_reference import DEFAULT_PASSWORD_POLICY, STANDARD_SCHEMA_ORDER

from .support import (
    POOL_ID_RE,
    MakeClient,
    MakePool,
    cognito_error,
    unique,
)

MISSING_POOL = "us-east-1_AAAAAAAAA"
MISSING_CLIENT = "1example23456789abcdefghij"
CLIENT_ID_RE = re.compile(r"^[0-9a-z]{26}$")
CLIENT_SECRET_RE = re.compile(r"^[0-9a-z]{52}$")


def test_create_user_pool_with_only_a_name_returns_cognito_defaults(cognito: Any) -> None:
    name = unique("defaults")
    pool = cognito.create_user_pool(PoolName=name)["UserPool"]

    assert POOL_ID_RE.match(pool["Id"]), pool["Id"]
    assert pool["Name"] == name
    assert re.fullmatch(
        rf"arn:aws:cognito-idp:us-east-1:\d{{12}}:userpool/{pool['Id']}", pool["Arn"]
    ), pool["Arn"]
    assert pool["Policies"]["PasswordPolicy"] == DEFAULT_PASSWORD_POLICY
    assert pool["MfaConfiguration"] == "OFF"
    assert pool["EstimatedNumberOfUsers"] == 0
    assert pool["LambdaConfig"] == {}
    assert pool["VerificationMessageTemplate"]["DefaultEmailOption"] == "CONFIRM_WITH_CODE"
    assert pool["EmailConfiguration"] == {"EmailSendingAccount": "COGNITO_DEFAULT"}
    assert pool["AdminCreateUserConfig"] == {
        "AllowAdminCreateUserOnly": False,
        "UnusedAccountValidityDays": 7,
    }
    assert "AccountRecoverySetting" not in pool
    assert "UsernameConfiguration" not in pool
    assert isinstance(pool["CreationDate"], dt.datetime)
    assert isinstance(pool["LastModifiedDate"], dt.datetime)


def test_default_schema_lists_standard_attributes_in_cognito_order(cognito: Any) -> None:
    schema = cognito.create_user_pool(PoolName=unique("schema"))["UserPool"]["SchemaAttributes"]
    by_name = {entry["Name"]: entry for entry in schema}

    assert [entry["Name"] for entry in schema] == STANDARD_SCHEMA_ORDER
    assert all(entry["DeveloperOnlyAttribute"] is False for entry in schema)
    assert by_name["sub"] == {
        "Name": "sub",
        "AttributeDataType": "String",
        "DeveloperOnlyAttribute": False,
        "Mutable": False,
        "Required": True,
        "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "2048"},
    }
    assert by_name["email"]["StringAttributeConstraints"] == {"MinLength": "0", "MaxLength": "2048"}
    assert (by_name["email"]["Mutable"], by_name["email"]["Required"]) == (True, False)
    assert by_name["birthdate"]["StringAttributeConstraints"] == {
        "MinLength": "10",
        "MaxLength": "10",
    }
    assert by_name["email_verified"]["AttributeDataType"] == "Boolean"
    assert "StringAttributeConstraints" not in by_name["email_verified"]
    assert by_name["updated_at"]["AttributeDataType"] == "Number"
    assert by_name["updated_at"]["NumberAttributeConstraints"] == {"MinValue": "0"}


def test_describe_user_pool_matches_what_create_returned(cognito: Any) -> None:
    created = cognito.create_user_pool(
        PoolName=unique("describe"),
        AutoVerifiedAttributes=["email"],
        Policies={"PasswordPolicy": {"MinimumLength": 10, "RequireSymbols": False}},
    )["UserPool"]

    described = cognito.describe_user_pool(UserPoolId=created["Id"])["UserPool"]

    for key in ("Id", "Name", "Arn", "SchemaAttributes", "MfaConfiguration", "Policies"):
        assert described[key] == created[key], key
    assert described["AutoVerifiedAttributes"] == ["email"]
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    assert described["Policies"]["PasswordPolicy"]["RequireSymbols"] is False


def test_temporary_password_validity_zero_means_the_default_seven_days(cognito: Any) -> None:
    pool = cognito.create_user_pool(
        PoolName=unique("tpv"),
        Policies={"PasswordPolicy": {"MinimumLength": 8, "TemporaryPasswordValidityDays": 0}},
    )["UserPool"]

    assert pool["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"] == 7


def test_estimated_number_of_users_counts_users(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool()
    for name in ("one", "two"):
        cognito.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")

    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]

    assert pool["EstimatedNumberOfUsers"] == 2


def test_list_user_pools_pages_through_every_pool(cognito: Any, make_pool: MakePool) -> None:
    mine = {make_pool(PoolName=unique("listed")) for _ in range(3)}

    seen: list[str] = []
    kwargs: dict[str, Any] = {"MaxResults": 2}
    while True:
        page = cognito.list_user_pools(**kwargs)
        assert len(page["UserPools"]) <= 2
        seen.extend(pool["Id"] for pool in page["UserPools"])
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]

    assert len(seen) == len(set(seen))
    assert mine <= set(seen)


def test_list_user_pools_entries_carry_name_and_dates(cognito: Any, make_pool: MakePool) -> None:
    name = unique("entry")
    pool_id = make_pool(PoolName=name)

    entries = [
        pool
        for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60)
        for pool in page["UserPools"]
    ]
    mine = next(pool for pool in entries if pool["Id"] == pool_id)

    assert mine["Name"] == name
    assert isinstance(mine["CreationDate"], dt.datetime)
    assert isinstance(mine["LastModifiedDate"], dt.datetime)


def test_update_user_pool_changes_settings(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool()
    policy = {
        "MinimumLength": 12,
        "RequireUppercase": False,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": False,
        "TemporaryPasswordValidityDays": 3,
    }

    response = cognito.update_user_pool(
        UserPoolId=pool_id,
        Policies={"PasswordPolicy": policy},
        AutoVerifiedAttributes=["email"],
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
    )
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]

    assert set(response) == {"ResponseMetadata"}
    assert pool["Policies"]["PasswordPolicy"] == policy
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True


def test_update_user_pool_renames_and_keeps_the_mfa_factors(
    cognito: Any, make_pool: MakePool
) -> None:
    pool_id = make_pool()
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )

    cognito.update_user_pool(UserPoolId=pool_id, PoolName="renamed", MfaConfiguration="OPTIONAL")

    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["Name"] == "renamed"
    mfa = cognito.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert mfa["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert mfa["MfaConfiguration"] == "OPTIONAL"


def test_delete_user_pool_makes_it_unknown(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool()

    cognito.delete_user_pool(UserPoolId=pool_id)

    with cognito_error("ResourceNotFoundException", f"User pool {pool_id} does not exist."):
        cognito.describe_user_pool(UserPoolId=pool_id)


def test_unknown_pool_is_resource_not_found(cognito: Any) -> None:
    message = f"User pool {MISSING_POOL} does not exist."
    with cognito_error("ResourceNotFoundException", message):
        cognito.describe_user_pool(UserPoolId=MISSING_POOL)
    with cognito_error("ResourceNotFoundException", message):
        cognito.create_user_pool_client(UserPoolId=MISSING_POOL, ClientName="app")
    with cognito_error("ResourceNotFoundException", message):
        cognito.admin_get_user(UserPoolId=MISSING_POOL, Username="nobody")
    with cognito_error("ResourceNotFoundException", message):
        cognito.list_users(UserPoolId=MISSING_POOL)
    with cognito_error("ResourceNotFoundException", message):
        cognito.delete_user_pool(UserPoolId=MISSING_POOL)


# --------------------------------------------------------------------------- clients


def test_create_client_without_secret_returns_cognito_defaults(
    cognito: Any, make_pool: MakePool
) -> None:
    pool_id = make_pool()
    name = unique("plain")

    client = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName=name)["UserPoolClient"]

    assert CLIENT_ID_RE.match(client["ClientId"]), client["ClientId"]
    assert client["UserPoolId"] == pool_id
    assert client["ClientName"] == name
    assert client["RefreshTokenValidity"] == 30
    assert client["TokenValidityUnits"] == {}
    assert client["AllowedOAuthFlowsUserPoolClient"] is False
    assert client["EnableTokenRevocation"] is True
    assert client["EnablePropagateAdditionalUserContextData"] is False
    assert client["AuthSessionValidity"] == 3
    assert isinstance(client["CreationDate"], dt.datetime)
    assert isinstance(client["LastModifiedDate"], dt.datetime)
    for absent in (
        "ClientSecret",
        "ExplicitAuthFlows",
        "PreventUserExistenceErrors",
        "AccessTokenValidity",
        "IdTokenValidity",
        "ReadAttributes",
        "WriteAttributes",
    ):
        assert absent not in client, absent


def test_create_client_with_generated_secret(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool()

    client = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="secretive", GenerateSecret=True
    )["UserPoolClient"]

    assert CLIENT_ID_RE.match(client["ClientId"]), client["ClientId"]
    assert CLIENT_SECRET_RE.match(client["ClientSecret"]), client["ClientSecret"]


def test_client_ids_and_secrets_are_unique(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool()
    clients = [
        cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName=f"c{i}", GenerateSecret=True
        )["UserPoolClient"]
        for i in range(3)
    ]

    assert len({c["ClientId"] for c in clients}) == 3
    assert len({c["ClientSecret"] for c in clients}) == 3


def test_describe_client_returns_its_settings_and_secret(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    pool_id = make_pool()
    app = make_client(pool_id, secret=True, PreventUserExistenceErrors="ENABLED")

    client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=app.client_id)[
        "UserPoolClient"
    ]

    assert client["ClientId"] == app.client_id
    assert client["ClientSecret"] == app.secret
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert sorted(client["ExplicitAuthFlows"]) == sorted(
        ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )


def test_list_clients_pages_through_the_pools_clients(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    pool_id = make_pool()
    made = {make_client(pool_id).client_id for _ in range(3)}

    seen: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"UserPoolId": pool_id, "MaxResults": 2}
    while True:
        page = cognito.list_user_pool_clients(**kwargs)
        assert len(page["UserPoolClients"]) <= 2
        seen.extend(page["UserPoolClients"])
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]

    assert sorted(c["ClientId"] for c in seen) == sorted(made)
    assert all(set(c) == {"ClientId", "UserPoolId", "ClientName"} for c in seen), seen
    assert all(c["UserPoolId"] == pool_id for c in seen)


def test_update_client_replaces_settings(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    pool_id = make_pool()
    app = make_client(pool_id)

    updated = cognito.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=app.client_id,
        ClientName="renamed",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity=2,
        AuthSessionValidity=10,
    )["UserPoolClient"]
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=app.client_id)[
        "UserPoolClient"
    ]

    for client in (updated, described):
        assert client["ClientName"] == "renamed"
        assert sorted(client["ExplicitAuthFlows"]) == [
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH",
        ]
        assert client["AccessTokenValidity"] == 2
        assert client["AuthSessionValidity"] == 10


def test_delete_client_makes_it_unknown(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    pool_id = make_pool()
    app = make_client(pool_id)

    cognito.delete_user_pool_client(UserPoolId=pool_id, ClientId=app.client_id)

    message = f"User pool client {app.client_id} does not exist."
    with cognito_error("ResourceNotFoundException", message):
        cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=app.client_id)
    with cognito_error("ResourceNotFoundException", message):
        cognito.initiate_auth(
            ClientId=app.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "someone", "PASSWORD": "Whatever-1"},
        )


def test_unknown_client_is_resource_not_found(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool()
    message = f"User pool client {MISSING_CLIENT} does not exist."

    with cognito_error("ResourceNotFoundException", message):
        cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=MISSING_CLIENT)
    with cognito_error("ResourceNotFoundException", message):
        cognito.sign_up(ClientId=MISSING_CLIENT, Username="someone", Password="Passw0rd!")
    with cognito_error("ResourceNotFoundException", message):
        cognito.forgot_password(ClientId=MISSING_CLIENT, Username="someone")


def test_client_of_another_pool_is_not_found(
    cognito: Any, make_pool: MakePool, make_client: MakeClient
) -> None:
    app = make_client(make_pool())
    other_pool = make_pool()

    with cognito_error(
        "ResourceNotFoundException", f"User pool client {app.client_id} does not exist."
    ):
        cognito.describe_user_pool_client(UserPoolId=other_pool, ClientId=app.client_id)


def test_tags_are_added_listed_and_removed_by_pool_arn(cognito: Any, make_pool: MakePool) -> None:
    pool = cognito.describe_user_pool(UserPoolId=make_pool(UserPoolTags={"team": "id"}))
    arn = pool["UserPool"]["Arn"]
    cognito.tag_resource(ResourceArn=arn, Tags={"env": "test"})
    assert cognito.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "id", "env": "test"}
    cognito.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert cognito.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "test"}
    described = cognito.describe_user_pool(UserPoolId=pool["UserPool"]["Id"])["UserPool"]
    assert described["UserPoolTags"] == {"env": "test"}


def test_tags_of_an_unknown_arn_are_resource_not_found(cognito: Any) -> None:
    arn = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_missing00"
    with cognito_error("ResourceNotFoundException"):
        cognito.list_tags_for_resource(ResourceArn=arn)
