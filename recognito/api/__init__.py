"""The Cognito operations, one module per family; each registers its operations by name."""

from __future__ import annotations

from recognito.service.registry import OPERATIONS, Operation


def operations() -> dict[str, Operation]:
    """Every operation Recognito serves, by its Cognito name."""
    from recognito.api import (  # noqa: F401  (importing a module registers its operations)
        attributes,
        auth,
        branding,
        cimd,
        client_secrets,
        clients,
        devices,
        domains,
        groups,
        identity_providers,
        mfa,
        passwords,
        pools,
        provider_links,
        resource_servers,
        security,
        sessions,
        signup,
        terms,
        token_exchange,
        user_imports,
        users,
        webauthn,
    )

    return OPERATIONS
