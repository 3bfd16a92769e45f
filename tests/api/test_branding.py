"""Branding and terms over the wire (reference §1.6, §5.6): SetUICustomization /
GetUICustomization, the managed-login branding operations and the terms operations with
Cognito's errors; then the hosted pages showing the logo, the sanitised stylesheet (a
hostile CSS neutralised) and the terms links, fetched as a browser would."""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from botocore.exceptions import ClientError

from .support import MakePool
from .support.hosted import HostedApp, make_hosted_app

# the smallest valid images: an 1x1 PNG and the start of a JPEG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
HOSTILE_CSS = """
@import url("https://evil.example/x.css");
.submitButton-customizable { background-color: #ff9900; }
.submitButton-customizable:hover { color: rgb(1, 2, 3); }
.logo-customizable { max-width: 60%; background-image: url(https://evil.example/t.png); }
.label-customizable { width: expression(alert(1)); color: navy; }
body { display: none; }
.banner-customizable:after { content: "x"; }
.inputField-customizable:focus { border-color: blue; }
</style><script>alert(1)</script>
"""


def _code(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def hosted(cognito: Any, base_url: str, make_pool: MakePool) -> HostedApp:
    return make_hosted_app(cognito, base_url, make_pool())


# -- classic branding ------------------------------------------------------------------
def test_ui_customization_pool_default_and_client_override(cognito: Any, hosted: HostedApp) -> None:
    pool_id, client_id = hosted.pool_id, hosted.client_id
    assert cognito.get_ui_customization(UserPoolId=pool_id)["UICustomization"] == {}

    made = cognito.set_ui_customization(
        UserPoolId=pool_id, CSS=".label-customizable { color: red; }", ImageFile=PNG
    )["UICustomization"]
    assert made["ClientId"] == "ALL" and made["UserPoolId"] == pool_id
    assert made["CSS"] == ".label-customizable { color: red; }"
    assert made["CSSVersion"] and made["CreationDate"] and made["LastModifiedDate"]
    assert made["ImageUrl"].startswith(f"{hosted.url}/branding/ALL/logo")
    assert httpx.get(made["ImageUrl"], timeout=10).content == PNG

    # a client without its own setting falls back to the pool's
    inherited = cognito.get_ui_customization(UserPoolId=pool_id, ClientId=client_id)
    assert inherited["UICustomization"]["ClientId"] == "ALL"

    own = cognito.set_ui_customization(
        UserPoolId=pool_id, ClientId=client_id, CSS=".banner-customizable { color: blue; }"
    )["UICustomization"]
    assert own["ClientId"] == client_id and "ImageUrl" not in own
    got = cognito.get_ui_customization(UserPoolId=pool_id, ClientId=client_id)["UICustomization"]
    assert got["CSS"] == ".banner-customizable { color: blue; }"
    assert (
        cognito.get_ui_customization(UserPoolId=pool_id, ClientId="ALL")["UICustomization"]["CSS"]
        == ".label-customizable { color: red; }"
    )

    # a set with neither CSS nor logo removes the client's own: the default shows again
    cognito.set_ui_customization(UserPoolId=pool_id, ClientId=client_id)
    again = cognito.get_ui_customization(UserPoolId=pool_id, ClientId=client_id)
    assert again["UICustomization"]["ClientId"] == "ALL"


def test_ui_customization_refuses_bad_images_and_unknown_pools_and_clients(
    cognito: Any, hosted: HostedApp, make_pool: MakePool
) -> None:
    pool_id = hosted.pool_id
    with pytest.raises(ClientError) as exc:
        cognito.set_ui_customization(UserPoolId=pool_id, ImageFile=b"GIF89a" + b"\x00" * 20)
    assert _code(exc) == (
        "InvalidParameterException",
        "The image file must be a PNG, JPG or JPEG image.",
    )
    with pytest.raises(ClientError) as exc:
        cognito.set_ui_customization(UserPoolId=pool_id, ImageFile=JPEG + b"\x00" * 110_000)
    assert _code(exc)[0] == "InvalidParameterException"
    assert _code(exc)[1] == "The image file size exceeds the maximum of 100 KB."
    with pytest.raises(ClientError) as exc:  # each within its bound, too big together
        cognito.set_ui_customization(
            UserPoolId=pool_id, CSS=" " * 100_000, ImageFile=JPEG + b"\x00" * 50_000
        )
    assert _code(exc) == (
        "InvalidParameterException",
        "The request size exceeds the maximum of 135 KB.",
    )
    with pytest.raises(ClientError) as exc:
        cognito.set_ui_customization(UserPoolId="us-east-1_Nope0000", CSS="")
    assert _code(exc) == (
        "ResourceNotFoundException",
        "User pool us-east-1_Nope0000 does not exist.",
    )
    other_client = cognito.create_user_pool_client(UserPoolId=make_pool(), ClientName="x")[
        "UserPoolClient"
    ]["ClientId"]
    with pytest.raises(ClientError) as exc:
        cognito.get_ui_customization(UserPoolId=pool_id, ClientId=other_client)
    assert _code(exc) == (
        "ResourceNotFoundException",
        f"User pool client {other_client} does not exist.",
    )
    # a JPEG is taken; nothing half-applied by the refusals above
    made = cognito.set_ui_customization(UserPoolId=pool_id, ImageFile=JPEG)["UICustomization"]
    assert "CSS" not in made and made["ImageUrl"]


# -- the pages -------------------------------------------------------------------------
def _page(hosted: HostedApp, path: str) -> httpx.Response:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": hosted.client_id,
            "redirect_uri": hosted.callback,
            "scope": "openid",
        }
    )
    return httpx.get(f"{hosted.url}/{path}?{query}", timeout=10)


def _linked(page: str, kind: str) -> str:
    pattern = rf'"(/_domain/[^"]+/branding/[^"/]+/{kind}\?v=[^"]+)"'
    found = re.search(pattern, page)
    assert found, page
    return found.group(1)


def test_the_pages_show_the_logo_and_a_neutralised_stylesheet(
    cognito: Any, hosted: HostedApp
) -> None:
    plain = _page(hosted, "login")
    assert plain.status_code == 200
    assert "/branding/" not in plain.text  # nothing set: no stylesheet, no logo
    for name in ("banner-customizable", "submitButton-customizable", "inputField-customizable",
                 "label-customizable", "background-customizable"):  # fmt: skip
        assert f'class="{name}' in plain.text or f" {name}" in plain.text, name

    cognito.set_ui_customization(
        UserPoolId=hosted.pool_id, ClientId=hosted.client_id, CSS=HOSTILE_CSS, ImageFile=PNG
    )
    page = _page(hosted, "login")
    assert page.headers["Content-Security-Policy"].startswith(
        "default-src 'none'; style-src 'self'"
    )
    assert 'class="logo-customizable"' in page.text
    assert "<script>" not in page.text

    logo = httpx.get(f"{hosted.base_url}{_linked(page.text, 'logo')}", timeout=10)
    assert logo.status_code == 200 and logo.content == PNG
    assert logo.headers["content-type"] == "image/png"
    assert logo.headers["X-Content-Type-Options"] == "nosniff"

    sheet = httpx.get(f"{hosted.base_url}{_linked(page.text, 'style.css')}", timeout=10)
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/css")
    assert sheet.text == (
        ".submitButton-customizable { background-color: #ff9900; }\n"
        ".submitButton-customizable:hover { color: rgb(1, 2, 3); }\n"
        ".logo-customizable { max-width: 60%; }\n"
        ".label-customizable { color: navy; }\n"
        ".inputField-customizable:focus { border-color: blue; }\n"
    )
    for hostile in ("@import", "url(", "expression", "body", "content", "script", "evil"):
        assert hostile not in sheet.text
    # another client of the pool (no own setting, no pool default) is unbranded
    assert httpx.get(f"{hosted.url}/branding/nobody/style.css", timeout=10).status_code == 404


def test_terms_links_show_on_sign_up_only_when_both_documents_exist(
    cognito: Any, hosted: HostedApp
) -> None:
    common = {"UserPoolId": hosted.pool_id, "ClientId": hosted.client_id}
    terms = cognito.create_terms(
        **common, TermsName="terms-of-use", TermsSource="LINK", Enforcement="NONE",
        Links={"cognito:default": "https://app.example/terms"},
    )["Terms"]  # fmt: skip
    assert 'id="termsOfUse"' not in _page(hosted, "signup").text  # one is not enough
    cognito.create_terms(
        **common, TermsName="privacy-policy", TermsSource="LINK", Enforcement="NONE",
        Links={"cognito:default": "https://app.example/privacy",
               "cognito:french": "https://app.example/fr/privacy"},
    )  # fmt: skip
    page = _page(hosted, "signup").text
    assert 'id="termsOfUse" href="https://app.example/terms"' in page
    assert 'id="privacyPolicy" href="https://app.example/privacy"' in page
    assert 'class="legalText-customizable"' in page
    assert "termsOfUse" not in _page(hosted, "login").text  # sign-up only

    # a link that is no web address is never put on a page
    cognito.update_terms(
        UserPoolId=hosted.pool_id, TermsId=terms["TermsId"],
        Links={"cognito:default": "javascript:alert(1)"},
    )  # fmt: skip
    page = _page(hosted, "signup").text
    assert "javascript:" not in page and 'id="privacyPolicy"' not in page


# -- managed login branding ------------------------------------------------------------
def test_managed_login_branding_lifecycle_and_errors(cognito: Any, hosted: HostedApp) -> None:
    pool_id, client_id = hosted.pool_id, hosted.client_id
    asset = {"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": PNG}
    made = cognito.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=client_id, Settings={"components": {}}, Assets=[asset]
    )["ManagedLoginBranding"]
    style_id = made["ManagedLoginBrandingId"]
    assert uuid.UUID(style_id).version == 4
    assert made["UserPoolId"] == pool_id and made["UseCognitoProvidedValues"] is False
    assert made["Settings"] == {"components": {}}
    assert made["Assets"][0]["Bytes"] == PNG

    with pytest.raises(ClientError) as exc:
        cognito.create_managed_login_branding(UserPoolId=pool_id, ClientId=client_id)
    assert _code(exc)[0] == "ManagedLoginBrandingExistsException"

    by_client = cognito.describe_managed_login_branding_by_client(
        UserPoolId=pool_id, ClientId=client_id
    )["ManagedLoginBranding"]
    assert by_client["ManagedLoginBrandingId"] == style_id
    described = cognito.describe_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=style_id, ReturnMergedResources=True
    )["ManagedLoginBranding"]
    assert described["Assets"] == made["Assets"]

    updated = cognito.update_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=style_id, UseCognitoProvidedValues=True
    )["ManagedLoginBranding"]
    assert updated["UseCognitoProvidedValues"] is True
    assert updated["Assets"] == [] and "Settings" not in updated

    with pytest.raises(ClientError) as exc:
        cognito.update_managed_login_branding(
            UserPoolId=pool_id, ManagedLoginBrandingId=style_id,
            UseCognitoProvidedValues=True, Settings={"x": 1},
        )  # fmt: skip
    assert _code(exc)[0] == "InvalidParameterException"

    cognito.delete_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=style_id)
    with pytest.raises(ClientError) as exc:
        cognito.describe_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=style_id)
    assert _code(exc)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        cognito.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=client_id)
    assert _code(exc)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        cognito.delete_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=style_id)
    assert _code(exc)[0] == "ResourceNotFoundException"


def test_managed_login_branding_refuses_bad_requests(cognito: Any, hosted: HostedApp) -> None:
    pool_id, client_id = hosted.pool_id, hosted.client_id
    with pytest.raises(ClientError) as exc:
        cognito.create_managed_login_branding(
            UserPoolId=pool_id, ClientId=client_id, UseCognitoProvidedValues=True,
            Settings={"components": {}},
        )  # fmt: skip
    assert _code(exc) == (
        "InvalidParameterException",
        "Settings and Assets cannot be provided when UseCognitoProvidedValues is true.",
    )
    asset = {"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": PNG}
    with pytest.raises(ClientError) as exc:
        cognito.create_managed_login_branding(
            UserPoolId=pool_id, ClientId=client_id, Assets=[asset] * 41
        )
    assert _code(exc)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        cognito.create_managed_login_branding(UserPoolId=pool_id, ClientId="nosuchclient1")
    assert _code(exc) == (
        "ResourceNotFoundException",
        "User pool client nosuchclient1 does not exist.",
    )
    with pytest.raises(ClientError) as exc:
        cognito.update_managed_login_branding(UserPoolId=pool_id)
    assert _code(exc)[0] == "InvalidParameterException"
    # nothing was made by the refusals
    with pytest.raises(ClientError):
        cognito.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=client_id)


def test_a_managed_login_domain_shows_the_styles_logo(cognito: Any, hosted: HostedApp) -> None:
    cognito.update_user_pool_domain(
        Domain=hosted.domain, UserPoolId=hosted.pool_id, ManagedLoginVersion=2
    )
    cognito.set_ui_customization(UserPoolId=hosted.pool_id, CSS=".label-customizable{color:red}")

    def asset(category: str, mode: str, extension: str, data: bytes) -> dict[str, Any]:
        return {"Category": category, "ColorMode": mode, "Extension": extension, "Bytes": data}

    cognito.create_managed_login_branding(
        UserPoolId=hosted.pool_id,
        ClientId=hosted.client_id,
        Assets=[
            asset("FAVICON_SVG", "LIGHT", "SVG", b"<svg/>"),
            asset("PAGE_HEADER_LOGO", "DARK", "PNG", JPEG),  # dark only: not shown
            asset("FORM_LOGO", "LIGHT", "PNG", PNG),
        ],
    )
    page = _page(hosted, "login").text
    assert "style.css" not in page  # version 2: the classic CSS is not applied
    logo = httpx.get(f"{hosted.base_url}{_linked(page, 'logo')}", timeout=10)
    assert logo.content == PNG and logo.headers["content-type"] == "image/png"


# -- terms -----------------------------------------------------------------------------
def test_terms_lifecycle_and_errors(cognito: Any, hosted: HostedApp) -> None:
    common = {"UserPoolId": hosted.pool_id, "ClientId": hosted.client_id}
    made = cognito.create_terms(
        **common, TermsName="terms-of-use", TermsSource="LINK", Enforcement="NONE",
        Links={"cognito:default": "https://app.example/terms"},
    )["Terms"]  # fmt: skip
    terms_id = made["TermsId"]
    assert uuid.UUID(terms_id).version == 4
    assert made["ClientId"] == hosted.client_id and made["TermsName"] == "terms-of-use"
    assert made["Links"] == {"cognito:default": "https://app.example/terms"}

    with pytest.raises(ClientError) as exc:
        cognito.create_terms(
            **common, TermsName="terms-of-use", TermsSource="LINK", Enforcement="NONE",
            Links={"cognito:default": "https://app.example/other"},
        )  # fmt: skip
    assert _code(exc)[0] == "TermsExistsException"
    with pytest.raises(ClientError) as exc:
        cognito.create_terms(
            **common, TermsName="cookies", TermsSource="LINK", Enforcement="NONE",
            Links={"cognito:default": "https://app.example/c"},
        )  # fmt: skip
    assert _code(exc)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        cognito.create_terms(
            **common, TermsName="privacy-policy", TermsSource="LINK", Enforcement="NONE",
            Links={"cognito:klingon": "https://app.example/k"},
        )  # fmt: skip
    assert _code(exc)[0] == "InvalidParameterException"

    privacy = cognito.create_terms(
        **common, TermsName="privacy-policy", TermsSource="LINK", Enforcement="NONE",
        Links={"cognito:default": "https://app.example/privacy"},
    )["Terms"]  # fmt: skip
    described = cognito.describe_terms(UserPoolId=hosted.pool_id, TermsId=terms_id)["Terms"]
    assert described["Links"] == made["Links"]

    listed = cognito.list_terms(UserPoolId=hosted.pool_id, MaxResults=1)
    assert len(listed["Terms"]) == 1 and listed["NextToken"]
    rest = cognito.list_terms(UserPoolId=hosted.pool_id, NextToken=listed["NextToken"])
    ids = {t["TermsId"] for t in listed["Terms"] + rest["Terms"]}
    assert ids == {terms_id, privacy["TermsId"]} and "NextToken" not in rest
    assert set(listed["Terms"][0]) == {
        "TermsId", "TermsName", "Enforcement", "CreationDate", "LastModifiedDate"
    }  # fmt: skip

    with pytest.raises(ClientError) as exc:  # the name the other document has
        cognito.update_terms(
            UserPoolId=hosted.pool_id, TermsId=terms_id, TermsName="privacy-policy"
        )
    assert _code(exc)[0] == "TermsExistsException"
    updated = cognito.update_terms(
        UserPoolId=hosted.pool_id, TermsId=terms_id,
        Links={"cognito:default": "https://app.example/terms-v2"},
    )["Terms"]  # fmt: skip
    assert updated["Links"] == {"cognito:default": "https://app.example/terms-v2"}
    assert updated["TermsName"] == "terms-of-use"

    cognito.delete_terms(UserPoolId=hosted.pool_id, TermsId=terms_id)
    for call in (cognito.describe_terms, cognito.delete_terms):
        with pytest.raises(ClientError) as exc:
            call(UserPoolId=hosted.pool_id, TermsId=terms_id)
        assert _code(exc)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        cognito.list_terms(UserPoolId="us-east-1_Nope0000")
    assert _code(exc)[0] == "ResourceNotFoundException"


def test_describe_terms_by_client_finds_the_clients_document_by_name(
    cognito: Any, hosted: HostedApp
) -> None:
    common = {"UserPoolId": hosted.pool_id, "ClientId": hosted.client_id}
    with pytest.raises(ClientError) as exc:  # none yet
        cognito.describe_terms_by_client(**common, TermsName="privacy-policy")
    assert _code(exc) == ("ResourceNotFoundException", "Terms do not exist.")
    made = cognito.create_terms(
        **common, TermsName="privacy-policy", TermsSource="LINK", Enforcement="NONE",
        Links={"cognito:default": "https://app.example/privacy"},
    )["Terms"]  # fmt: skip
    found = cognito.describe_terms_by_client(**common, TermsName="privacy-policy")["Terms"]
    assert found["TermsId"] == made["TermsId"] and found["Links"] == made["Links"]
    with pytest.raises(ClientError) as exc:  # the other name is still missing
        cognito.describe_terms_by_client(**common, TermsName="terms-of-use")
    assert _code(exc)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        cognito.describe_terms_by_client(
            UserPoolId=hosted.pool_id, ClientId="nosuchclient1", TermsName="privacy-policy"
        )
    assert _code(exc) == (
        "ResourceNotFoundException", "User pool client nosuchclient1 does not exist."
    )  # fmt: skip
    with pytest.raises(ClientError) as exc:
        cognito.describe_terms_by_client(**common, TermsName="cookies")
    assert _code(exc)[0] == "InvalidParameterException"
