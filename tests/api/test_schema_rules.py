"""Pool schema rules over the wire: constraints, developer-only and custom attributes
(behaviour reference §13)."""

from __future__ import annotations

from typing import Any

from .support import (
    MakeClient,
    MakePool,
    MakeUser,
    admin_attributes,
    as_attributes,
    cognito_error,
    sign_in,
    unique,
    unverified_claims,
)


def _schema_entry(cognito: Any, pool_id: str, name: str) -> dict[str, Any]:
    schema = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]
    entry: dict[str, Any] = next(e for e in schema if e["Name"] == name)
    return entry


# --- Number constraints of standard attributes ---------------------------------------------------


def test_updated_at_takes_number_constraints_and_enforces_them(
    cognito: Any, make_pool: MakePool
) -> None:
    pool_id = make_pool(
        Schema=[
            {
                "Name": "updated_at",
                "AttributeDataType": "Number",
                "NumberAttributeConstraints": {"MaxValue": "2000000000"},
            }
        ]
    )
    assert _schema_entry(cognito, pool_id, "updated_at")["NumberAttributeConstraints"] == {
        "MinValue": "0",
        "MaxValue": "2000000000",
    }
    with cognito_error(
        "InvalidParameterException",
        "Attributes did not conform to the schema: updated_at: Number must be no greater than"
        " 2000000000",
    ):
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=unique("user"),
            UserAttributes=as_attributes({"updated_at": "2000000001"}),
            MessageAction="SUPPRESS",
        )


def test_updated_at_constraints_must_be_valid(cognito: Any) -> None:
    def create(constraints: dict[str, str]) -> None:
        cognito.create_user_pool(
            PoolName=unique("pool"),
            Schema=[
                {
                    "Name": "updated_at",
                    "AttributeDataType": "Number",
                    "NumberAttributeConstraints": constraints,
                }
            ],
        )

    with cognito_error(
        "InvalidParameterException",
        "Invalid NumberAttributeConstraints for schema attribute updated_at",
    ):
        create({"MaxValue": "tomorrow"})
    with cognito_error(
        "InvalidParameterException", "user.updated_at: Max value cannot be less than min value."
    ):
        create({"MinValue": "2", "MaxValue": "1"})


# --- custom attributes need a type ---------------------------------------------------------------

NO_TYPE = "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."


def test_custom_attribute_without_a_type_is_refused(cognito: Any, make_pool: MakePool) -> None:
    with cognito_error("InvalidParameterException", NO_TYPE):
        cognito.create_user_pool(PoolName=unique("pool"), Schema=[{"Name": "tenant"}])
    pool_id = make_pool()
    with cognito_error("InvalidParameterException", NO_TYPE):
        cognito.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[{"Name": "tenant"}])
    names = [
        e["Name"]
        for e in cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]
    ]
    assert "custom:tenant" not in names


# --- developer-only attributes -------------------------------------------------------------------

UNAUTHORIZED = "A client attempted to write unauthorized attribute"


def test_developer_only_attribute_is_named_dev_custom(cognito: Any, make_pool: MakePool) -> None:
    pool_id = make_pool(
        Schema=[{"Name": "tier", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}]
    )
    entry = _schema_entry(cognito, pool_id, "dev:custom:tier")
    assert entry["DeveloperOnlyAttribute"] is True
    cognito.add_custom_attributes(
        UserPoolId=pool_id,
        CustomAttributes=[
            {"Name": "level", "AttributeDataType": "Number", "DeveloperOnlyAttribute": True}
        ],
    )
    assert _schema_entry(cognito, pool_id, "dev:custom:level")["AttributeDataType"] == "Number"
    with cognito_error(
        "InvalidParameterException",
        "custom:tier: Existing attribute already has name dev:custom:tier.",
    ):
        cognito.add_custom_attributes(
            UserPoolId=pool_id,
            CustomAttributes=[{"Name": "tier", "AttributeDataType": "String"}],
        )


def test_only_administrators_see_and_write_developer_only_attributes(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool(
        Schema=[{"Name": "tier", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}]
    )
    app = make_client(pool_id)
    user = make_user(pool_id, attributes={"dev:custom:tier": "gold"})
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username=user.username,
        UserAttributes=as_attributes({"dev:custom:tier": "platinum"}),
    )
    assert admin_attributes(cognito, pool_id, user.username)["dev:custom:tier"] == "platinum"

    tokens = sign_in(cognito, app, user.username, user.password)
    assert "dev:custom:tier" not in unverified_claims(tokens["IdToken"])
    access = tokens["AccessToken"]
    own = {a["Name"] for a in cognito.get_user(AccessToken=access)["UserAttributes"]}
    assert "dev:custom:tier" not in own and "sub" in own
    with cognito_error("NotAuthorizedException", UNAUTHORIZED):
        cognito.update_user_attributes(
            AccessToken=access, UserAttributes=as_attributes({"dev:custom:tier": "free"})
        )
    with cognito_error("NotAuthorizedException", UNAUTHORIZED):
        cognito.delete_user_attributes(AccessToken=access, UserAttributeNames=["dev:custom:tier"])
    assert admin_attributes(cognito, pool_id, user.username)["dev:custom:tier"] == "platinum"

    cognito.admin_delete_user_attributes(
        UserPoolId=pool_id, Username=user.username, UserAttributeNames=["dev:custom:tier"]
    )
    assert "dev:custom:tier" not in admin_attributes(cognito, pool_id, user.username)
