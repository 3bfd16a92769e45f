"""Connection limits uvicorn lacks: a deadline for receiving each request and a cap on
open connections.

uvicorn closes idle keep-alive connections, but waits forever for a request head or
body that never completes, each wait holding a file descriptor (slowloris). The request
deadline starts when a connection opens or a request's first byte arrives and ends once
the whole request (head and body) is in; operations themselves are not timed.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from recognito.config import Settings


class GuardedHttpProtocol(HttpToolsProtocol):
    request_timeout: float = Settings.request_timeout
    max_connections: int = Settings.max_connections
    _deadline: asyncio.TimerHandle | None = None

    @classmethod
    def configure(cls, settings: Settings) -> None:
        """Take the settings' limits; each server process does so before it serves."""
        cls.request_timeout = settings.request_timeout
        cls.max_connections = settings.max_connections

    def connection_made(  # type: ignore[override]  # as uvicorn's own signature
        self, transport: asyncio.Transport
    ) -> None:
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            transport.close()  # refused before it can hold anything but a moment
            return
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:  # a later request on a kept-alive connection
            self._arm()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def _arm(self) -> None:
        self._deadline = self.loop.call_later(self.request_timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        # An operation still waiting for this body sees a disconnect and is dropped.
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()
