from __future__ import annotations

import pytest

from recognito.domain.masking import delivery_details, mask_email, mask_phone


def test_mask_email_current_cognito_form() -> None:
    assert mask_email("fixture@example.com") == "f***@e***"


def test_mask_email_keeps_only_first_characters() -> None:
    assert mask_email("a@b.co") == "a***@b***"
    assert mask_email("Jane.Doe@Sub.Example.org") == "J***@S***"


def test_mask_email_without_at_reveals_nothing() -> None:
    assert mask_email("not-an-address") == "***"


def test_mask_phone_keeps_last_four_digits() -> None:
    assert mask_phone("+14155550123") == "+*******0123"


def test_mask_phone_twelve_digits() -> None:
    assert mask_phone("+441234564114") == "+********4114"


def test_delivery_details_email() -> None:
    assert delivery_details("email", "fixture@example.com") == {
        "Destination": "f***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }


def test_delivery_details_phone() -> None:
    assert delivery_details("phone_number", "+14155550123") == {
        "Destination": "+*******0123",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }


def test_delivery_details_rejects_other_attributes() -> None:
    with pytest.raises(ValueError):
        delivery_details("name", "Jane")
