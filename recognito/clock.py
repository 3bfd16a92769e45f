"""The only reader of the wall clock; everything that expires asks a Clock.

Times are epoch seconds as floats, the unit Cognito puts on the wire.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float: ...


class SystemClock:
    def now(self) -> float:
        return time.time()


class FrozenClock:
    """A clock tests move by hand, so expiry is tested without sleeping."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds


class ShiftedClock:
    """The wall clock moved forward by hand (the test-control API's clock): whatever
    expires by this clock expires as if the time had passed."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds
