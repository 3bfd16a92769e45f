"""What error messages may carry in a header: short, printable ASCII."""

from __future__ import annotations

from recognito.protocol.errors import HEADER_MESSAGE_LIMIT, header_text


def test_header_text_is_short_printable_ascii() -> None:
    assert header_text("User does not exist.") == "User does not exist."
    assert header_text("a\r\nb\x00\u00e9\ud800") == "a\\r\\nb\\x00\\xe9\\ud800"
    long = header_text("\n" * 10_000)
    assert len(long) == HEADER_MESSAGE_LIMIT and long.endswith("...")
