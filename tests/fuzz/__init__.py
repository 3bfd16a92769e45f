"""Property-based fuzzing of the whole API surface (hypothesis).

Requests are drawn from botocore's cognito-idp model: "valid-ish" ones (the right shapes,
with the ids of a small seeded pool mixed in so they reach deep into the operations) and
hostile ones (missing members, wrong types, huge and deeply nested values, bad unicode,
random or non-JSON bodies, wrong content types, unknown targets, oversized bodies), sent
alone and in concurrent batches. The property (oracle.py): every answer is a success or a
4xx the model allows for that operation, never a 5xx, a hang or a dropped connection.

tests/api/test_fuzz.py runs a bounded, derandomized slice in CI;
`python -m tests.fuzz --minutes 30` runs on demand against a server of its own.
"""
