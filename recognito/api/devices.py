"""Remembered devices: ConfirmDevice, the device status, Get/List/Forget and their admin
twins. Sign-in hands out the devices (NewDeviceMetadata) and checks them
(DEVICE_SRP_AUTH) in `recognito.signin.devices`; docs/behaviour.md "Devices"."""

from __future__ import annotations

import base64
import binascii
from dataclasses import replace

from recognito import errors
from recognito.domain import devices
from recognito.domain.devices import Device
from recognito.domain.records import User
from recognito.service.access import authorize
from recognito.service.context import Services
from recognito.service.lookups import pool_and_user
from recognito.service.paging import INVALID_TOKEN, cut, page
from recognito.service.registry import NoOutput, operation
from recognito.shapes import (
    AdminForgetDeviceRequest,
    AdminGetDeviceRequest,
    AdminGetDeviceResponse,
    AdminListDevicesRequest,
    AdminListDevicesResponse,
    AdminUpdateDeviceStatusRequest,
    AdminUpdateDeviceStatusResponse,
    ConfirmDeviceRequest,
    ConfirmDeviceResponse,
    DeviceType,
    ForgetDeviceRequest,
    GetDeviceRequest,
    GetDeviceResponse,
    ListDevicesRequest,
    ListDevicesResponse,
    UpdateDeviceStatusRequest,
    UpdateDeviceStatusResponse,
)
from recognito.store.unit_of_work import UnitOfWork

_PAGE = 60  # Limit's maximum, and the page when none is given


def _device(tx: UnitOfWork, user: User, device_key: str) -> Device:
    """The user's device, or Cognito's error (another user's device does not exist)."""
    device = tx.devices.get(user.pool_id, device_key)
    if device is None or device.user_id != user.id:
        raise errors.ResourceNotFoundException(devices.MISSING)
    return device


def _shape(device: Device) -> DeviceType:
    shape: DeviceType = {
        "DeviceKey": device.device_key,
        "DeviceAttributes": devices.attributes(device),
        "DeviceCreateDate": device.created_at,
        "DeviceLastModifiedDate": device.modified_at,
    }
    if device.authenticated_at is not None:
        shape["DeviceLastAuthenticatedDate"] = device.authenticated_at
    return shape


def _hex_of(value: str, name: str) -> str:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise errors.InvalidParameterException(f"Invalid {name}.") from exc
    if not raw or not int.from_bytes(raw, "big"):
        raise errors.InvalidParameterException(f"Invalid {name}.")
    return format(int.from_bytes(raw, "big"), "x")


@operation("ConfirmDevice")
def confirm_device(svc: Services, req: ConfirmDeviceRequest) -> ConfirmDeviceResponse:
    config = req.get("DeviceSecretVerifierConfig") or {}
    if not config.get("PasswordVerifier") or not config.get("Salt"):
        raise errors.InvalidParameterException(
            "DeviceSecretVerifierConfig must contain PasswordVerifier and Salt."
        )
    verifier = _hex_of(config["PasswordVerifier"], "PasswordVerifier")
    salt = _hex_of(config["Salt"], "Salt")
    with svc.store.write() as tx:
        caller = authorize(svc, tx, req["AccessToken"])
        device = _device(tx, caller.user, req["DeviceKey"])
        if device.confirmed:
            raise errors.NotAuthorizedException("Device has already been confirmed.")
        tracking = devices.configuration(caller.pool.config) or {}
        status = devices.status_after_confirm(tracking)
        now = svc.clock.now()
        name = req.get("DeviceName") or device.name
        updated = replace(
            device, salt=salt, verifier=verifier, name=name, status=status, modified_at=now
        )
        tx.devices.save(updated)
    return {"UserConfirmationNecessary": bool(tracking.get("DeviceOnlyRememberedOnUserPrompt"))}


def _set_status(tx: UnitOfWork, svc: Services, user: User, key: str, status: str | None) -> None:
    device = _device(tx, user, key)
    # Cognito's model makes the status optional; without one the device is not remembered
    chosen = status or devices.NOT_REMEMBERED
    tx.devices.save(replace(device, status=chosen, modified_at=svc.clock.now()))


@operation("UpdateDeviceStatus")
def update_device_status(
    svc: Services, req: UpdateDeviceStatusRequest
) -> UpdateDeviceStatusResponse:
    with svc.store.write() as tx:
        user = authorize(svc, tx, req["AccessToken"]).user
        _set_status(tx, svc, user, req["DeviceKey"], req.get("DeviceRememberedStatus"))
    return {}


@operation("AdminUpdateDeviceStatus")
def admin_update_device_status(
    svc: Services, req: AdminUpdateDeviceStatusRequest
) -> AdminUpdateDeviceStatusResponse:
    with svc.store.write() as tx:
        user = pool_and_user(tx, req["UserPoolId"], req["Username"])[1]
        _set_status(tx, svc, user, req["DeviceKey"], req.get("DeviceRememberedStatus"))
    return {}


@operation("GetDevice")
def get_device(svc: Services, req: GetDeviceRequest) -> GetDeviceResponse:
    with svc.store.read() as tx:
        user = authorize(svc, tx, req.get("AccessToken")).user
        return {"Device": _shape(_device(tx, user, req["DeviceKey"]))}


@operation("AdminGetDevice")
def admin_get_device(svc: Services, req: AdminGetDeviceRequest) -> AdminGetDeviceResponse:
    with svc.store.read() as tx:
        user = _named_user(tx, req["UserPoolId"], req["Username"])
        return {"Device": _shape(_device(tx, user, req["DeviceKey"]))}


def _named_user(tx: UnitOfWork, pool_id: str, username: str) -> User:
    """The user AdminGetDevice and AdminListDevices name. Their model has no
    UserNotFoundException: an unknown user is a ResourceNotFoundException there."""
    try:
        return pool_and_user(tx, pool_id, username)[1]
    except errors.UserNotFoundException as exc:
        raise errors.ResourceNotFoundException(exc.message) from None


def _list(
    tx: UnitOfWork, user: User, req: ListDevicesRequest | AdminListDevicesRequest
) -> ListDevicesResponse:
    limit = req.get("Limit") or _PAGE
    after = page(req.get("PaginationToken"))
    if after is not None and not devices.KEY.fullmatch(after):
        raise errors.InvalidParameterException(INVALID_TOKEN)
    found = tx.devices.of_user(user.id, after, limit + 1)
    shown, token = cut(found, limit, lambda d: d.device_key)
    answer: ListDevicesResponse = {"Devices": [_shape(d) for d in shown]}
    if token is not None:
        answer["PaginationToken"] = token
    return answer


@operation("ListDevices")
def list_devices(svc: Services, req: ListDevicesRequest) -> ListDevicesResponse:
    with svc.store.read() as tx:
        return _list(tx, authorize(svc, tx, req["AccessToken"]).user, req)


@operation("AdminListDevices")
def admin_list_devices(svc: Services, req: AdminListDevicesRequest) -> AdminListDevicesResponse:
    with svc.store.read() as tx:
        return _list(tx, _named_user(tx, req["UserPoolId"], req["Username"]), req)


@operation("ForgetDevice")
def forget_device(svc: Services, req: ForgetDeviceRequest) -> NoOutput:
    with svc.store.write() as tx:
        user = authorize(svc, tx, req.get("AccessToken")).user
        tx.devices.remove(_device(tx, user, req["DeviceKey"]).device_key)
    return {}


@operation("AdminForgetDevice")
def admin_forget_device(svc: Services, req: AdminForgetDeviceRequest) -> NoOutput:
    with svc.store.write() as tx:
        user = pool_and_user(tx, req["UserPoolId"], req["Username"])[1]
        tx.devices.remove(_device(tx, user, req["DeviceKey"]).device_key)
    return {}
