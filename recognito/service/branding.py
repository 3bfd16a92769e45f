"""What the hosted pages show of a client's branding and terms.

A domain with ManagedLoginVersion 2 shows the client's managed-login style, as far as it
maps onto the classic pages: its logo asset (FORM_LOGO, else PAGE_HEADER_LOGO; PNG, JPEG
or WEBP; LIGHT or DYNAMIC). Any other domain shows the classic branding: the client's own
SetUICustomization, else the pool's ('ALL'). Terms links show on sign-up under either,
once the client has both documents."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import urlsplit

from recognito.domain import branding as rules
from recognito.domain.records import ManagedLoginBranding
from recognito.store.unit_of_work import UnitOfWork

# the language whose link a page shows, best first (the pages are in English)
_LINK_KEYS = ("cognito:english", "cognito:default")


@dataclass(frozen=True)
class Logo:
    data: bytes
    media_type: str


@dataclass(frozen=True)
class PageBranding:
    version: str  # changes whenever the branding does: the stylesheet's and logo's cache key
    stylesheet: str | None  # the CSS to serve (already sanitised), None: none
    logo: Logo | None
    terms: dict[str, str]  # terms-of-use / privacy-policy -> link, both or neither


NONE = PageBranding(version="0", stylesheet=None, logo=None, terms={})


def page_branding(
    tx: UnitOfWork, pool_id: str, client_id: str, domain_name: str | None
) -> PageBranding:
    domain = tx.domains.get(domain_name) if domain_name else None
    terms = _terms(tx, pool_id, client_id)
    if domain is not None and domain.managed_login_version == 2:
        style = tx.managed_login_brandings.of_client(pool_id, client_id)
        if style is None:
            return PageBranding("0", None, None, terms)
        return PageBranding(str(int(style.modified * 1000)), None, _style_logo(style), terms)
    classic = tx.ui_customizations.effective(pool_id, client_id)
    if classic is None:
        return PageBranding("0", None, None, terms)
    logo = (
        Logo(classic.image, classic.image_type or "image/png")
        if classic.image is not None
        else None
    )
    return PageBranding(classic.css_version, classic.safe_css or None, logo, terms)


def _style_logo(style: ManagedLoginBranding) -> Logo | None:
    for category in rules.LOGO_CATEGORIES:
        for asset in style.assets:
            media_type = rules.RENDERED_EXTENSIONS.get(asset.get("Extension", ""))
            if (
                asset.get("Category") == category
                and asset.get("ColorMode") in rules.LOGO_COLOUR_MODES
                and media_type is not None
                and asset.get("Bytes")
            ):
                try:
                    return Logo(base64.b64decode(asset["Bytes"]), media_type)
                except (binascii.Error, ValueError):
                    continue
    return None


def _terms(tx: UnitOfWork, pool_id: str, client_id: str) -> dict[str, str]:
    links = {}
    for document in tx.terms.of_client(pool_id, client_id):
        keys = [k for k in _LINK_KEYS if k in document.links] or sorted(document.links)
        # a page links only web addresses: never javascript: or data:
        if keys and urlsplit(document.links[keys[0]]).scheme in ("http", "https"):
            links[document.terms_name] = document.links[keys[0]]
    return links if all(name in links for name in rules.TERMS_NAMES) else {}
