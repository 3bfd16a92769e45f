"""The admin operations as the admin console (web/console.py) calls them: on the API's
own terms. A page or form names an operation and its request; it is validated against the
model, judged by the signed-in credential's allow lists, throttled, refused when it asks
for what Recognito does not carry out, and run by the operation's registered function,
exactly as a signed call would be (Dispatcher.invoke). Nothing here writes a table.

The console keeps the access key id of whoever signed in; each call looks the credential
up again, so a pair deleted from --admin-credentials stops working at once, and a
session made with a secret since replaced ends (`stamp`).
"""

from __future__ import annotations

import dataclasses
import hmac
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from recognito import errors
from recognito.crypto.secrets import digest
from recognito.protocol.admission import UNCHECKED, Admission
from recognito.protocol.http import Dispatcher
from recognito.protocol.model import operation_model
from recognito.protocol.region import REGION
from recognito.service.context import Caller

SIGNED_OUT = "Sign in to the admin console again."
# compared when the key id is unknown, so a wrong id takes as long as a wrong secret
_NO_SECRET = "x" * 40


class AdminCalls:
    def __init__(self, dispatcher: Dispatcher) -> None:
        self._dispatcher = dispatcher
        self._gate = dispatcher.gate
        self._services = dispatcher.services

    @property
    def signed(self) -> bool:
        """Whether the console asks for an access key (the server has --admin-credentials)."""
        return self._gate.signed

    def admit(self, request: Request) -> None:
        """The API's boundary for the console's pages; NotAuthorizedException otherwise."""
        self._gate.admit_console(request)

    def sign_in(self, access_key_id: str, secret: str) -> str | None:
        """The stamp of the pair when the secret is right (compared in constant time)."""
        credential = self._gate.credential(access_key_id)
        expected = credential.secret_access_key if credential is not None else _NO_SECRET
        right = hmac.compare_digest(secret.encode(), expected.encode())
        return self.stamp(access_key_id) if right and credential is not None else None

    def stamp(self, access_key_id: str) -> str | None:
        """A keyed digest of the pair as configured now (None: no such key any more);
        a session carries the one it was made with."""
        credential = self._gate.credential(access_key_id)
        if credential is None:
            return None
        material = f"{credential.access_key_id}\0{credential.secret_access_key}"
        return digest(self._services.secret_key, "admin-console\0" + material)

    def call(
        self,
        request: Request,
        access_key_id: str | None,
        operation: str,
        params: Mapping[str, Any],
        region: str | None = None,
    ) -> dict[str, Any]:
        """Run `operation` for the signed-in key (None: the unsigned developer default) in
        `region` (as a signature's scope would name it; None or not a region name: --region)."""
        model = operation_model(operation)
        if model is None:  # a bug of the console, not the admin's input
            raise ValueError(f"unknown operation {operation}")
        admission: Admission = UNCHECKED
        if self._gate.signed:
            credential = self._gate.credential(access_key_id) if access_key_id else None
            if credential is None:
                raise errors.NotAuthorizedException(SIGNED_OUT)
            admission = Admission(None, credential)
        peer = request.client.host if request.client else None
        services = dataclasses.replace(
            self._services,
            caller=Caller(peer, request.headers.get("user-agent")),
            request_region=region if region and REGION.fullmatch(region) else None,
        )
        return self._dispatcher.invoke(model, dict(params), services, admission)
