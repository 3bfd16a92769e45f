"""Request-rate quotas, exact across processes and nodes without a write per request.

Each one-second window's allowance of a (pool, category) lives in a counters row. A
process leases a share of it in one short write transaction (the row locked, so two
processes never lease the same calls) and spends the share in memory; when the share is
spent it leases another, and when the window's whole allowance is leased the calls are
refused with TooManyRequestsException until the next second. The calls admitted in a
window, summed over every process, never exceed the limit; a process may end a window
holding calls it leased and did not spend (under-use, never over-use).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import re
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from recognito import errors
from recognito.clock import Clock
from recognito.config import Settings
from recognito.domain import rate_quotas
from recognito.domain.rate_quotas import RATE_EXCEEDED, RateLimits, window_of
from recognito.domain.records import Counter
from recognito.service.context import Services
from recognito.store.db import Store

_KEY_ROOM = 150  # the counters key column holds 160 characters
_POOL_ID = re.compile(r"[\w-]+_[0-9a-zA-Z]+")
_MEMORY = 50_000  # local allowances (and client pools) kept before old ones are dropped
_LEASE_LOCKS = 64  # keys lease one at a time per lock; keys share locks by hash
ACCOUNT = "*"  # the key of calls that name no pool: ListUserPools, CreateUserPool, ...
UNKNOWN = "?"  # the key of calls naming a client or token pool that does not exist

OFF, COGNITO = "off", "cognito"


def configured(settings: Settings) -> RateLimits | None:
    """The quotas this server enforces, None for none. Cognito's defaults in the
    production posture (--admin-credentials), none in the developer default; --quotas
    off|cognito|FILE decides either way. ValueError for an unreadable file."""
    mode = settings.quotas or (COGNITO if settings.admin_credentials is not None else OFF)
    if mode == OFF:
        return None
    if mode == COGNITO:
        return RateLimits()
    path = Path(mode)
    try:
        document = tomllib.loads(path.read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"--quotas {path}: {exc}") from None
    try:
        return rate_quotas.parse_limits(document, str(path))
    except ValueError as exc:
        raise ValueError(f"--quotas {path}: {exc}") from None


def describe(settings: Settings, limits: RateLimits | None) -> str:
    """The start-up line that says which quotas apply."""
    if limits is None:
        why = "--quotas off" if settings.quotas == OFF else "the developer default"
        return f"quotas: off ({why}; --quotas cognito or --quotas FILE enforces them)"
    per_ip = "unlimited" if limits.per_ip is None else f"{limits.per_ip}/s"
    return (
        f"quotas: {limits.source}, per pool and category; public calls {per_ip} per "
        "address and pool (`recognito quotas show` lists them)"
    )


@dataclass
class _Local:
    """What this process holds of one allowance in one window."""

    window: int
    left: int = 0
    exhausted: bool = False  # the store has no more to lease in this window


class Allowances:
    """Per-second allowances leased from the store, spent in memory; thread-safe."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._lock = threading.Lock()
        self._local: dict[str, _Local] = {}
        self._leasing = [threading.Lock() for _ in range(_LEASE_LOCKS)]

    def take(self, key: str, limit: int) -> bool:
        """Whether one more call under `key` fits `limit` calls in this second."""
        now = self._clock.now()
        window = window_of(now)
        spent = self._spend(key, window)
        if spent is not None:
            return spent
        # one lease at a time per key: the threads that queue behind it spend its share
        # instead of each leasing one (a burst at the start of a second would leave most
        # of the allowance leased and unspent)
        with self._leasing[hash(key) % len(self._leasing)]:
            spent = self._spend(key, window)
            if spent is not None:
                return spent
            granted = self._lease(key, limit, window, now)
            with self._lock:
                local = self._local.get(key)
                if local is None or local.window != window:
                    if len(self._local) >= _MEMORY:
                        self._forget_before(window)
                    local = self._local[key] = _Local(window)
                if granted == 0:
                    local.exhausted = True
                    return False
                local.left += granted - 1  # one for this call
                return True

    def _spend(self, key: str, window: int) -> bool | None:
        """True: spent one call this process holds; False: the window is spent; None: a
        lease is needed."""
        with self._lock:
            local = self._local.get(key)
            if local is None or local.window != window:
                return None
            if local.left > 0:
                local.left -= 1
                return True
            return False if local.exhausted else None

    def _lease(self, key: str, limit: int, window: int, now: float) -> int:
        """A share of the window's allowance, counted in the store; 0 when all is leased."""
        stored = _stored_key(key)
        with self._store.write() as tx:
            held = tx.counters.held(stored, now)
            used = held.count if window_of(held.first_at) == window else 0
            granted = rate_quotas.share(limit, used)
            if granted:
                start = window * rate_quotas.WINDOW
                tx.counters.save(stored, Counter(used + granted, first_at=start, last_at=now))
        return granted

    def _forget_before(self, window: int) -> None:
        for key in [k for k, v in self._local.items() if v.window < window]:
            del self._local[key]


def _stored_key(key: str) -> str:
    full = "rate:" + key
    if len(full) <= _KEY_ROOM:
        return full
    return "rate:" + hashlib.sha256(key.encode()).hexdigest()


class Throttle:
    """The quotas, checked for each call once its parameters are valid."""

    def __init__(self, services: Services, limits: RateLimits) -> None:
        self._limits = limits
        self._store = services.store
        self._allowances = Allowances(services.store, services.clock)
        self._client_pools: dict[str, str] = {}
        self._pools: dict[str, str] = {}

    def admit(self, operation: str, params: Mapping[str, object], address: str | None) -> None:
        """Count the call; TooManyRequestsException when its allowance is spent.

        `address`: the caller's, for a public (unsigned) call; None for admin calls. The
        per-address allowance is checked first, so calls it refuses do not spend the
        pool's."""
        charges = rate_quotas.charges(operation, params)
        if not charges:
            return
        pool = self._pool(params)
        if address is not None:
            per_ip = self._limits.ip_limit(pool)
            key = f"ip:{pool}:{_address(address)}"
            if per_ip is not None and not self._allowances.take(key, per_ip):
                raise errors.TooManyRequestsException(RATE_EXCEEDED)
        for charge in charges:
            limit = self._limits.limit(pool, charge.category)
            if limit is None:
                return
            if self._allowances.take(f"{pool}:{charge.bucket}", limit * charge.multiplier):
                return
        raise errors.TooManyRequestsException(RATE_EXCEEDED)

    def _pool(self, params: Mapping[str, object]) -> str:
        """The pool a call is counted for: its UserPoolId or ResourceArn (admin calls);
        the issuer of its AccessToken (read without verifying: the operation verifies it;
        a forged issuer can only spend that pool's allowance, as anyone who knows a pool's
        public ClientId can); the pool of its ClientId; else the account-wide key. A
        pool or client that does not exist is counted under one shared key, so made-up
        ids cannot add a row each (the call fails anyway)."""
        pool_id = params.get("UserPoolId")
        if isinstance(pool_id, str):
            return pool_id
        arn = params.get("ResourceArn")
        if isinstance(arn, str) and "userpool/" in arn:
            return arn.rsplit("userpool/", 1)[1]
        token = params.get("AccessToken")
        if isinstance(token, str):
            issuer_pool = _token_pool(token)
            return UNKNOWN if issuer_pool is None else self._known(issuer_pool, is_client=False)
        client_id = params.get("ClientId")
        if isinstance(client_id, str):
            return self._known(client_id, is_client=True)
        return ACCOUNT

    def _known(self, name: str, *, is_client: bool) -> str:
        """The pool of a client id, or a pool id as it is, once the store knows it
        (remembered per process: a client never changes pools, and ids are not reused);
        UNKNOWN otherwise."""
        cache = self._client_pools if is_client else self._pools
        pool = cache.get(name)
        if pool is not None:
            return pool
        with self._store.read() as tx:
            if is_client:
                client = tx.clients.get(name)
                pool = client.pool_id if client is not None else None
            else:
                pool = name if tx.pools.get(name) is not None else None
        if pool is None:
            return UNKNOWN
        if len(cache) >= _MEMORY:
            cache.clear()
        cache[name] = pool
        return pool


def _address(ip: str) -> str:
    """The address a per-address allowance is kept for: an IPv6 address by its /64, the
    block one subscriber usually has (else each of its addresses would count apart)."""
    if ":" not in ip:
        return ip
    try:
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False).network_address) + "/64"
    except ValueError:
        return ip


def _token_pool(token: str) -> str | None:
    """The pool id at the end of a JWT's `iss`, read without verifying the token."""
    parts = token.split(".")
    if len(parts) != 3 or len(parts[1]) > 8192:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    issuer = payload.get("iss") if isinstance(payload, dict) else None
    if not isinstance(issuer, str):
        return None
    pool_id = issuer.rstrip("/").rsplit("/", 1)[-1]
    return pool_id if _POOL_ID.fullmatch(pool_id) else None
