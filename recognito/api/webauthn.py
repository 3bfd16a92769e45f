"""Passkeys (WebAuthn) a signed-in user manages: StartWebAuthnRegistration,
CompleteWebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential. The
ceremonies are verified in `recognito.signin.passkeys`; docs/behaviour.md "Passkeys"."""

from __future__ import annotations

from recognito import errors
from recognito.domain import passkeys
from recognito.domain.passkeys import Passkey
from recognito.service.access import authorize
from recognito.service.context import Services
from recognito.service.paging import INVALID_TOKEN, cut, page
from recognito.service.registry import operation
from recognito.shapes import (
    CompleteWebAuthnRegistrationRequest,
    CompleteWebAuthnRegistrationResponse,
    DeleteWebAuthnCredentialRequest,
    DeleteWebAuthnCredentialResponse,
    ListWebAuthnCredentialsRequest,
    ListWebAuthnCredentialsResponse,
    StartWebAuthnRegistrationRequest,
    StartWebAuthnRegistrationResponse,
    WebAuthnCredentialDescription,
)
from recognito.signin import passkeys as ceremonies


@operation("StartWebAuthnRegistration")
def start_web_authn_registration(
    svc: Services, req: StartWebAuthnRegistrationRequest
) -> StartWebAuthnRegistrationResponse:
    with svc.store.write() as tx:
        caller = authorize(svc, tx, req["AccessToken"])
        options = ceremonies.start_registration(svc, tx, caller)
    return {"CredentialCreationOptions": options}


@operation("CompleteWebAuthnRegistration")
def complete_web_authn_registration(
    svc: Services, req: CompleteWebAuthnRegistrationRequest
) -> CompleteWebAuthnRegistrationResponse:
    credential = req["Credential"]
    if not isinstance(credential, dict):
        raise errors.InvalidParameterException(
            passkeys.MALFORMED.format(detail="Credential is not a JSON object")
        )
    with svc.store.write() as tx:
        caller = authorize(svc, tx, req["AccessToken"])
        ceremonies.complete_registration(svc, tx, caller, credential)
    return {}


def _described(passkey: Passkey) -> WebAuthnCredentialDescription:
    described: WebAuthnCredentialDescription = {
        "CredentialId": passkey.credential_id,
        "FriendlyCredentialName": passkey.friendly_name,
        "RelyingPartyId": passkey.rp_id,
        "AuthenticatorTransports": list(passkey.transports),
        "CreatedAt": passkey.created_at,
    }
    if passkey.attachment is not None:
        described["AuthenticatorAttachment"] = passkey.attachment
    return described


@operation("ListWebAuthnCredentials")
def list_web_authn_credentials(
    svc: Services, req: ListWebAuthnCredentialsRequest
) -> ListWebAuthnCredentialsResponse:
    limit = req.get("MaxResults") or passkeys.LIST_PAGE
    after = page(req.get("NextToken"))
    if after is not None and not after.isdigit():
        raise errors.InvalidParameterException(INVALID_TOKEN)
    with svc.store.read() as tx:
        user = authorize(svc, tx, req["AccessToken"]).user
        found = tx.passkeys.of_user(user.id, int(after or 0), limit + 1)
    shown, token = cut(found, limit, lambda p: str(p.id))
    answer: ListWebAuthnCredentialsResponse = {"Credentials": [_described(p) for p in shown]}
    if token is not None:
        answer["NextToken"] = token
    return answer


@operation("DeleteWebAuthnCredential")
def delete_web_authn_credential(
    svc: Services, req: DeleteWebAuthnCredentialRequest
) -> DeleteWebAuthnCredentialResponse:
    with svc.store.write() as tx:
        user = authorize(svc, tx, req["AccessToken"]).user
        tx.passkeys.remove(ceremonies.passkey_of(tx, user, req["CredentialId"]).id)
    return {}
