"""What every operation is handed: storage, clock, keys, settings and the trigger runner,
built once, and the region and caller of the request being served."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from recognito.clock import Clock
from recognito.config import Settings
from recognito.service.keys import KeyRing
from recognito.service.test_controls import TestControls
from recognito.store.db import Store
from recognito.triggers import Triggers


@dataclass(frozen=True)
class Caller:
    """Who sent the request, as the connection shows it: the socket peer's address (no
    proxy header is trusted) and the User-Agent header. Auth events record them."""

    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class Services:
    store: Store
    clock: Clock
    keys: KeyRing
    settings: Settings
    secret_key: bytes  # keys the digests of codes, sessions and refresh tokens
    triggers: Triggers  # the pools' Lambda triggers, as this server reaches them
    # the region a signed request names in its credential scope (set per request)
    request_region: str | None = None
    caller: Caller = Caller()  # set per request
    # the test-control API's state (`serve --test-api`); None on every other server
    controls: TestControls | None = None
    # a user import job was started: this process's import thread looks now, not at its
    # next poll (service/user_imports.py)
    wake_imports: Callable[[], None] = lambda: None

    @property
    def region(self) -> str:
        """Where pools are created and listed: the request's region, else --region."""
        return self.request_region or self.settings.region
