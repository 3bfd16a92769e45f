"""A checked seed file applied through the operations themselves, in one transaction.

Each block becomes the request of the operation the API runs for it (CreateUserPool,
UpdateUserPoolClient, AdminCreateUser, ...), validated against the model as the API
validates it, so every Cognito rule applies once. What the store already holds is read
back with the Describe/Get operations and compared (seed/diff.py): a block that matches
changes nothing, one that differs is updated and reported, one line per change. The
whole file runs in one transaction (`Store.one_transaction`): an error anywhere rolls
everything back. No Lambda trigger runs and no message is sent: seeded users are data
the file states, not sign-ups.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from recognito import errors
from recognito.api import operations
from recognito.crypto.credentials import Credentials
from recognito.crypto.passwords import verify_password
from recognito.crypto.secrets import chosen_id
from recognito.domain.records import Pool, User
from recognito.domain.user_status import Status
from recognito.protocol.model import operation_model
from recognito.protocol.unsupported import refuse_unsupported
from recognito.protocol.validate import validate_input
from recognito.seed.diff import changed, differs
from recognito.seed.document import PoolBlock, SeedError, UserBlock, located
from recognito.service.context import Services
from recognito.service.lookups import find_user
from recognito.service.passwords import store_password
from recognito.triggers import Call, Triggers


def apply(svc: Services, pools: list[PoolBlock]) -> list[str]:
    """Apply the checked blocks; the changes made, one line each (none: nothing changed)."""
    seeder = _Seeder(svc)
    with svc.store.one_transaction():
        for block in pools:
            seeder.pool(block)
    return seeder.changes


class NoTriggers(Triggers):
    """Triggers as a seed sees them: none configured, so none runs and no custom sender
    takes a message."""

    def __init__(self) -> None:  # holds nothing: it reaches no function
        pass

    @staticmethod
    def arn(pool: Pool, trigger: str) -> str | None:
        return None

    def run(self, pool: Pool, call: Call) -> dict[str, Any] | None:
        return None


def quiet(svc: Services) -> Services:
    """The services a seed runs with: no Lambda trigger is invoked."""
    return dataclasses.replace(svc, triggers=NoTriggers())


class _Seeder:
    def __init__(self, svc: Services) -> None:
        self.svc = quiet(svc)
        self.operations = operations()
        self.changes: list[str] = []

    def call(
        self, name: str, request: dict[str, Any], path: str, region: str | None = None
    ) -> Mapping[str, Any]:
        """Run an operation as the API does (the model's checks, then the operation);
        its error is reported at `path`."""
        model = operation_model(name)
        assert model is not None
        svc = dataclasses.replace(self.svc, request_region=region)
        try:
            params = validate_input(model.input_shape, request)
            refuse_unsupported(name, params)
            return self.operations[name](svc, params)
        except errors.CognitoError as error:
            where, detail = located(path, error.message)
            raise SeedError(where, f"{detail} ({error.code} from {name})") from None

    def say(self, line: str) -> None:
        self.changes.append(line)

    # pools

    def pool(self, block: PoolBlock) -> None:
        settings = self.svc.settings
        region = block.pool_id.split("_", 1)[0] if block.pool_id else settings.region
        name = block.request["PoolName"]
        pool = self._existing_pool(block, region)
        create = dict(block.request)
        if block.mfa is not None:  # MFA comes whole from SetUserPoolMfaConfig below
            create.pop("MfaConfiguration", None)
        if pool is None:
            with chosen_id(block.pool_id):
                made = self.call("CreateUserPool", create, block.path, region)
            pool_id = made["UserPool"]["Id"]
            self.say(f"created pool {name} ({pool_id})")
            if block.mfa is not None:
                self._mfa(block, pool_id, f"pool {name}", created=True)
        else:
            pool_id = pool.id
            if block.mfa is not None:  # first: UpdateUserPool's MfaConfiguration needs it
                self._mfa(block, pool_id, f"pool {name}", created=False)
            self._update_pool(block, pool_id, create)
        label = f"pool {name}"
        if block.domain is not None:
            self._domain(block, pool_id, label)
        for path, group in block.groups:
            self._group(path, pool_id, group, label)
        for path, client_id, request in block.clients:
            self._client(path, pool_id, client_id, request, label)
        for user in block.users:
            self._user(user, pool_id, label)

    def _existing_pool(self, block: PoolBlock, region: str) -> Pool | None:
        with self.svc.store.read() as tx:
            if block.pool_id is not None:
                return tx.pools.get(block.pool_id)
            named = [
                p
                for p in tx.pools.page(region, None, 1_000_000)
                if p.name == block.request["PoolName"]
            ]
        if len(named) > 1:
            raise SeedError(
                f"{block.path}.PoolName",
                f"{len(named)} pools in {region} are named {named[0].name!r}: give the Id "
                "of the one this block means",
            )
        return named[0] if named else None

    def _update_pool(self, block: PoolBlock, pool_id: str, wanted: dict[str, Any]) -> None:
        described = self.call("DescribeUserPool", {"UserPoolId": pool_id}, block.path)
        live = dict(described["UserPool"])
        live["PoolName"] = live.get("Name")
        live["Schema"] = live.get("SchemaAttributes")
        different = changed(wanted, live)
        if not different:
            return
        model = operation_model("UpdateUserPool")
        assert model is not None
        updatable = set(model.input_shape.members)
        for member in different:
            if member == "Schema":
                self._add_attributes(block, pool_id, wanted["Schema"], live["Schema"] or [])
            elif member not in updatable:
                raise SeedError(
                    f"{block.path}.{member}",
                    "cannot change on an existing pool (UpdateUserPool does not take it): "
                    "delete the pool, or give it another PoolName or Id",
                )
        others = [m for m in different if m != "Schema"]
        if others:
            # the whole block: UpdateUserPool resets what it is not given (MfaConfiguration too)
            request = {k: v for k, v in block.request.items() if k in updatable}
            self.call("UpdateUserPool", {"UserPoolId": pool_id, **request}, block.path)
            self.say(f"updated pool {wanted['PoolName']}: {', '.join(others)}")

    def _add_attributes(
        self, block: PoolBlock, pool_id: str, wanted: list[dict[str, Any]], live: list[Any]
    ) -> None:
        """New custom attributes are added (AddCustomAttributes); an attribute the pool
        has cannot change, as on Cognito."""
        names = {e.get("Name") for e in live}
        new = []
        for i, entry in enumerate(wanted):
            name = entry["Name"]
            if name not in names and f"custom:{name}" not in names:
                new.append(entry)
            elif differs([entry], live):
                raise SeedError(
                    f"{block.path}.Schema[{i}]",
                    "an attribute of an existing pool cannot change (Cognito cannot)",
                )
        request = {"UserPoolId": pool_id, "CustomAttributes": new}
        self.call("AddCustomAttributes", request, f"{block.path}.Schema")
        shown = ", ".join(str(e["Name"]) for e in new)
        self.say(f"updated pool {block.request['PoolName']}: added attributes {shown}")

    def _mfa(self, block: PoolBlock, pool_id: str, label: str, *, created: bool) -> None:
        assert block.mfa is not None
        if not created:
            live = self.call("GetUserPoolMfaConfig", {"UserPoolId": pool_id}, block.path)
            if not changed(block.mfa, live):
                return
        self.call("SetUserPoolMfaConfig", {"UserPoolId": pool_id, **block.mfa}, block.path)
        self.say(f"set the MFA configuration of {label}")

    def _domain(self, block: PoolBlock, pool_id: str, label: str) -> None:
        assert block.domain is not None
        path = f"{block.path}.Domain"
        live = self.call("DescribeUserPool", {"UserPoolId": pool_id}, path)["UserPool"]
        name = block.domain["Domain"]
        custom = "CustomDomainConfig" in block.domain
        current = live.get("CustomDomain" if custom else "Domain")
        if current == name:
            return
        if current:  # a pool has one domain of each kind: the old one goes first
            self.call("DeleteUserPoolDomain", {"UserPoolId": pool_id, "Domain": current}, path)
            self.say(f"deleted domain {current} of {label}")
        self.call("CreateUserPoolDomain", {"UserPoolId": pool_id, **block.domain}, path)
        self.say(f"created domain {name} of {label}")

    # groups and clients

    def _group(self, path: str, pool_id: str, group: dict[str, Any], label: str) -> None:
        key = {"UserPoolId": pool_id, "GroupName": group["GroupName"]}
        try:
            live = self.call("GetGroup", key, path)["Group"]
        except SeedError:
            self.call("CreateGroup", {**key, **group}, path)
            self.say(f"created group {group['GroupName']} in {label}")
            return
        different = changed(group, live)
        if different:
            self.call("UpdateGroup", {**key, **group}, path)
            self.say(f"updated group {group['GroupName']} in {label}: {', '.join(different)}")

    def _client(
        self,
        path: str,
        pool_id: str,
        client_id: str | None,
        request: dict[str, Any],
        label: str,
    ) -> None:
        name = request["ClientName"]
        with self.svc.store.read() as tx:
            if client_id is not None:
                found = tx.clients.get(client_id)
                if found is not None and found.pool_id != pool_id:
                    raise SeedError(f"{path}.ClientId", f"a client of pool {found.pool_id}")
                existing = found.id if found else None
            else:
                named = [c for c in tx.clients.page(pool_id, None, None) if c.name == name]
                if len(named) > 1:
                    raise SeedError(
                        f"{path}.ClientName",
                        f"{len(named)} clients of this pool are named {name!r}: give the "
                        "ClientId of the one this block means",
                    )
                existing = named[0].id if named else None
        if existing is None:
            with chosen_id(client_id):
                made = self.call("CreateUserPoolClient", {"UserPoolId": pool_id, **request}, path)
            made_id = made["UserPoolClient"]["ClientId"]
            self.say(f"created client {name} ({made_id}) in {label}")
            return
        key = {"UserPoolId": pool_id, "ClientId": existing}
        live = self.call("DescribeUserPoolClient", key, path)["UserPoolClient"]
        secret = request.get("ClientSecret")
        if (secret is not None and live.get("ClientSecret") != secret) or (
            request.get("GenerateSecret") and not live.get("ClientSecret")
        ):
            # no operation gives a client a secret it did not have, or another one of the
            # caller's: the client is made again, under the same id
            self.call("DeleteUserPoolClient", key, path)
            with chosen_id(existing):
                self.call("CreateUserPoolClient", {"UserPoolId": pool_id, **request}, path)
            self.say(f"replaced client {name} ({existing}) in {label}: ClientSecret")
            return
        wanted = {k: v for k, v in request.items() if k not in ("ClientSecret", "GenerateSecret")}
        different = changed(wanted, live)
        if different:
            self.call("UpdateUserPoolClient", {**key, **wanted}, path)
            self.say(f"updated client {name} in {label}: {', '.join(different)}")

    # users

    def _user(self, block: UserBlock, pool_id: str, label: str) -> None:
        username = block.request["Username"]
        path = block.path
        key = {"UserPoolId": pool_id, "Username": username}
        user = self._user_record(pool_id, username)
        who = f"user {username} in {label}"
        if user is None:
            request = {**key, **block.request, "MessageAction": "SUPPRESS"}
            self.call("AdminCreateUser", request, path)
            self.say(f"created {who}")
            live: Mapping[str, Any] = {"Enabled": True, "UserAttributes": []}
            groups: set[str] = set()
        else:
            live = self.call("AdminGetUser", key, path)
            listed = self.call("AdminListGroupsForUser", {**key, "Limit": 60}, path)
            groups = {g["GroupName"] for g in listed.get("Groups", [])}
            wanted = block.request.get("UserAttributes") or []
            stale = [a for a in wanted if differs([a], live.get("UserAttributes") or [])]
            if stale:
                self.call("AdminUpdateUserAttributes", {**key, "UserAttributes": stale}, path)
                self.say(f"updated {who}: {', '.join(a['Name'] for a in stale)}")
        user = self._user_record(pool_id, username)
        assert user is not None
        if block.password is not None and not (
            user.status == Status.CONFIRMED and verify_password(user.password_hash, block.password)
        ):
            request = {**key, "Password": block.password, "Permanent": True}
            self.call("AdminSetUserPassword", request, f"{path}.Password")
            self.say(f"set the password of {who}")
        if block.password_hash is not None and user.password_hash != block.password_hash["Hash"]:
            self._store_hash(user, block.password_hash)
            self.say(f"set the password hash of {who}")
        if block.enabled is not None and block.enabled != live.get("Enabled", True):
            operation = "AdminEnableUser" if block.enabled else "AdminDisableUser"
            self.call(operation, key, f"{path}.Enabled")
            self.say(f"{'enabled' if block.enabled else 'disabled'} {who}")
        if block.groups is not None:
            for group in [g for g in block.groups if g not in groups]:
                self.call("AdminAddUserToGroup", {**key, "GroupName": group}, f"{path}.Groups")
                self.say(f"added {who} to group {group}")
            for group in sorted(groups - set(block.groups)):
                request = {**key, "GroupName": group}
                self.call("AdminRemoveUserFromGroup", request, f"{path}.Groups")
                self.say(f"removed {who} from group {group}")
        if block.totp_secret is not None:
            self._totp(user, block.totp_secret, key, f"{path}.TotpSecret", who)

    def _user_record(self, pool_id: str, username: str) -> User | None:
        with self.svc.store.read() as tx:
            pool = tx.pools.get(pool_id)
            assert pool is not None
            return find_user(tx, pool, username)

    def _store_hash(self, user: User, hashed: dict[str, str]) -> None:
        """An exported password hash (`seed export --with-password-hashes`) put back as
        it was: the argon2id hash and the SRP verifier of the same password."""
        secrets = Credentials(hashed["Hash"], hashed["SrpSalt"], hashed["SrpVerifier"])
        with self.svc.store.write() as tx:
            store_password(self.svc, tx, user, secrets, Status.CONFIRMED)

    def _totp(self, user: User, secret: str, key: dict[str, str], path: str, who: str) -> None:
        """A fixed authenticator secret, as if the user had associated and verified it
        (no operation takes a secret from the caller), preferred for sign-in."""
        with self.svc.store.write() as tx:
            current = tx.mfa.get(user.id)
            if current.totp_secret == secret and current.totp_enabled:
                return
            tx.mfa.save(
                user.id,
                dataclasses.replace(
                    current, totp_secret=secret, totp_pending=None, totp_last_step=None
                ),
            )
        settings = {"Enabled": True, "PreferredMfa": True}
        self.call("AdminSetUserMFAPreference", {**key, "SoftwareTokenMfaSettings": settings}, path)
        self.say(f"set the TOTP secret of {who}")


__all__ = ["apply", "quiet"]
