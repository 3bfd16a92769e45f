"""Secrets at rest: the raw database holds none of them in the clear, and without its
master key (or with another) a copy of it does not start."""

from __future__ import annotations

import base64
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import Table, text, update

from recognito.app import build_services
from recognito.clock import FrozenClock
from recognito.config import Settings
from recognito.crypto.at_rest import MasterKey, MasterKeyError, sealed_kid
from recognito.crypto.secret_hash import secret_hash
from recognito.crypto.totp import STEP
from recognito.store.master_key import write_key
from recognito.store.sealing import SEALED, place
from recognito.store.tables import metadata
from tests.service.conftest import Service

PASSWORD = "Passw0rd!"


@dataclass(frozen=True)
class Secrets:
    """What the test made, in the clear, to look for in the raw database."""

    pool_id: str
    client_id: str
    client_secret: str
    totp_secret: str
    totp_pending: str
    verifier: str
    pem_line: str
    digest_key: bytes
    reset_code_issued: bool
    idp_secret: str
    device_verifier: str
    second_client_secret: str  # AddUserPoolClientSecret's, while rotating


def _make_secrets(service: Service) -> Secrets:
    pool_id = service(
        "CreateUserPool",
        PoolName="p",
        AutoVerifiedAttributes=["email"],
        MfaConfiguration="OFF",
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": True},
    )["UserPool"]["Id"]
    service(
        "SetUserPoolMfaConfig",
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    client = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="c",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]
    second = service("AddUserPoolClientSecret", UserPoolId=pool_id, ClientId=client["ClientId"])[
        "ClientSecretDescriptor"
    ]["ClientSecretValue"]
    service(
        "AdminCreateUser",
        UserPoolId=pool_id,
        Username="ann",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "ann@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    service(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username="ann",
        Password=PASSWORD,
        Permanent=True,
    )
    token = _admin_sign_in(service, pool_id, client["ClientId"], client["ClientSecret"])
    secret = service("AssociateSoftwareToken", AccessToken=token)["SecretCode"]
    code = str(pyotp.TOTP(secret).at(service.clock.now()))
    service("VerifySoftwareToken", AccessToken=token, UserCode=code)
    pending = service("AssociateSoftwareToken", AccessToken=token)["SecretCode"]  # not verified
    device_key = _last_device(service, pool_id)
    device_verifier = "c0ffee" * 40
    service(
        "ConfirmDevice",
        AccessToken=token,
        DeviceKey=device_key,
        DeviceSecretVerifierConfig={
            "PasswordVerifier": base64.b64encode(bytes.fromhex(device_verifier)).decode(),
            "Salt": base64.b64encode(b"\x11" * 16).decode(),
        },
    )
    service(  # a pending reset code
        "ForgotPassword",
        ClientId=client["ClientId"],
        Username="ann",
        SecretHash=secret_hash(client["ClientSecret"], "ann", client["ClientId"]),
    )
    idp_secret = "idp-secret-" + "x7Qz" * 8
    service(
        "CreateIdentityProvider",
        UserPoolId=pool_id,
        ProviderName="Corp",
        ProviderType="OIDC",
        ProviderDetails={
            "client_id": "rp",
            "client_secret": idp_secret,
            "authorize_scopes": "openid",
            "oidc_issuer": "https://issuer.example.com",
        },
    )
    service("GetSigningCertificate", UserPoolId=pool_id)  # its SAML signing key
    store = service.services.store
    with store.read() as tx:
        user = tx.users.by_username(pool_id, "ann")
        keys = tx.keys.of_pool(pool_id)
        assert user is not None and user.srp_verifier and keys
        codes = tx.conn.execute(
            text("SELECT count(*) FROM codes WHERE subject = :sub"), {"sub": user.sub}
        ).scalar()
    return Secrets(
        pool_id=pool_id,
        client_id=client["ClientId"],
        client_secret=client["ClientSecret"],
        totp_secret=secret,
        totp_pending=pending,
        verifier=user.srp_verifier,
        pem_line=keys[0].private_pem.splitlines()[1],
        digest_key=service.services.secret_key,
        reset_code_issued=codes == 1,
        idp_secret=idp_secret,
        device_verifier=device_verifier,
        second_client_secret=second,
    )


def _last_device(service: Service, pool_id: str) -> str:
    """The key of the device the pool's sign-in just handed out."""
    with service.services.store.read() as tx:
        query = text("SELECT device_key FROM devices WHERE pool_id = :pool")
        return str(tx.conn.execute(query, {"pool": pool_id}).scalar_one())


def _admin_sign_in(service: Service, pool_id: str, client_id: str, client_secret: str) -> str:
    result = service(
        "AdminInitiateAuth",
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": "ann",
            "PASSWORD": PASSWORD,
            "SECRET_HASH": secret_hash(client_secret, "ann", client_id),
        },
    )
    return str(result["AuthenticationResult"]["AccessToken"])


def _raw(service: Service) -> bytes:
    """Everything the database holds, as a thief with a copy of it would read it: the
    SQLite file and its write-ahead log byte for byte; on PostgreSQL, every row of every
    table as text."""
    settings = service.services.settings
    if settings.database_url is None:
        folder = settings.data_dir
        return b"".join(p.read_bytes() for p in folder.glob("recognito.db*"))
    found: list[str] = []
    with service.services.store.read() as tx:
        for table in metadata.sorted_tables:
            rows = tx.conn.execute(text(f'SELECT t::text FROM "{table.name}" t')).scalars()
            found.extend(rows)
    return "\n".join(found).encode()


def test_no_secret_is_in_the_raw_database(service: Service) -> None:
    made = _make_secrets(service)
    raw = _raw(service)

    assert made.reset_code_issued  # its digest is there, its key is not:
    assert made.digest_key.hex().encode() not in raw
    assert made.digest_key not in raw
    assert made.client_secret.encode() not in raw
    assert made.second_client_secret.encode() not in raw
    assert made.totp_secret.encode() not in raw
    assert made.totp_pending.encode() not in raw
    assert made.verifier.encode() not in raw
    assert made.verifier[:64].encode() not in raw
    assert made.pem_line.encode() not in raw
    assert made.idp_secret.encode() not in raw
    assert made.device_verifier.encode() not in raw
    assert b"PRIVATE KEY" not in raw


def test_what_the_database_holds_is_sealed_with_the_master_key(service: Service) -> None:
    _make_secrets(service)
    kid = service.services.store.vault.key.kid
    with service.services.store.read() as tx:
        for sealed in SEALED:
            query = text(
                f"SELECT {sealed.column.name} FROM {sealed.table.name} "
                f"WHERE {sealed.column.name} IS NOT NULL"
            )
            values = list(tx.conn.execute(query).scalars())
            assert values, place(sealed.column)
            assert {sealed_kid(v) for v in values} == {kid}, place(sealed.column)


def test_a_value_moved_to_another_row_does_not_open(service: Service) -> None:
    made = _make_secrets(service)
    other = service(
        "CreateUserPoolClient", UserPoolId=made.pool_id, ClientName="d", GenerateSecret=True
    )["UserPoolClient"]["ClientId"]
    store = service.services.store
    with store.write() as tx:
        clients = metadata.tables["clients"]
        stolen = tx.conn.execute(
            text("SELECT secret FROM clients WHERE id = :id"), {"id": made.client_id}
        ).scalar()
        tx.conn.execute(update(clients).where(clients.c.id == other).values(secret=stolen))
    try:
        with store.read() as tx, pytest.raises(MasterKeyError, match="does not open"):
            tx.clients.get(other)
    finally:  # the PostgreSQL database is shared by the tests that follow
        with store.write() as tx:
            tx.conn.execute(text("DELETE FROM clients WHERE id = :id"), {"id": other})


def _sqlite_copy(service: Service, tmp_path: Path) -> Path:
    """The database file alone, copied into a folder of its own."""
    with service.services.store.engine.connect() as conn:  # the log into the file
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(service.services.settings.data_dir / "recognito.db", copy / "recognito.db")
    return copy


def _settings(service: Service, data_dir: Path, key_file: Path | None) -> Settings:
    url = service.services.settings.database_url
    return Settings(data_dir=data_dir, database_url=url, master_key_file=key_file)


def test_a_copy_of_the_database_without_its_master_key_does_not_start(
    service: Service, tmp_path: Path
) -> None:
    _make_secrets(service)
    kid = service.services.store.vault.key.kid
    if service.services.settings.database_url is None:
        folder = _sqlite_copy(service, tmp_path)
        with pytest.raises(MasterKeyError) as caught:
            build_services(_settings(service, folder, None), FrozenClock())
        assert str(caught.value).startswith(
            f"the database's secrets are sealed with master key {kid} and "
            f"{folder / 'master.key'} is missing"
        )
        assert not (folder / "master.key").exists()  # no key was made for it
    else:
        with pytest.raises(MasterKeyError, match="^PostgreSQL needs a master key: give it"):
            build_services(_settings(service, tmp_path / "other", None), FrozenClock())


def test_another_master_key_is_refused_by_name(service: Service, tmp_path: Path) -> None:
    _make_secrets(service)
    kid = service.services.store.vault.key.kid
    wrong = MasterKey.generate()
    write_key(tmp_path / "wrong.key", wrong)
    folder = tmp_path / "other"
    if service.services.settings.database_url is None:
        folder = _sqlite_copy(service, tmp_path)
    with pytest.raises(MasterKeyError) as caught:
        build_services(_settings(service, folder, tmp_path / "wrong.key"), FrozenClock())
    assert str(caught.value) == (
        f"wrong master key: the database's secrets are sealed with master key {kid}, "
        f"the key given is {wrong.kid}"
    )


def _unseal(service: Service) -> None:
    """The database as a version before secrets at rest left it: every secret plaintext."""
    store = service.services.store
    key = store.vault.key
    with store.write() as tx:
        for sealed in SEALED:
            table: Table = sealed.table
            row_key = sealed.row_key if sealed.row_key is not None else list(table.primary_key)[0]
            for row_id, value in tx.conn.execute(
                table.select()
                .with_only_columns(row_key, sealed.column)
                .where(sealed.column.is_not(None))
            ):
                bound = row_id if sealed.row_key is not None else None
                plain = key.open(value, place(sealed.column, bound))
                clear = plain.hex() if sealed.hex else plain.decode()
                tx.conn.execute(
                    update(table).where(row_key == row_id).values({sealed.column.name: clear})
                )


def test_a_database_from_before_is_sealed_at_its_first_start(
    service: Service, tmp_path: Path
) -> None:
    made = _make_secrets(service)
    _unseal(service)
    assert made.client_secret.encode() in _raw(service)  # as an older version stored it
    settings = service.services.settings
    service.services.store.engine.dispose()

    services, deliverer = build_services(settings, service.clock)  # the same key
    again = Service(services, service.clock)
    try:
        raw = _raw(again)
        assert made.client_secret.encode() not in raw
        assert made.second_client_secret.encode() not in raw
        assert made.digest_key.hex().encode() not in raw
        assert services.secret_key == made.digest_key  # the same key, sealed
        described = again(
            "DescribeUserPoolClient", UserPoolId=made.pool_id, ClientId=made.client_id
        )
        assert described["UserPoolClient"]["ClientSecret"] == made.client_secret
        token = _admin_sign_in(again, made.pool_id, made.client_id, made.client_secret)
        again.clock.advance(STEP)
        code = str(pyotp.TOTP(made.totp_pending).at(again.clock.now()))
        again("VerifySoftwareToken", AccessToken=token, UserCode=code)  # the pending one
    finally:
        deliverer.close()
        services.store.engine.dispose()
