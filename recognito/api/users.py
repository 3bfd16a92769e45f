"""Users: AdminCreateUser, AdminGetUser, GetUser, AdminDeleteUser, DeleteUser,
AdminDisableUser, AdminEnableUser, ListUsers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from recognito import errors
from recognito.crypto.credentials import NONE
from recognito.domain import messages, pools
from recognito.domain.attributes import (
    check_attributes,
    developer_only,
    normalize_attributes,
    to_attribute_list,
)
from recognito.domain.list_users_filter import cursor_after, in_value_order, parse_filter
from recognito.domain.password_policy import (
    PasswordContext,
    generate_temporary_password,
)
from recognito.domain.records import Pool, User
from recognito.domain.user_status import Status
from recognito.service import hooks
from recognito.service.access import authorize
from recognito.service.codes import channel_of, queue_invitation
from recognito.service.context import Services
from recognito.service.identities import shown_attributes, with_identities
from recognito.service.identity import NewUser, new_user_identity
from recognito.service.lookups import attribute_map, pool_and_user, pool_or_error, user_or_error
from recognito.service.paging import cut, user_key, user_page
from recognito.service.passwords import checked_credentials, still_there, store_password
from recognito.service.registry import NoOutput, operation
from recognito.service.wire import add_mfa_fields, user_status, user_type
from recognito.shapes import (
    AdminCreateUserRequest,
    AdminCreateUserResponse,
    AdminDeleteUserRequest,
    AdminDisableUserRequest,
    AdminDisableUserResponse,
    AdminEnableUserRequest,
    AdminEnableUserResponse,
    AdminGetUserRequest,
    AdminGetUserResponse,
    DeleteUserRequest,
    DeliveryMediumType,
    GetUserRequest,
    GetUserResponse,
    ListUsersRequest,
    ListUsersResponse,
    UserType,
)
from recognito.store.unit_of_work import UnitOfWork
from recognito.triggers.senders import Origin


@operation("AdminCreateUser")
def admin_create_user(svc: Services, req: AdminCreateUserRequest) -> AdminCreateUserResponse:
    resend = req.get("MessageAction") == "RESEND"
    with svc.store.read() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        target = _resend_target(user_or_error(tx, pool, req["Username"])) if resend else None
    if target is not None:
        identity, username = None, target.username
    else:
        identity = _new_identity(pool, req)
        username = identity.username
    password = req.get("TemporaryPassword") or generate_temporary_password(
        pools.password_policy(pool.config)
    )
    if req.get("MessageAction") == "SUPPRESS" and not req.get("TemporaryPassword"):
        # a generated password nobody is told can sign nobody in: no hashing for it
        secrets = NONE
    else:
        secrets = checked_credentials(pool, username, password, PasswordContext.ADMIN_CREATE_USER)
    if identity is not None:  # no transaction is open: its error creates nobody
        hooks.pre_sign_up(  # (its response flags are ignored for admin-created users)
            svc,
            pool,
            "PreSignUp_AdminCreateUser",
            username,
            identity.attributes,
            None,
            req.get("ValidationData"),
            req.get("ClientMetadata"),
        )
    custom = None
    invited = identity.attributes if identity is not None else _attributes_of(target)
    if _plain_invitation(svc, pool, req, invited):  # its CustomMessage, no tx open
        custom = hooks.custom_message(
            svc,
            pool,
            "CustomMessage_AdminCreateUser",
            username,
            {**invited, "cognito:user_status": Status.FORCE_CHANGE_PASSWORD},
            None,
            req.get("ClientMetadata"),
            invitation=True,
        )
    expires_at = svc.clock.now() + pools.temporary_password_seconds(pool.config)
    # a pool that signs in by code makes a suppressed user without a password a
    # passwordless one, CONFIRMED (reference §5.2)
    passwordless = target is None and secrets is NONE and pools.passwordless(pool.config)
    with svc.store.write() as tx:
        if target is not None:
            user = _resend_target(still_there(tx, target))
            store_password(svc, tx, user, secrets, Status.FORCE_CHANGE_PASSWORD, expires_at)
        else:
            assert identity is not None
            user = identity.insert(
                tx,
                Status.CONFIRMED if passwordless else Status.FORCE_CHANGE_PASSWORD,
                secrets,
                None if passwordless else expires_at,
                svc.clock.now(),
                exists="User account already exists",
                force_alias=bool(req.get("ForceAliasCreation")),
            )
        if req.get("MessageAction") != "SUPPRESS":
            mediums = req.get("DesiredDeliveryMediums") or ["SMS"]
            origin = Origin("AdminCreateUser", None, req.get("ClientMetadata"))
            _invite(svc, tx, pool, user, password, mediums, custom, origin)
        created = still_there(tx, user)
    return {"User": user_type(created)}


def _new_identity(pool: Pool, req: AdminCreateUserRequest) -> NewUser:
    schema = pool.config["SchemaAttributes"]
    attributes = normalize_attributes(schema, attribute_map(req.get("UserAttributes")))
    check_attributes(schema, attributes, updating=False)
    return new_user_identity(pool, req["Username"], attributes)


def _plain_invitation(
    svc: Services, pool: Pool, req: AdminCreateUserRequest, attributes: dict[str, str]
) -> bool:
    """Whether an invitation goes out by a channel without a custom sender (whose function
    makes its own text): only then does CustomMessage_AdminCreateUser run."""
    if req.get("MessageAction") == "SUPPRESS":
        return False
    mediums = messages.reachable_mediums(attributes, req.get("DesiredDeliveryMediums") or ["SMS"])
    return any(svc.triggers.sender(pool, channel_of(attribute)) is None for _, attribute in mediums)


def _resend_target(user: User) -> User:
    if user.status != Status.FORCE_CHANGE_PASSWORD:
        raise errors.UnsupportedUserStateException(
            f"Resend not possible. {user.username} status is not FORCE_CHANGE_PASSWORD."
        )
    return user


def _invite(
    svc: Services,
    tx: UnitOfWork,
    pool: Pool,
    user: User,
    password: str,
    mediums: Sequence[DeliveryMediumType],
    custom: dict[str, Any] | None,
    origin: Origin,
) -> None:
    """Send the invitation by each requested medium the user has a destination for
    (as the CustomMessage trigger's answer `custom` says, when there is one).

    The default medium is SMS; a user with only an email gets it by email.
    """
    for medium, attribute in messages.reachable_mediums(user.attributes, mediums):
        text = messages.invitation(pool.config, medium, user.username, password)
        if custom is not None:  # CustomMessage_AdminCreateUser answered before the write
            text = _custom_invitation(text, medium, custom, user.username, password)
        queue_invitation(svc, tx, pool, user, attribute, password, text, origin)


def _attributes_of(user: User | None) -> dict[str, str]:
    return user.attributes if user is not None else {}


def _custom_invitation(
    default: messages.Text | None,
    medium: str,
    custom: dict[str, Any],
    username: str,
    password: str,
) -> messages.Text | None:
    """The invitation as CustomMessage answered it; its null fields keep the pool's text
    (none when the pool's template cannot carry the password)."""
    fallback = default or messages.Text(None, "")
    text = messages.customized(lambda _: fallback, medium, custom, username)(password)
    return text if text.body else None


@operation("AdminGetUser")
def admin_get_user(svc: Services, req: AdminGetUserRequest) -> AdminGetUserResponse:
    with svc.store.read() as tx:
        _, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        answer: AdminGetUserResponse = {
            "Username": user.username,
            "UserAttributes": to_attribute_list(shown_attributes(tx, user)),
            "UserCreateDate": user.created_at,
            "UserLastModifiedDate": user.modified_at,
            "Enabled": user.enabled,
            "UserStatus": user_status(user),
        }
        add_mfa_fields(answer, tx, user)
        return answer


@operation("GetUser")
def get_user(svc: Services, req: GetUserRequest) -> GetUserResponse:
    with svc.store.read() as tx:
        user = authorize(svc, tx, req["AccessToken"]).user
        # developer-only attributes are the administrators' business, not the user's
        shown = shown_attributes(tx, user)
        own = {n: v for n, v in shown.items() if not developer_only(n)}
        answer: GetUserResponse = {
            "Username": user.username,
            "UserAttributes": to_attribute_list(own),
        }
        add_mfa_fields(answer, tx, user)
        return answer


@operation("AdminDeleteUser")
def admin_delete_user(svc: Services, req: AdminDeleteUserRequest) -> NoOutput:
    with svc.store.write() as tx:
        _, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        tx.users.delete(user.id)
    return {}


@operation("DeleteUser")
def delete_user(svc: Services, req: DeleteUserRequest) -> NoOutput:
    with svc.store.write() as tx:
        tx.users.delete(authorize(svc, tx, req["AccessToken"]).user.id)
    return {}


@operation("AdminDisableUser")
def admin_disable_user(svc: Services, req: AdminDisableUserRequest) -> AdminDisableUserResponse:
    with svc.store.write() as tx:
        _, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        now = svc.clock.now()
        tx.users.update(user.id, enabled=False, modified_at=now)
        tx.grants.revoke_all_of(user.id, now)
    return {}


@operation("AdminEnableUser")
def admin_enable_user(svc: Services, req: AdminEnableUserRequest) -> AdminEnableUserResponse:
    with svc.store.write() as tx:
        _, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        tx.users.update(user.id, enabled=True, modified_at=svc.clock.now())
    return {}


@operation("ListUsers")
def list_users(svc: Services, req: ListUsersRequest) -> ListUsersResponse:
    limit = req.get("Limit") or 60
    user_filter = parse_filter(req.get("Filter"))
    after = user_page(req.get("PaginationToken"), value_order=in_value_order(user_filter))
    with svc.store.read() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        found, token = cut(
            tx.users.page(pool.id, user_filter, after, limit + 1),
            limit,
            lambda u: user_key(cursor_after(user_filter, u)),
        )
        found = with_identities(tx, pool.id, found)
    wanted = req.get("AttributesToGet")
    users: list[UserType] = []
    for user in found:
        entry = user_type(user)
        if wanted is not None:
            entry["Attributes"] = [a for a in entry["Attributes"] if a["Name"] in wanted]
        users.append(entry)
    answer: ListUsersResponse = {"Users": users}
    if token is not None:
        answer["PaginationToken"] = token
    return answer
