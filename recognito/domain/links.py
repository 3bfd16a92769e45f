"""Links of native users to identities at the pool's providers (cognito-oauth.md §12.5)."""

from __future__ import annotations

from recognito import errors
from recognito.domain.identity_providers import SOCIAL

MAX_PER_USER = 5
COGNITO = "Cognito"  # the DestinationUser's ProviderName: a native user
SUBJECT = "Cognito_Subject"  # OIDC and social identities link on the provider's user id
# what the store keeps of a linked identity (an attribute value is at most 2,048 characters)
MAX_NAME = 128
MAX_VALUE = 2048


def check_destination(provider_name: str | None) -> None:
    if provider_name != COGNITO:
        raise errors.InvalidParameterException(
            "DestinationUser ProviderName must be Cognito (a user of the pool)."
        )


def check_native(status: str) -> None:
    if status == "EXTERNAL_PROVIDER":
        raise errors.InvalidParameterException(
            "DestinationUser must be a native user, not a federated one."
        )


def check_source(provider_type: str, attribute: str, value: str) -> None:
    """OIDC and social identities are linked by subject; SAML may use a mapped attribute."""
    if provider_type in ("OIDC", *SOCIAL) and attribute != SUBJECT:
        raise errors.InvalidParameterException(
            f"SourceUser ProviderAttributeName must be {SUBJECT} for {provider_type} providers."
        )
    if not attribute or not value:
        raise errors.InvalidParameterException(
            "SourceUser ProviderAttributeName and ProviderAttributeValue are required."
        )
    if len(attribute) > MAX_NAME or len(value) > MAX_VALUE:
        raise errors.InvalidParameterException(
            f"SourceUser ProviderAttributeName may have at most {MAX_NAME} characters and "
            f"ProviderAttributeValue at most {MAX_VALUE}."
        )


def check_disable_target(provider_name: str) -> None:
    if provider_name == COGNITO:
        # Cognito would block the native user's password sign-in: not built yet
        raise errors.InvalidParameterException(
            "Disabling a native user's own sign-in (ProviderName Cognito) is not supported."
        )


def check_room(count: int) -> None:
    if count >= MAX_PER_USER:
        raise errors.LimitExceededException(
            f"A user can be linked to at most {MAX_PER_USER} identities."
        )


def unknown_provider(name: str, pool_id: str) -> errors.InvalidParameterException:
    return errors.InvalidParameterException(
        f"The provider {name} does not exist for User Pool {pool_id}"
    )


def federated_user_exists(provider: str, value: str) -> errors.InvalidParameterException:
    return errors.InvalidParameterException(
        f"User {provider}_{value} has signed in through {provider} already: "
        "delete that user before linking its identity."
    )


def linked_elsewhere() -> errors.AliasExistsException:
    return errors.AliasExistsException("This identity is linked to another user already.")
