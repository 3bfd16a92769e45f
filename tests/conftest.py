"""Suite-wide hooks (the API tests' fixtures are in tests/api/conftest.py)."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many requests the fuzz test sent (recorded as its `fuzz_requests`
    property, so it reaches this summary from an xdist worker too)."""
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", []):
                if name == "fuzz_requests":
                    terminalreporter.write_line(f"fuzz: {value} requests tried ({outcome})")
