"""What the test-control API (`serve --test-api`, web/test_api.py) changes in a running
server: its clock, a fixed code per pool, the codes it sent, users' expired tokens.

It lives in the process (a test server runs one), and only when the test API is on:
`Services.controls` is None otherwise, and none of this can change a real server.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

from recognito.clock import ShiftedClock

KEPT_CODES = 1000  # the latest codes sent, for the test API to read back


@dataclass(frozen=True)
class SentCode:
    pool_id: str
    username: str
    destination: str
    code: str
    purpose: str  # the code's purpose (sign_up, password_reset, ...) or "invitation"
    sent_at: float


class TestControls:
    __test__ = False  # not a pytest test class

    def __init__(self, clock: ShiftedClock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._fixed: dict[str, str] = {}
        self._sent: deque[SentCode] = deque(maxlen=KEPT_CODES)
        # (pool, sub) -> access tokens issued up to then are expired; and the jtis of
        # those issued since in the same second, which are not
        self._cutoffs: dict[tuple[str, str], float] = {}
        self._fresh: dict[tuple[str, str], set[str]] = {}

    def fixed_code(self, pool_id: str) -> str | None:
        return self._fixed.get(pool_id)

    def set_fixed_code(self, pool_id: str, code: str | None) -> None:
        with self._lock:
            if code is None:
                self._fixed.pop(pool_id, None)
            else:
                self._fixed[pool_id] = code

    def record(self, sent: SentCode) -> None:
        with self._lock:
            self._sent.append(sent)

    def latest(
        self, pool_id: str, username: str | None, destination: str | None
    ) -> SentCode | None:
        with self._lock:
            for sent in reversed(self._sent):
                if sent.pool_id != pool_id:
                    continue
                if username is not None and sent.username != username:
                    continue
                if destination is not None and sent.destination.lower() != destination.lower():
                    continue
                return sent
        return None

    def expire_tokens(self, pool_id: str, sub: str, now: float) -> None:
        with self._lock:
            self._cutoffs[(pool_id, sub)] = now
            self._fresh[(pool_id, sub)] = set()

    def issued(self, pool_id: str, sub: str, jti: str) -> None:
        """An access token issued now: not one the last expire_tokens meant."""
        with self._lock:
            fresh = self._fresh.get((pool_id, sub))
            if fresh is not None:
                fresh.add(jti)

    def expired(self, pool_id: str, sub: str, issued_at: float, jti: str) -> bool:
        with self._lock:
            cutoff = self._cutoffs.get((pool_id, sub))
            if cutoff is None or issued_at > cutoff:
                return False
            return jti not in self._fresh.get((pool_id, sub), set())

    def forget_pool(self, pool_id: str) -> None:
        with self._lock:
            self._fixed.pop(pool_id, None)
            self._sent = deque((s for s in self._sent if s.pool_id != pool_id), KEPT_CODES)
            for key in [k for k in self._cutoffs if k[0] == pool_id]:
                del self._cutoffs[key]
                self._fresh.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._fixed.clear()
            self._sent.clear()
            self._cutoffs.clear()
            self._fresh.clear()
            self.clock.offset = 0.0
