"""Request-rate quotas: Cognito's operation categories, their default rates, and what a
quotas file may change (docs/behaviour.md §12.3).

Every operation belongs to one category; a category's calls share one allowance of
requests per second (RPS). Cognito counts a category across all pools of an account and
region; Recognito counts it per pool (the issue asks so: one noisy pool does not starve
the others). The table is Cognito's published one (Developer Guide, "Quotas in Amazon
Cognito", "user pools API operation categories and request rate quotas"); operations the
table leaves out are placed by the nearest listed kind (marked *choice* below).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

RATE_EXCEEDED = "Rate exceeded"  # TooManyRequestsException's message, as AWS throttles say
WINDOW = 1.0  # seconds: quotas are requests per second, counted per whole second
PER_IP_DEFAULT = 50  # public calls per second from one address to one pool (our figure)
# Cognito lets (Admin)RespondToAuthChallenge run at 3x UserAuthentication before its
# calls count toward that category ("special request rate handling")
CHALLENGE_MULTIPLIER = 3
NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"


class Category(StrEnum):
    USER_AUTHENTICATION = "UserAuthentication"
    USER_CREATION = "UserCreation"
    USER_FEDERATION = "UserFederation"
    USER_ACCOUNT_RECOVERY = "UserAccountRecovery"
    USER_READ = "UserRead"
    USER_UPDATE = "UserUpdate"
    USER_TOKEN = "UserToken"
    USER_RESOURCE_READ = "UserResourceRead"
    USER_RESOURCE_UPDATE = "UserResourceUpdate"
    USER_LIST = "UserList"
    USER_POOL_READ = "UserPoolRead"
    USER_POOL_UPDATE = "UserPoolUpdate"
    USER_POOL_RESOURCE_READ = "UserPoolResourceRead"
    USER_POOL_RESOURCE_UPDATE = "UserPoolResourceUpdate"
    USER_POOL_CLIENT_READ = "UserPoolClientRead"
    USER_POOL_CLIENT_UPDATE = "UserPoolClientUpdate"
    CLIENT_AUTHENTICATION = "ClientAuthentication"
    LIMIT_MANAGEMENT = "LimitManagement"


C = Category
# Cognito's default quota (RPS) of each category, and whether Cognito lets it be raised
DEFAULT_RPS: Mapping[Category, int] = {
    C.USER_AUTHENTICATION: 120,
    C.USER_CREATION: 50,
    C.USER_FEDERATION: 25,
    C.USER_ACCOUNT_RECOVERY: 30,
    C.USER_READ: 120,
    C.USER_UPDATE: 25,
    C.USER_TOKEN: 120,
    C.USER_RESOURCE_READ: 50,
    C.USER_RESOURCE_UPDATE: 25,
    C.USER_LIST: 30,
    C.USER_POOL_READ: 15,
    C.USER_POOL_UPDATE: 15,
    C.USER_POOL_RESOURCE_READ: 20,
    C.USER_POOL_RESOURCE_UPDATE: 15,
    C.USER_POOL_CLIENT_READ: 15,
    C.USER_POOL_CLIENT_UPDATE: 15,
    C.CLIENT_AUTHENTICATION: 150,
    C.LIMIT_MANAGEMENT: 1,
}
ADJUSTABLE = frozenset(
    {
        C.USER_AUTHENTICATION,
        C.USER_CREATION,
        C.USER_FEDERATION,
        C.USER_READ,
        C.USER_TOKEN,
        C.USER_RESOURCE_READ,
    }
)


def _each(category: Category, names: str) -> dict[str, Category]:
    return dict.fromkeys(names.split(), category)


OPERATION_CATEGORY: Mapping[str, Category] = {
    **_each(
        C.USER_AUTHENTICATION,
        "InitiateAuth AdminInitiateAuth RespondToAuthChallenge AdminRespondToAuthChallenge "
        "GetTokensFromRefreshToken",
    ),
    **_each(C.USER_CREATION, "SignUp ConfirmSignUp AdminCreateUser AdminConfirmSignUp"),
    **_each(
        C.USER_ACCOUNT_RECOVERY,
        "ChangePassword ConfirmForgotPassword ForgotPassword AdminResetUserPassword "
        "AdminSetUserPassword",
    ),
    # GetUserAuthFactors: *choice*, as its admin twin AdminGetUserAuthFactors
    **_each(C.USER_READ, "AdminGetUser GetUser GetUserAuthFactors AdminGetUserAuthFactors"),
    **_each(
        C.USER_UPDATE,
        "AdminAddUserToGroup AdminDeleteUserAttributes AdminUpdateUserAttributes "
        "AdminDeleteUser AdminDisableUser AdminEnableUser AdminLinkProviderForUser "
        "AdminDisableProviderForUser VerifyUserAttribute DeleteUser DeleteUserAttributes "
        "UpdateUserAttributes AdminUserGlobalSignOut GlobalSignOut AdminRemoveUserFromGroup",
    ),
    # the session revocations and token exchange: *choice*, as RevokeToken
    **_each(C.USER_TOKEN, "RevokeToken RevokeUserSession AdminRevokeUserSession GetDerivedToken"),
    # ListWebAuthnCredentials: *choice*, a user's resource as their devices are
    **_each(
        C.USER_RESOURCE_READ,
        "AdminGetDevice AdminListGroupsForUser AdminListDevices GetDevice ListDevices "
        "GetUserAttributeVerificationCode ResendConfirmationCode AdminListUserAuthEvents "
        "ListWebAuthnCredentials ListUserSessions AdminListUserSessions",
    ),
    # the WebAuthn registrations and deletion: *choice*, as the devices and MFA tokens
    **_each(
        C.USER_RESOURCE_UPDATE,
        "AdminForgetDevice AdminUpdateAuthEventFeedback AdminSetUserMFAPreference "
        "AdminSetUserSettings AdminUpdateDeviceStatus UpdateDeviceStatus "
        "UpdateAuthEventFeedback ConfirmDevice SetUserMFAPreference SetUserSettings "
        "VerifySoftwareToken AssociateSoftwareToken ForgetDevice StartWebAuthnRegistration "
        "CompleteWebAuthnRegistration DeleteWebAuthnCredential AdminDeleteSoftwareToken",
    ),
    **_each(C.USER_LIST, "ListUsers ListUsersInGroup"),
    # the session configuration, replicas and recoveries: *choice*, pool settings
    **_each(
        C.USER_POOL_READ,
        "DescribeUserPool ListUserPools GetUserPoolSessionConfiguration "
        "ListUserPoolReplicas DescribePointInTimeRecovery ListPointInTimeRecoveries",
    ),
    **_each(
        C.USER_POOL_UPDATE,
        "CreateUserPool UpdateUserPool DeleteUserPool SetUserPoolSessionConfiguration "
        "CreateUserPoolReplica UpdateUserPoolReplica DeleteUserPoolReplica "
        "InitiatePointInTimeRecovery StartPointInTimeRecovery CancelPointInTimeRecovery",
    ),
    # DescribeTerms, ListTerms, GetLogDeliveryConfiguration: *choice*, pool resources
    **_each(
        C.USER_POOL_RESOURCE_READ,
        "DescribeIdentityProvider DescribeResourceServer DescribeUserImportJob "
        "DescribeUserPoolDomain GetCSVHeader GetGroup GetSigningCertificate "
        "GetIdentityProviderByIdentifier GetUserPoolMfaConfig ListGroups "
        "ListIdentityProviders ListResourceServers ListTagsForResource ListUserImportJobs "
        "DescribeRiskConfiguration GetUICustomization DescribeManagedLoginBranding "
        "DescribeManagedLoginBrandingByClient DescribeTerms ListTerms "
        "GetLogDeliveryConfiguration DescribeTermsByClient DescribeCIMDPolicy "
        "ListCIMDPolicies",
    ),
    # CreateTerms, UpdateTerms, DeleteTerms, SetLogDeliveryConfiguration: *choice*
    **_each(
        C.USER_POOL_RESOURCE_UPDATE,
        "AddCustomAttributes CreateGroup CreateIdentityProvider CreateResourceServer "
        "CreateUserImportJob CreateUserPoolDomain DeleteGroup DeleteIdentityProvider "
        "DeleteResourceServer DeleteUserPoolDomain SetUserPoolMfaConfig StartUserImportJob "
        "StopUserImportJob UpdateGroup UpdateIdentityProvider UpdateResourceServer "
        "UpdateUserPoolDomain SetRiskConfiguration SetUICustomization TagResource "
        "UntagResource CreateManagedLoginBranding UpdateManagedLoginBranding "
        "DeleteManagedLoginBranding CreateTerms UpdateTerms DeleteTerms "
        "CreateCIMDPolicy UpdateCIMDPolicy DeleteCIMDPolicy "
        "SetLogDeliveryConfiguration",
    ),
    # the client secrets: *choice*, as the clients they belong to
    **_each(
        C.USER_POOL_CLIENT_READ,
        "DescribeUserPoolClient ListUserPoolClients ListUserPoolClientSecrets "
        "GetUserPoolClientSessionConfiguration ListClientMetadataURLs",
    ),
    **_each(
        C.USER_POOL_CLIENT_UPDATE,
        "CreateUserPoolClient DeleteUserPoolClient UpdateUserPoolClient "
        "AddUserPoolClientSecret DeleteUserPoolClientSecret "
        "SetUserPoolClientSessionConfiguration UpdateClientMetadataURLState",
    ),
    **_each(C.CLIENT_AUTHENTICATION, "GetClientToken"),
    **_each(C.LIMIT_MANAGEMENT, "GetProvisionedLimit UpdateProvisionedLimit"),
}

_CHALLENGE_RESPONSES = frozenset({"RespondToAuthChallenge", "AdminRespondToAuthChallenge"})


@dataclass(frozen=True)
class Charge:
    """One allowance a call may be counted against: `bucket` names the count, and the
    limit is `multiplier` times the category's."""

    bucket: str
    category: Category
    multiplier: int = 1


def charges(operation: str, params: Mapping[str, object]) -> tuple[Charge, ...]:
    """What a call is counted against, tried in order: the first with allowance left
    admits it. Cognito's special handling of challenge responses: NEW_PASSWORD_REQUIRED
    counts as account recovery; any other draws on an allowance 3x UserAuthentication's,
    and beyond that on UserAuthentication itself."""
    category = OPERATION_CATEGORY.get(operation)
    if category is None:  # not a cognito-idp operation the table knows (a newer model)
        return ()
    if operation in _CHALLENGE_RESPONSES:
        if params.get("ChallengeName") == NEW_PASSWORD_REQUIRED:
            return (Charge(C.USER_ACCOUNT_RECOVERY, C.USER_ACCOUNT_RECOVERY),)
        return (
            Charge("ChallengeResponses", C.USER_AUTHENTICATION, CHALLENGE_MULTIPLIER),
            Charge(C.USER_AUTHENTICATION, C.USER_AUTHENTICATION),
        )
    return (Charge(category, category),)


def window_of(now: float) -> int:
    """The one-second window `now` falls in."""
    return math.floor(now / WINDOW)


def share(limit: int, used: int) -> int:
    """How much of a window's allowance one process leases at a time: a quarter of it (at
    least one call), or what is left. Leasing in shares keeps the store out of most calls;
    what a process leased and did not spend is lost with the window (under-use, never
    over-use)."""
    return max(0, min(math.ceil(limit / 4), limit - used))


Limit = int | None  # requests per second; None: unlimited


@dataclass(frozen=True)
class RateLimits:
    """The quotas a server enforces: per category, per public caller's address, and
    per-pool overrides of either."""

    categories: Mapping[Category, Limit] = field(default_factory=lambda: dict(DEFAULT_RPS))
    per_ip: Limit = PER_IP_DEFAULT
    pools: Mapping[str, Mapping[str, Limit]] = field(default_factory=dict)
    source: str = "Cognito's defaults"

    def limit(self, pool: str, category: Category) -> Limit:
        overrides = self.pools.get(pool, {})
        return overrides[category] if category in overrides else self.categories[category]

    def ip_limit(self, pool: str) -> Limit:
        overrides = self.pools.get(pool, {})
        return overrides["per_ip"] if "per_ip" in overrides else self.per_ip


PER_IP_KEY = "per_ip"
UNLIMITED = "unlimited"


def parse_limits(document: Mapping[str, object], source: str) -> RateLimits:
    """A quotas file's settings over Cognito's defaults; ValueError names what is wrong.

    Top level: `Category = rps` and `per_ip = rps`; `[pools."<pool id>"]` tables override
    either for one pool. A rate is a whole number of at least 1, or "unlimited"."""
    categories: dict[Category, Limit] = dict(DEFAULT_RPS)
    per_ip: Limit = PER_IP_DEFAULT
    pools: dict[str, dict[str, Limit]] = {}
    for key, value in document.items():
        if key == "pools":
            if not isinstance(value, Mapping):
                raise ValueError('"pools" must be a table of pool ids')
            for pool_id, table in value.items():
                if not isinstance(table, Mapping):
                    raise ValueError(f'pools."{pool_id}" must be a table')
                pools[str(pool_id)] = _overrides(table, f'pools."{pool_id}".')
        elif key == PER_IP_KEY:
            per_ip = _rate(value, key)
        else:
            categories[_category(key)] = _rate(value, key)
    return RateLimits(categories, per_ip, pools, source)


def _overrides(table: Mapping[str, object], where: str) -> dict[str, Limit]:
    found: dict[str, Limit] = {}
    for key, value in table.items():
        name = key if key == PER_IP_KEY else _category(key, where)
        found[name] = _rate(value, where + key)
    return found


def _category(name: str, where: str = "") -> Category:
    try:
        return Category(name)
    except ValueError:
        known = ", ".join(c.value for c in Category)
        raise ValueError(f"{where}{name} is not a quota category ({known}, per_ip)") from None


def _rate(value: object, where: str) -> Limit:
    if value == UNLIMITED:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f'{where} must be a whole number of requests per second (>= 1) or "unlimited"'
        )
    return value
