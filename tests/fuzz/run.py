"""The property as a hypothesis test, for the CI slice and the long run alike."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .client import Fuzzer
from .hostile import hostile_request
from .request import FuzzRequest, valid_request

# as many valid-ish requests (they reach the operations) as hostile ones
REQUESTS: st.SearchStrategy[FuzzRequest] = st.one_of(valid_request(), hostile_request())
# one request at a time two times in three, else a few at once (a concurrent mix)
BATCHES: st.SearchStrategy[list[FuzzRequest]] = st.integers(0, 2).flatmap(
    lambda n: (
        st.lists(REQUESTS, min_size=2, max_size=6) if n == 0 else st.tuples(REQUESTS).map(list)
    )
)


def fuzz_settings(examples: int, *, derandomize: bool) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,  # a request's time is the server's, judged by the hang timeout
        database=None,  # the server's state is not replayable anyway
        derandomize=derandomize,
        suppress_health_check=list(HealthCheck),  # big, slow examples are the point
        print_blob=True,
    )


def property_for(fuzzer: Fuzzer, config: settings) -> Callable[[], None]:
    """A hypothesis test that sends batches of fuzzed requests to `fuzzer`'s server."""

    @config
    @given(batch=BATCHES)
    def every_answer_is_a_success_or_a_modelled_4xx(batch: list[FuzzRequest]) -> None:
        fuzzer.check(batch)

    return every_answer_is_a_success_or_a_modelled_4xx
