"""Multi-factor authentication: the pool's MFA settings (Set/GetUserPoolMfaConfig) and a
user's factors (AssociateSoftwareToken, VerifySoftwareToken, Set/AdminSetUserMFAPreference,
Get/AdminGetUserAuthFactors,
and the older Set/AdminSetUserSettings).
The challenges a correct password then leads to live in `recognito.signin.mfa`."""

from __future__ import annotations

from typing import Literal, cast, get_args

from recognito import errors
from recognito.domain import mfa
from recognito.domain.records import Pool, User
from recognito.service.access import authorize
from recognito.service.context import Services
from recognito.service.lookups import pool_and_user, pool_or_error
from recognito.service.registry import operation
from recognito.shapes import (
    AdminGetUserAuthFactorsRequest,
    AdminGetUserAuthFactorsResponse,
    AdminSetUserMFAPreferenceRequest,
    AdminSetUserMFAPreferenceResponse,
    AdminSetUserSettingsRequest,
    AdminSetUserSettingsResponse,
    AssociateSoftwareTokenRequest,
    AssociateSoftwareTokenResponse,
    AuthFactorType,
    GetUserAuthFactorsRequest,
    GetUserAuthFactorsResponse,
    GetUserPoolMfaConfigRequest,
    GetUserPoolMfaConfigResponse,
    MFAOptionType,
    SetUserMFAPreferenceRequest,
    SetUserMFAPreferenceResponse,
    SetUserPoolMfaConfigRequest,
    SetUserPoolMfaConfigResponse,
    SetUserSettingsRequest,
    SetUserSettingsResponse,
    StoredUserPool,
    VerifySoftwareTokenRequest,
    VerifySoftwareTokenResponse,
)
from recognito.signin import totp_setup, user_auth
from recognito.store.unit_of_work import UnitOfWork

# what SetUserPoolMfaConfig sets and Get/SetUserPoolMfaConfig answer: members of its
# request, of its answer and of StoredUserPool alike
_PoolSetting = Literal[
    "SmsMfaConfiguration",
    "SoftwareTokenMfaConfiguration",
    "EmailMfaConfiguration",
    "MfaConfiguration",
    "WebAuthnConfiguration",
]
_POOL_SETTINGS: tuple[_PoolSetting, ...] = get_args(_PoolSetting)


# -- the pool's settings -------------------------------------------------------
@operation("SetUserPoolMfaConfig")
def set_user_pool_mfa_config(
    svc: Services, req: SetUserPoolMfaConfigRequest
) -> SetUserPoolMfaConfigResponse:
    with svc.store.write() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
        config = pool.config.copy()
        for key in _POOL_SETTINGS:
            if key in req:
                config[key] = req[key]
        if config.get("MfaConfiguration", "OFF") != "OFF" and not mfa.pool_factors(config):
            raise errors.InvalidParameterException(
                "At least one MFA method must be enabled to turn MFA on."
            )
        tx.pools.update(pool.id, config, svc.clock.now())
    return _mfa_config(config)


@operation("GetUserPoolMfaConfig")
def get_user_pool_mfa_config(
    svc: Services, req: GetUserPoolMfaConfigRequest
) -> GetUserPoolMfaConfigResponse:
    with svc.store.read() as tx:
        return _mfa_config(pool_or_error(tx, req["UserPoolId"]).config)


def _mfa_config(config: StoredUserPool) -> GetUserPoolMfaConfigResponse:
    """Get/SetUserPoolMfaConfig's answer (the same shape): the pool's MFA settings, as the
    validated Create/UpdateUserPool and SetUserPoolMfaConfig requests gave them."""
    answer: GetUserPoolMfaConfigResponse = {}
    for key in _POOL_SETTINGS:
        if key in config:
            answer[key] = config[key]
    answer.setdefault("MfaConfiguration", "OFF")
    return answer


# -- a user's factors ----------------------------------------------------------
@operation("AssociateSoftwareToken")
def associate_software_token(
    svc: Services, req: AssociateSoftwareTokenRequest
) -> AssociateSoftwareTokenResponse:
    return totp_setup.associate_software_token(svc, req)


@operation("VerifySoftwareToken")
def verify_software_token(
    svc: Services, req: VerifySoftwareTokenRequest
) -> VerifySoftwareTokenResponse:
    return totp_setup.verify_software_token(svc, req)


@operation("SetUserMFAPreference")
def set_user_mfa_preference(
    svc: Services, req: SetUserMFAPreferenceRequest
) -> SetUserMFAPreferenceResponse:
    with svc.store.write() as tx:
        _set_preferences(tx, authorize(svc, tx, req["AccessToken"]).user, req)
    return {}


@operation("AdminSetUserMFAPreference")
def admin_set_user_mfa_preference(
    svc: Services, req: AdminSetUserMFAPreferenceRequest
) -> AdminSetUserMFAPreferenceResponse:
    with svc.store.write() as tx:
        _set_preferences(tx, pool_and_user(tx, req["UserPoolId"], req["Username"])[1], req)
    return {}


def _set_preferences(
    tx: UnitOfWork,
    user: User,
    req: SetUserMFAPreferenceRequest | AdminSetUserMFAPreferenceRequest,
) -> None:
    current = tx.mfa.get(user.id)
    updated = mfa.with_preferences(
        current,
        user,
        req.get("SMSMfaSettings"),
        req.get("SoftwareTokenMfaSettings"),
        req.get("EmailMfaSettings"),
    )
    tx.mfa.save(user.id, updated)


@operation("GetUserAuthFactors")
def get_user_auth_factors(
    svc: Services, req: GetUserAuthFactorsRequest
) -> GetUserAuthFactorsResponse:
    with svc.store.read() as tx:
        caller = authorize(svc, tx, req["AccessToken"])
        return _auth_factors(tx, caller.pool, caller.user)


@operation("AdminGetUserAuthFactors")
def admin_get_user_auth_factors(
    svc: Services, req: AdminGetUserAuthFactorsRequest
) -> AdminGetUserAuthFactorsResponse:
    with svc.store.read() as tx:
        pool, user = pool_and_user(tx, req["UserPoolId"], req["Username"])
        return _auth_factors(tx, pool, user)


def _auth_factors(tx: UnitOfWork, pool: Pool, user: User) -> GetUserAuthFactorsResponse:
    """The user's MFA factors (as GetUser lists them) and the first factors USER_AUTH
    would offer them."""
    enabled, preferred = mfa.setting_list(user, tx.mfa.get(user.id))
    # FIRST_FACTORS' factors are AuthFactorType values (PASSWORD, EMAIL_OTP, SMS_OTP, ...)
    factors = cast(list[AuthFactorType], user_auth.configured_factors(tx, pool, user))
    answer: GetUserAuthFactorsResponse = {"Username": user.username}
    if enabled:
        answer["UserMFASettingList"] = enabled
    if preferred is not None:
        answer["PreferredMfaSetting"] = preferred
    if factors:
        answer["ConfiguredUserAuthFactors"] = factors
    return answer


@operation("SetUserSettings")
def set_user_settings(svc: Services, req: SetUserSettingsRequest) -> SetUserSettingsResponse:
    with svc.store.write() as tx:
        _set_legacy(tx, authorize(svc, tx, req["AccessToken"]).user, req["MFAOptions"])
    return {}


@operation("AdminSetUserSettings")
def admin_set_user_settings(
    svc: Services, req: AdminSetUserSettingsRequest
) -> AdminSetUserSettingsResponse:
    with svc.store.write() as tx:
        user = pool_and_user(tx, req["UserPoolId"], req["Username"])[1]
        _set_legacy(tx, user, req["MFAOptions"])
    return {}


def _set_legacy(tx: UnitOfWork, user: User, options: list[MFAOptionType]) -> None:
    current = tx.mfa.get(user.id)
    tx.mfa.save(user.id, mfa.with_preferences(current, user, mfa.legacy_sms(options), None))
