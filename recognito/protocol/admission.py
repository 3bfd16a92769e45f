"""Who may call an admin (signed) operation.

With --admin-credentials, every admin call carries a SigV4 signature made with one of the
file's key pairs (Authorization header or presigned query), from any address, and its
credential must allow the action on the pool. Without, the developer default: admin calls
are taken from this machine only (or from anywhere with --allow-remote-admin) and their
signatures are not checked, so any dummy credentials do. Either way an admin call is never
taken from a web page of another origin, nor for a Host this server does not serve.

Three steps, so that nothing is read that need not be: `admit` judges the headers before
the body is read, `verify` the signature once the body is in, `authorize` the allow lists
once the body is parsed and valid (they name the pool).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

from botocore.model import OperationModel
from starlette.requests import Request

from recognito import errors
from recognito.clock import Clock
from recognito.config import Settings
from recognito.domain.pools import arn
from recognito.protocol import sigv4
from recognito.protocol.iam import AdminCredential, Keyring
from recognito.protocol.model import is_signed
from recognito.protocol.origin import Boundary

INVALID_TOKEN = "The security token included in the request is invalid."


@dataclass(frozen=True)
class Admission:
    """What an admin call's headers established: the signature and whose key made it
    (both None in the developer default, where nothing is verified)."""

    signed: sigv4.Signed | None = None
    credential: AdminCredential | None = None


UNCHECKED = Admission()


def is_loopback(address: str) -> bool:
    """Whether --host `address` is reachable from this machine only."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address == "localhost"


class Gate:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._boundary = Boundary.of(settings)
        self._allow_remote = settings.allow_remote_admin
        self._clock = clock
        path = settings.admin_credentials
        self._keyring = Keyring(path) if path is not None else None

    def admit(self, model: OperationModel, request: Request) -> Admission | None:
        """None for a public operation; else what the headers prove, or the error."""
        if not is_signed(model):
            return None
        subject = f"{model.name} is an admin operation"
        self._check_boundary(subject, request)
        if self._keyring is None:
            self._check_loopback(subject, request)
            return UNCHECKED
        headers: sigv4.Headers = request.scope["headers"]
        signed = sigv4.parse(headers, request.scope["query_string"])
        sigv4.check(signed, self._clock.now())
        credential = self._keyring.get(signed.access_key_id)
        if credential is None or signed.security_token is not None:  # no session tokens here
            raise errors.UnrecognizedClientException(INVALID_TOKEN)
        return Admission(signed, credential)

    @property
    def signed(self) -> bool:
        """Whether admin callers prove who they are (--admin-credentials)."""
        return self._keyring is not None

    def credential(self, access_key_id: str) -> AdminCredential | None:
        return self._keyring.get(access_key_id) if self._keyring is not None else None

    def admit_console(self, request: Request) -> None:
        """The admin console's pages take the API's boundary: a Host this server serves,
        no other origin's page, and without credentials loopback clients only (unless
        --allow-remote-admin); NotAuthorizedException otherwise."""
        subject = "The admin console (/_console) is for admins"
        self._check_boundary(subject, request)
        if self._keyring is None:
            self._check_loopback(subject, request)

    def verify(self, admission: Admission | None, request: Request, body: bytes) -> None:
        if admission is None or admission.signed is None or admission.credential is None:
            return
        scope = request.scope
        sigv4.verify(
            admission.signed,
            admission.credential.secret_access_key,
            scope["method"],
            scope.get("raw_path") or scope["path"].encode(),
            scope["query_string"],
            scope["headers"],
            body,
        )

    @staticmethod
    def authorize(
        admission: Admission | None, operation: str, params: Mapping[str, object]
    ) -> None:
        """The credential's allow lists, for the action and the pool the (valid) request
        names; AccessDeniedException in IAM's words otherwise."""
        credential = admission.credential if admission is not None else None
        if credential is None:
            return
        resource = _resource(params)
        if not credential.allows(operation, resource):
            action = f"cognito-idp:{operation}"
            raise errors.AccessDeniedException(
                f"User: {credential.principal} is not authorized to perform: {action} on "
                f"resource: {resource} because no identity-based policy allows the {action} "
                "action"
            )

    def _check_boundary(self, subject: str, request: Request) -> None:
        host, origin = request.headers.get("host"), request.headers.get("origin")
        if origin is not None and not self._boundary.same_origin(
            origin, host, request.scope["scheme"]
        ):
            raise errors.NotAuthorizedException(
                f"{subject}; admin operations are not accepted "
                "cross-origin (from a web page of another origin)."
            )
        if not self._boundary.trusts_host(host):
            raise errors.NotAuthorizedException(
                f"{subject}, accepted only for a Host this server "
                "serves (localhost, an IP address, --host, the --public-url host or "
                "--allowed-hosts)."
            )

    def _check_loopback(self, subject: str, request: Request) -> None:
        if self._allow_remote:
            return
        client = request.client.host if request.client else ""
        try:
            loopback = ipaddress.ip_address(client).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise errors.NotAuthorizedException(
                f"{subject}, accepted only from this machine "
                "unless the server runs with --admin-credentials (or --allow-remote-admin)."
            )


def _resource(params: Mapping[str, object]) -> str:
    """The resource IAM would judge: the pool named, else `*` (ListUserPools,
    CreateUserPool and the like act on no pool)."""
    pool_id = params.get("UserPoolId")
    if isinstance(pool_id, str) and pool_id:
        return arn(pool_id)
    resource_arn = params.get("ResourceArn")
    if isinstance(resource_arn, str) and resource_arn:
        return resource_arn
    return "*"
