"""Tokens: JWKS verification, claims, lifetimes, refresh, revocation and persistence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .support import (
    PASSWORD,
    UUID_RE,
    App,
    MakeClient,
    MakePool,
    MakeUser,
    StartServer,
    User,
    admin_attributes,
    as_attributes,
    attributes,
    cognito_error,
    fetch_jwks,
    new_email,
    open_boto_client,
    refresh,
    sign_in,
    unique,
    unverified_claims,
    verify_jwt,
)

SCOPE = "aws.cognito.signin.user.admin"
REVOKED_ACCESS = "Access Token has been revoked"
REVOKED_REFRESH = "Refresh Token has been revoked"


@pytest.fixture
def person(pool_id: str, make_user: MakeUser) -> User:
    return make_user(
        pool_id, email=new_email("tok"), attributes={"given_name": "Tess", "family_name": "Ok"}
    )


def issuer(base_url: str, pool_id: str) -> str:
    return f"{base_url}/{pool_id}"


def test_jwks_publishes_rsa_signing_keys(base_url: str, pool_id: str) -> None:
    jwks = fetch_jwks(base_url, pool_id)

    assert len(jwks["keys"]) >= 2
    for key in jwks["keys"]:
        assert key["kty"] == "RSA"
        assert key["alg"] == "RS256"
        assert key["use"] == "sig"
        assert key["e"] == "AQAB"
        assert key["kid"] and key["n"]
        assert "d" not in key and "p" not in key


def test_each_pool_has_its_own_keys(base_url: str, make_pool: MakePool) -> None:
    first = {key["kid"] for key in fetch_jwks(base_url, make_pool())["keys"]}
    second = {key["kid"] for key in fetch_jwks(base_url, make_pool())["keys"]}

    assert first.isdisjoint(second)


def test_id_and_access_tokens_verify_with_cognito_claims(
    cognito: Any, base_url: str, app: App, person: User
) -> None:
    result = sign_in(cognito, app, person.username, person.password)
    jwks = fetch_jwks(base_url, app.pool_id)
    expected_issuer = issuer(base_url, app.pool_id)
    sub = admin_attributes(cognito, app.pool_id, person.username)["sub"]

    id_header, id_claims = verify_jwt(result["IdToken"], jwks, expected_issuer)
    access_header, access_claims = verify_jwt(result["AccessToken"], jwks, expected_issuer)

    assert result["ExpiresIn"] == 3600
    assert result["TokenType"] == "Bearer"
    assert set(id_header) == {"kid", "alg"} and id_header["alg"] == "RS256"
    assert set(access_header) == {"kid", "alg"} and access_header["alg"] == "RS256"
    assert id_header["kid"] != access_header["kid"]
    assert {id_header["kid"], access_header["kid"]} <= {key["kid"] for key in jwks["keys"]}

    assert id_claims["token_use"] == "id"
    assert id_claims["sub"] == sub
    assert id_claims["aud"] == app.client_id
    assert id_claims["cognito:username"] == person.username
    assert id_claims["email"] == person.email
    assert id_claims["email_verified"] is True
    assert id_claims["given_name"] == "Tess"
    assert id_claims["family_name"] == "Ok"

    assert access_claims["token_use"] == "access"
    assert access_claims["sub"] == sub
    assert access_claims["client_id"] == app.client_id
    assert "aud" not in access_claims
    assert access_claims["username"] == person.username
    assert access_claims["scope"] == SCOPE

    for claims in (id_claims, access_claims):
        for name in ("auth_time", "iat", "exp"):
            assert isinstance(claims[name], int), (name, claims[name])
        for name in ("jti", "origin_jti", "event_id"):
            assert UUID_RE.match(claims[name]), (name, claims[name])
        assert claims["exp"] - claims["iat"] == 3600
        assert claims["iat"] >= claims["auth_time"]
    assert id_claims["jti"] != access_claims["jti"]
    assert id_claims["origin_jti"] == access_claims["origin_jti"]
    assert id_claims["auth_time"] == access_claims["auth_time"]
    assert id_claims["event_id"] == access_claims["event_id"]


def test_email_not_verified_is_json_false_in_id_token(
    cognito: Any, base_url: str, app: App, make_user: MakeUser
) -> None:
    user = make_user(app.pool_id, email=new_email("unv"), email_verified=False)

    token = sign_in(cognito, app, user.username, user.password)["IdToken"]
    _, claims = verify_jwt(token, fetch_jwks(base_url, app.pool_id), issuer(base_url, app.pool_id))

    assert claims["email_verified"] is False


def test_token_lifetimes_follow_client_settings(
    cognito: Any, base_url: str, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    app = make_client(
        pool_id,
        AccessTokenValidity=30,
        IdTokenValidity=2,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours"},
    )
    user = make_user(pool_id)

    result = sign_in(cognito, app, user.username, user.password)
    jwks = fetch_jwks(base_url, pool_id)
    _, access = verify_jwt(result["AccessToken"], jwks, issuer(base_url, pool_id))
    _, id_claims = verify_jwt(result["IdToken"], jwks, issuer(base_url, pool_id))

    assert result["ExpiresIn"] == 1800
    assert access["exp"] - access["iat"] == 1800
    assert id_claims["exp"] - id_claims["iat"] == 7200


def test_token_validity_unit_defaults_to_hours(
    cognito: Any, make_pool: MakePool, make_client: MakeClient, make_user: MakeUser
) -> None:
    pool_id = make_pool()
    app = make_client(pool_id, AccessTokenValidity=2)
    user = make_user(pool_id)

    result = sign_in(cognito, app, user.username, user.password)
    claims = unverified_claims(result["AccessToken"])

    assert result["ExpiresIn"] == 7200
    assert claims["exp"] - claims["iat"] == 7200


@pytest.mark.parametrize("flow", ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"])
def test_refresh_returns_new_tokens_from_the_same_authentication(
    cognito: Any, base_url: str, app: App, person: User, flow: str
) -> None:
    first = sign_in(cognito, app, person.username, person.password)

    response = cognito.initiate_auth(
        ClientId=app.client_id,
        AuthFlow=flow,
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
    )

    result = response["AuthenticationResult"]
    assert "RefreshToken" not in result
    assert result["ExpiresIn"] == 3600
    jwks = fetch_jwks(base_url, app.pool_id)
    for kind in ("IdToken", "AccessToken"):
        _, old = verify_jwt(first[kind], jwks, issuer(base_url, app.pool_id))
        _, new = verify_jwt(result[kind], jwks, issuer(base_url, app.pool_id))
        assert new["token_use"] == old["token_use"]
        assert new["sub"] == old["sub"]
        assert new["origin_jti"] == old["origin_jti"]
        assert new["auth_time"] == old["auth_time"]
        assert new["jti"] != old["jti"]


def test_get_user_returns_the_users_attributes(cognito: Any, app: App, person: User) -> None:
    access = sign_in(cognito, app, person.username, person.password)["AccessToken"]

    response = cognito.get_user(AccessToken=access)

    assert response["Username"] == person.username
    attrs = attributes(response["UserAttributes"])
    assert UUID_RE.match(attrs["sub"]), attrs
    assert attrs["email"] == person.email
    assert attrs["email_verified"] == "true"
    assert attrs["given_name"] == "Tess"


def test_global_sign_out_revokes_access_and_refresh_tokens(
    cognito: Any, app: App, person: User
) -> None:
    tokens = sign_in(cognito, app, person.username, person.password)

    cognito.global_sign_out(AccessToken=tokens["AccessToken"])

    with cognito_error("NotAuthorizedException", REVOKED_ACCESS):
        cognito.get_user(AccessToken=tokens["AccessToken"])
    with cognito_error("NotAuthorizedException", REVOKED_REFRESH):
        refresh(cognito, app, person.username, tokens["RefreshToken"])
    fresh = sign_in(cognito, app, person.username, person.password)
    assert cognito.get_user(AccessToken=fresh["AccessToken"])["Username"] == person.username


def test_admin_user_global_sign_out_revokes_every_session(
    cognito: Any, app: App, person: User
) -> None:
    sessions = [sign_in(cognito, app, person.username, person.password) for _ in range(2)]

    cognito.admin_user_global_sign_out(UserPoolId=app.pool_id, Username=person.username)

    for tokens in sessions:
        with cognito_error("NotAuthorizedException", REVOKED_ACCESS):
            cognito.get_user(AccessToken=tokens["AccessToken"])
        with cognito_error("NotAuthorizedException", REVOKED_REFRESH):
            refresh(cognito, app, person.username, tokens["RefreshToken"])


def test_revoke_token_revokes_only_that_session(cognito: Any, app: App, person: User) -> None:
    revoked = sign_in(cognito, app, person.username, person.password)
    kept = sign_in(cognito, app, person.username, person.password)

    response = cognito.revoke_token(Token=revoked["RefreshToken"], ClientId=app.client_id)

    assert set(response) == {"ResponseMetadata"}
    with cognito_error("NotAuthorizedException", REVOKED_REFRESH):
        refresh(cognito, app, person.username, revoked["RefreshToken"])
    with cognito_error("NotAuthorizedException", REVOKED_ACCESS):
        cognito.get_user(AccessToken=revoked["AccessToken"])
    assert refresh(cognito, app, person.username, kept["RefreshToken"])["AccessToken"]
    assert cognito.get_user(AccessToken=kept["AccessToken"])["Username"] == person.username


def test_revoke_token_for_an_unknown_client_is_a_modelled_error(
    cognito: Any, app: App, person: User
) -> None:
    # fuzz finding: ResourceNotFoundException, which RevokeToken's model does not list
    tokens = sign_in(cognito, app, person.username, person.password)

    with cognito_error("UnauthorizedException", "Client 1example23456789 does not exist."):
        cognito.revoke_token(Token=tokens["RefreshToken"], ClientId="1example23456789")


def test_disabling_a_user_revokes_their_access_tokens(cognito: Any, app: App, person: User) -> None:
    tokens = sign_in(cognito, app, person.username, person.password)

    cognito.admin_disable_user(UserPoolId=app.pool_id, Username=person.username)

    with cognito_error("NotAuthorizedException", REVOKED_ACCESS):
        cognito.get_user(AccessToken=tokens["AccessToken"])


def test_garbage_access_token_is_invalid(cognito: Any) -> None:
    with cognito_error("NotAuthorizedException", "Invalid Access Token"):
        cognito.get_user(AccessToken="garbage.token.value")
    with cognito_error("NotAuthorizedException", "Invalid Access Token"):
        cognito.get_user(AccessToken="eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")


def test_id_token_is_not_an_access_token(cognito: Any, app: App, person: User) -> None:
    tokens = sign_in(cognito, app, person.username, person.password)

    with cognito_error("NotAuthorizedException", "Invalid Access Token"):
        cognito.get_user(AccessToken=tokens["IdToken"])
    with cognito_error("NotAuthorizedException", "Invalid Access Token"):
        cognito.global_sign_out(AccessToken=tokens["IdToken"])


def test_tampered_access_token_is_invalid(cognito: Any, app: App, person: User) -> None:
    access = sign_in(cognito, app, person.username, person.password)["AccessToken"]
    header, payload, signature = access.split(".")
    flipped = "B" if signature[10] == "A" else "A"
    tampered = ".".join([header, payload, signature[:10] + flipped + signature[11:]])

    with cognito_error("NotAuthorizedException", "Invalid Access Token"):
        cognito.get_user(AccessToken=tampered)


def test_garbage_refresh_token_is_invalid(cognito: Any, app: App) -> None:
    with cognito_error("NotAuthorizedException", "Invalid Refresh Token"):
        refresh(cognito, app, "nobody", "not-a-refresh-token")


def test_refresh_token_of_another_client_is_invalid(
    cognito: Any, app: App, make_client: MakeClient, person: User
) -> None:
    tokens = sign_in(cognito, app, person.username, person.password)
    other = make_client(app.pool_id)

    with cognito_error("NotAuthorizedException", "Invalid Refresh Token"):
        refresh(cognito, other, person.username, tokens["RefreshToken"])


def test_users_and_tokens_survive_a_restart(private_server: StartServer, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    first = private_server(data_dir)
    with open_boto_client(first.base_url) as cognito:
        pool_id = cognito.create_user_pool(PoolName=unique("durable"))["UserPool"]["Id"]
        client = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="durable",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]
        app = App(pool_id, client["ClientId"])
        username = unique("keeper")
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=username,
            UserAttributes=as_attributes({"email": new_email("keeper")}),
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
        )
        tokens = sign_in(cognito, app, username, PASSWORD)
    kids_before = {key["kid"] for key in fetch_jwks(first.base_url, pool_id)["keys"]}
    first.stop()

    second = private_server(data_dir, port=first.port)

    assert {key["kid"] for key in fetch_jwks(second.base_url, pool_id)["keys"]} == kids_before
    with open_boto_client(second.base_url) as cognito:
        assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Id"] == pool_id
        assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == username
        assert refresh(cognito, app, username, tokens["RefreshToken"])["AccessToken"]
        assert sign_in(cognito, app, username, PASSWORD)["AccessToken"]
        user = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
        assert user["UserStatus"] == "CONFIRMED"
