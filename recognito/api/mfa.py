"""Multi-factor authentication: the pool's MFA settings (Set/GetUserPoolMfaConfig) and a
user's factors (AssociateSoftwareToken, VerifySoftwareToken, AdminDeleteSoftwareToken,
Set/AdminSetUserMFAPreference, and the older Set/AdminSetUserSettings).
The challenges a correct password then leads to live in `recognito.signin.mfa`."""

from __future__ import annotations

from typing import Literal, get_args

from recognito import errors
from recognito.domain import mfa
from recognito.domain.records import User
from recognito.service.access import authorize
from recognito.service.context import Services
from recognito.service.lookups import pool_and_user, pool_or_error
from recognito.service.registry import operation
from recognito.shapes import (
    AdminDeleteSoftwareTokenRequest,
    AdminDeleteSoftwareTokenResponse,
    AdminSetUserMFAPreferenceRequest,
    AdminSetUserMFAPreferenceResponse,
    AdminSetUserSettingsRequest,
    AdminSetUserSettingsResponse,
    AssociateSoftwareTokenRequest,
    AssociateSoftwareTokenResponse,
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
from recognito.signin import totp_setup
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


@operation("AdminDeleteSoftwareToken")
def admin_delete_software_token(
    svc: Services, req: AdminDeleteSoftwareTokenRequest
) -> AdminDeleteSoftwareTokenResponse:
    with svc.store.write() as tx:
        user = pool_and_user(tx, req["UserPoolId"], req["Username"])[1]
        tx.mfa.save(user.id, mfa.without_totp(tx.mfa.get(user.id)))
    return {}


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
