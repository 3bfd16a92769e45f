"""The fuzz property (tests/fuzz) in CI: a bounded, derandomized run against a server of
its own. Every answer is a success or a 4xx the model allows for the operation, never a
5xx, a hang or a dropped connection, and the server still serves afterwards. The long
run is `python -m tests.fuzz --minutes 30`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.fuzz.client import Fuzzer
from tests.fuzz.run import fuzz_settings, property_for

from .support import EMAIL_FROM, ServerProcess, SmsCatcher, SmtpCatcher, StartServer

# ~1,500 requests, 45 s alone on two cores; derandomized so a failure reproduces
EXAMPLES = 800


@pytest.fixture
def fuzz_server(
    private_server: StartServer, tmp_path: Path, smtp: SmtpCatcher, sms: SmsCatcher
) -> ServerProcess:
    """A server of its own: the fuzz creates pools by the hundred and would fill the
    shared server's quotas."""
    delivery = ["--smtp-url", smtp.url, "--email-from", EMAIL_FROM, "--sms-webhook-url", sms.url]
    return private_server(tmp_path, extra_args=delivery)


def test_fuzzed_requests_get_a_success_or_a_modelled_4xx(
    fuzz_server: ServerProcess, record_property: Callable[[str, Any], None]
) -> None:
    fuzzer = Fuzzer(fuzz_server.base_url)
    try:
        property_for(fuzzer, fuzz_settings(EXAMPLES, derandomize=True))()
        serving = fuzzer.still_serving()
    finally:
        fuzzer.close()
        record_property("fuzz_requests", fuzzer.sent)  # shown in the run's summary
        print(f"fuzz: {fuzzer.sent} requests")

    assert serving, "the server stopped answering an ordinary call"
    assert not fuzzer.failures, "\n".join(str(f) for f in fuzzer.failures)
    assert "internal error" not in fuzz_server.stderr()
