"""The otpauth:// URI of an authenticator set-up as a QR code: inline SVG (segno, pure
Python), so the page needs neither script nor image requests."""

from __future__ import annotations

import segno


def qr_svg(text: str) -> str:
    return str(segno.make(text, error="m").svg_inline(scale=4, light="#fff", omitsize=False))
