"""The long fuzz run: `python -m tests.fuzz --minutes 30`.

Starts a server of its own (with SMTP and SMS catchers, in a temporary data folder), runs
the property in rounds of fresh random seeds until the time is up, then prints how many
requests it sent and every distinct failure with the request that caused it. Exits 1 when
anything failed or the server stopped answering.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import seed

from tests.api.support import EMAIL_FROM, SmsCatcher, SmtpCatcher, start_server

from .client import Failure, Fuzzer
from .run import fuzz_settings, property_for

ROUND_EXAMPLES = 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to fuzz")
    parser.add_argument("--seed", type=int, default=None, help="first round's seed")
    parser.add_argument("--url", help="fuzz this running server instead of starting one")
    args = parser.parse_args(argv)
    first_seed = args.seed if args.seed is not None else random.randrange(2**32)
    with tempfile.TemporaryDirectory(prefix="recognito-fuzz-") as tmp:
        if args.url:
            return fuzz(args.url, args.minutes, first_seed)
        smtp, sms = SmtpCatcher(), SmsCatcher()
        smtp.start()
        sms.start()
        server = start_server(
            Path(tmp) / "data",
            Path(tmp),
            extra_args=["--smtp-url", smtp.url, "--email-from", EMAIL_FROM]
            + ["--sms-webhook-url", sms.url],
        )
        try:
            code = fuzz(server.base_url, args.minutes, first_seed)
            if not server.running():
                print("the server process exited", file=sys.stderr)
                code = 1
            internal = [line for line in server.stderr().splitlines() if "internal error" in line]
            if internal:
                print(
                    f"the server logged {len(internal)} internal errors:", *internal[:20], sep="\n"
                )
            return code
        finally:
            server.stop()
            smtp.stop()
            sms.stop()


def fuzz(base_url: str, minutes: float, first_seed: int) -> int:
    fuzzer = Fuzzer(base_url)
    deadline = time.monotonic() + minutes * 60
    rounds = 0
    try:
        while time.monotonic() < deadline:
            round_seed = first_seed + rounds
            rounds += 1
            test = seed(round_seed)(
                property_for(fuzzer, fuzz_settings(ROUND_EXAMPLES, derandomize=False))
            )
            try:
                test()
            except Exception as exc:  # shrunk and re-raised (or flaky: the server's state moved)
                print(f"round {rounds} (seed {round_seed}) failed: {exc!r}"[:2000], flush=True)
            print(f"round {rounds} (seed {round_seed}): {fuzzer.sent} requests so far", flush=True)
        serving = fuzzer.still_serving()
    finally:
        fuzzer.close()
    distinct = _distinct(fuzzer.failures)
    print(
        f"\nfuzz: {fuzzer.sent} requests in {rounds} rounds from seed {first_seed}, "
        f"{len(fuzzer.failures)} failing answers ({len(distinct)} distinct)"
    )
    print("answers (what was sent, what came back):")
    for outcome, count in sorted(fuzzer.outcomes.items()):
        print(f"  {count:7d}  {outcome}")
    for failure in distinct:
        print(f"- {failure}")
    if not serving:
        print("the server no longer answers an ordinary call")
    return 1 if distinct or not serving else 0


def _distinct(failures: list[Failure]) -> list[Failure]:
    """One failure per (problem's first words, request kind and operation)."""
    seen: dict[tuple[str, str], Failure] = {}
    for failure in failures:
        key = (failure.problem[:40], failure.request.split(" body")[0][:120])
        seen.setdefault(key, failure)
    return list(seen.values())


if __name__ == "__main__":
    sys.exit(main())
