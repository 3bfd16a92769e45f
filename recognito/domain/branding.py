"""The rules of branding (classic and managed login) and of terms documents (reference
§1.6, §5.6). Messages Cognito's references do not give are Recognito's (docs/behaviour.md,
"Branding and terms")."""

from __future__ import annotations

from collections.abc import Sequence

from recognito import errors

POOL_DEFAULT = "ALL"  # the ClientId of a pool's classic branding
MAX_LOGO_BYTES = 100 * 1024
MAX_CLASSIC_REQUEST = 135 * 1024  # logo (base64) and CSS together
MAX_STYLES_PER_POOL = 20
# the asset a managed-login style shows as the pages' logo, best first; formats an <img>
# shows without running anything (no SVG: opened on its own it is a document with scripts)
LOGO_CATEGORIES = ("FORM_LOGO", "PAGE_HEADER_LOGO")
LOGO_COLOUR_MODES = ("LIGHT", "DYNAMIC")
RENDERED_EXTENSIONS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
TERMS_NAMES = ("terms-of-use", "privacy-policy")


def image_type(data: bytes) -> str:
    """The media type of a classic logo: PNG or JPEG, told by its first bytes."""
    if len(data) > MAX_LOGO_BYTES:
        raise errors.InvalidParameterException(
            f"The image file size exceeds the maximum of {MAX_LOGO_BYTES // 1024} KB."
        )
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    raise errors.InvalidParameterException("The image file must be a PNG, JPG or JPEG image.")


def check_classic_size(css: str | None, image_base64: object) -> None:
    """`image_base64`: the blob as it came, still base64 (protocol/validate.py)."""
    if (
        len(css or "") + (len(image_base64) if isinstance(image_base64, str | bytes) else 0)
        > MAX_CLASSIC_REQUEST
    ):
        raise errors.InvalidParameterException(
            f"The request size exceeds the maximum of {MAX_CLASSIC_REQUEST // 1024} KB."
        )


def check_style(use_cognito_values: bool, settings: object, assets: Sequence[object]) -> None:
    """UseCognitoProvidedValues stands for Settings and Assets, so excludes them; the
    Settings document is a JSON object."""
    if use_cognito_values and (settings is not None or assets):
        raise errors.InvalidParameterException(
            "Settings and Assets cannot be provided when UseCognitoProvidedValues is true."
        )
    if settings is not None and not isinstance(settings, dict):
        raise errors.InvalidParameterException("Settings must be a JSON object.")


def check_style_room(count: int) -> None:
    if count >= MAX_STYLES_PER_POOL:
        raise errors.LimitExceededException(
            f"A user pool can have at most {MAX_STYLES_PER_POOL} managed login branding styles."
        )


def style_exists() -> errors.ManagedLoginBrandingExistsException:
    return errors.ManagedLoginBrandingExistsException(
        "A managed login branding style already exists for this app client."
    )


def style_not_found() -> errors.ResourceNotFoundException:
    return errors.ResourceNotFoundException("Managed login branding style does not exist.")


def terms_exist(name: str) -> errors.TermsExistsException:
    return errors.TermsExistsException(f"Terms with name {name} already exist for this app client.")


def terms_not_found() -> errors.ResourceNotFoundException:
    return errors.ResourceNotFoundException("Terms do not exist.")
