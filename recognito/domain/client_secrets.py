"""An app client's secrets: at most two at once, so one can be rotated out without
downtime (Add/List/DeleteUserPoolClientSecret). The oldest is the client's `secret`;
an id is `<client-id>--<epoch-create-time in milliseconds>`, unique within the client."""

from __future__ import annotations

from dataclasses import dataclass, replace

from recognito import errors
from recognito.domain.records import Client

MAX_SECRETS = 2
NO_SECRET = "Client secrets can only be added to a client that has a secret."
TOO_MANY = "The client already has the maximum of 2 client secrets."
LAST_ONE = "The last remaining client secret cannot be deleted."


@dataclass(frozen=True)
class ClientSecret:
    id: str
    value: str
    created_at: float


def _ms(moment: float) -> int:
    return round(moment * 1000)


def listed(client: Client) -> list[ClientSecret]:
    """The client's secrets, oldest first (a client from before rotation: its own creation
    time stands for the secret's)."""
    found = []
    for value, created in (
        (client.secret, client.secret_created_at or client.created_at),
        (client.next_secret, client.next_secret_created_at),
    ):
        if value is not None and created is not None:
            found.append(ClientSecret(f"{client.id}--{_ms(created)}", value, created))
    return found


def added(client: Client, value: str, now: float) -> tuple[Client, ClientSecret]:
    secrets = listed(client)
    if not secrets:
        raise errors.InvalidParameterException(NO_SECRET)
    if len(secrets) >= MAX_SECRETS:
        raise errors.LimitExceededException(TOO_MANY)
    # a later id than the other's even within the same millisecond
    created = max(_ms(now), _ms(secrets[0].created_at) + 1) / 1000
    new = ClientSecret(f"{client.id}--{_ms(created)}", value, created)
    return _with(client, [*secrets, new]), new


def deleted(client: Client, secret_id: str) -> Client:
    secrets = listed(client)
    kept = [s for s in secrets if s.id != secret_id]
    if len(kept) == len(secrets):
        raise errors.ResourceNotFoundException(f"Client secret {secret_id} does not exist.")
    if not kept:
        raise errors.InvalidParameterException(LAST_ONE)
    return _with(client, kept)


def _with(client: Client, secrets: list[ClientSecret]) -> Client:
    first, second = secrets[0], secrets[1] if len(secrets) > 1 else None
    return replace(
        client,
        secret=first.value,
        secret_created_at=first.created_at,
        next_secret=second.value if second else None,
        next_secret_created_at=second.created_at if second else None,
    )
