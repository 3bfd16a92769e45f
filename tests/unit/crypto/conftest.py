"""What several crypto test modules share."""

from __future__ import annotations

import hmac

import pytest

Compared = list[tuple[bytes, bytes]]


@pytest.fixture
def constant_time_comparisons(monkeypatch: pytest.MonkeyPatch) -> Compared:
    """Every pair `hmac.compare_digest` is asked to compare, in order, while the test runs."""
    compared: Compared = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    return compared
