"""Prometheus metrics: what the service counts, and the page `/metrics` serves.

Labels are bounded sets only: an operation of botocore's model, a Cognito error type, an
AuthFlow or challenge name, a trigger, a delivery channel. No user names, addresses or
pool ids (pool ids are not secret, but one label value per pool grows without bound).

`recognito serve` runs several worker processes: it sets PROMETHEUS_MULTIPROC_DIR to a
folder of its own before any of them starts, so each process counts in files there and
`/metrics` sums them all (prometheus_client's multiprocess mode). Without the variable
(in-process apps, the service tests) the counts are this process's own.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as _multiprocess

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

REQUESTS = Counter(
    "recognito_requests",
    "API calls answered, by operation and outcome (a Cognito error type, or success)",
    ["operation", "outcome"],
)
LATENCY = Histogram(
    "recognito_request_duration_seconds",
    "Time from a call's arrival to its answer, by operation",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SIGN_INS = Counter(
    "recognito_sign_ins",
    "Sign-in steps, by flow (AuthFlow, the challenge answered, or HOSTED_UI) and result "
    "(tokens, challenge, or a Cognito error type)",
    ["flow", "result"],
)
SIGN_IN_FAILURES = Counter(
    "recognito_sign_in_failures",
    "Passwords refused: wrong_password, or locked_out (tried during a lockout)",
    ["reason"],
)
LOCKOUTS = Counter("recognito_lockouts", "Lockouts begun after repeated wrong passwords")
CODES_SENT = Counter(
    "recognito_codes_sent", "Messages (codes, links) a channel accepted, by channel", ["channel"]
)
CODES_FAILED = Counter(
    "recognito_codes_failed",
    "Messages given up after their last try, by channel",
    ["channel"],
)
TRIGGERS = Counter(
    "recognito_trigger_invocations",
    "Lambda trigger invocations, by trigger and outcome (ok, or the Cognito error type)",
    ["trigger", "outcome"],
)


# each request's labelled series, found once: `labels()` costs more than the counting
_ANSWERED: dict[tuple[str, str], tuple[Counter, Histogram]] = {}


def request_answered(operation: str, outcome: str, seconds: float) -> None:
    series = _ANSWERED.get((operation, outcome))
    if series is None:  # two threads may both look it up: the same series either way
        series = _ANSWERED[operation, outcome] = (
            REQUESTS.labels(operation, outcome),
            LATENCY.labels(operation),
        )
    series[0].inc()
    series[1].observe(seconds)


def sign_in_step(flow: str, result: str) -> None:
    SIGN_INS.labels(flow, result).inc()


def password_refused(reason: str) -> None:
    SIGN_IN_FAILURES.labels(reason).inc()


def lockout_begun() -> None:
    LOCKOUTS.inc()


def message_delivered(channel: str, sent: bool) -> None:
    (CODES_SENT if sent else CODES_FAILED).labels(channel).inc()


def trigger_invoked(trigger: str, outcome: str) -> None:
    TRIGGERS.labels(trigger, outcome).inc()


def exposition() -> bytes:
    """The text page of every process's metrics (or of this one's, outside `serve`)."""
    if os.environ.get(MULTIPROC_DIR):
        registry = CollectorRegistry()
        _multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY)
