"""SAML's pure rules: safe parsing, the AuthnRequest's encoding, and the checks of a
Response once its signature is verified (time windows and skew, audience, recipient,
answer-to, issuer), without a server or a signature."""

from __future__ import annotations

import base64
import zlib
from typing import Any

import pytest

from recognito.domain import saml

NOW = 1_800_000_000.0
ACS = "https://sp.example/saml2/idpresponse"
AUDIENCE = "urn:amazon:cognito:sp:us-east-1_Abc"
ISSUER = "https://idp.example/entity"


def _instant(at: float) -> str:
    return saml._instant(at)


def response(
    *,
    not_before: float = NOW - 10,
    not_after: float = NOW + 300,
    in_response_to: str | None = "_req",
    audience: str = AUDIENCE,
    recipient: str = ACS,
    status: str = saml.SUCCESS,
    attributes: str = "",
) -> Any:
    answer = f' InResponseTo="{in_response_to}"' if in_response_to else ""
    document = (
        f'<samlp:Response xmlns:samlp="{saml.SAMLP}" xmlns:saml="{saml.SAML}" ID="_r" '
        f'Destination="{ACS}"{answer}><saml:Issuer>{ISSUER}</saml:Issuer>'
        f'<samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status>'
        f'<saml:Assertion ID="_a"><saml:Issuer>{ISSUER}</saml:Issuer>'
        f"<saml:Subject><saml:NameID> ada@corp </saml:NameID>"
        f'<saml:SubjectConfirmation Method="{saml.BEARER}"><saml:SubjectConfirmationData '
        f'Recipient="{recipient}" NotOnOrAfter="{_instant(not_after)}"{answer}/>'
        f"</saml:SubjectConfirmation></saml:Subject>"
        f'<saml:Conditions NotBefore="{_instant(not_before)}" '
        f'NotOnOrAfter="{_instant(not_after)}"><saml:AudienceRestriction>'
        f"<saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
        f"<saml:AttributeStatement>{attributes}</saml:AttributeStatement>"
        f"</saml:Assertion></samlp:Response>"
    )
    return saml.decoded_response(base64.b64encode(document.encode()).decode())


def check(root: Any, request_id: str | None = "_req", now: float = NOW) -> saml.Assertion:
    assertion = root.find("saml:Assertion", saml.NAMESPACES)
    return saml.checked_assertion(
        root, assertion, issuer=ISSUER, audience=AUDIENCE, acs=ACS, request_id=request_id, now=now
    )


def test_a_good_assertion_gives_its_name_id_and_attributes() -> None:
    values = (
        "<saml:AttributeValue>a</saml:AttributeValue><saml:AttributeValue>b</saml:AttributeValue>"
    )
    found = check(response(attributes=f'<saml:Attribute Name="groups">{values}</saml:Attribute>'))
    assert found.name_id == "ada@corp"
    assert found.attributes == {"groups": ["a", "b"]}
    assert found.assertion_id == "_a"
    assert found.expires_at == NOW + 300 + saml.SKEW


@pytest.mark.parametrize(
    ("now", "ok"),
    [
        (NOW - 10 - saml.SKEW, True),  # early, within the skew
        (NOW - 11 - saml.SKEW, False),
        (NOW + 299 + saml.SKEW, True),  # late, within the skew
        (NOW + 300 + saml.SKEW, False),
    ],
)
def test_the_time_window_allows_a_minute_of_skew(now: float, ok: bool) -> None:
    if ok:
        check(response(), now=now)
    else:
        with pytest.raises(saml.SamlError):
            check(response(), now=now)


@pytest.mark.parametrize(
    ("flaw", "reason"),
    [
        ({"audience": "urn:amazon:cognito:sp:other"}, "Audience"),
        ({"recipient": "https://elsewhere/saml2/idpresponse"}, "Recipient"),
        ({"in_response_to": "_other"}, "InResponseTo"),
        ({"in_response_to": None}, "InResponseTo"),  # unsolicited where a request was sent
        ({"status": "urn:oasis:names:tc:SAML:2.0:status:Requester"}, "status Requester"),
    ],
)
def test_flaws_are_named(flaw: dict[str, Any], reason: str) -> None:
    with pytest.raises(saml.SamlError, match=reason):
        check(response(**flaw))


def test_an_idp_initiated_response_must_answer_nothing() -> None:
    check(response(in_response_to=None), request_id=None)
    with pytest.raises(saml.SamlError, match="InResponseTo"):
        check(response(), request_id=None)


@pytest.mark.parametrize(
    "document",
    [
        b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>",
        b'<!DOCTYPE x SYSTEM "http://evil.example/x.dtd"><x/>',
        b"<x",
        b"",
    ],
)
def test_dtds_and_broken_xml_are_refused(document: bytes) -> None:
    with pytest.raises(saml.SamlError):
        saml.parse_xml(document)


def test_encrypted_assertions_are_refused_clearly() -> None:
    document = (
        f'<samlp:Response xmlns:samlp="{saml.SAMLP}" xmlns:saml="{saml.SAML}">'
        "<saml:EncryptedAssertion/></samlp:Response>"
    )
    with pytest.raises(saml.SamlError, match="encrypted assertions are not supported"):
        saml.decoded_response(base64.b64encode(document.encode()).decode())


def test_the_authn_request_is_deflated_for_the_redirect_binding() -> None:
    message = saml.authn_request("_id1", NOW, "https://idp.example/sso", ACS, "us-east-1_Abc")
    raw = zlib.decompress(base64.b64decode(saml.deflated(message)), -15).decode()
    root = saml.parse_xml(raw.encode())
    assert root.get("ID") == "_id1"
    assert root.get("AssertionConsumerServiceURL") == ACS
    assert root.findtext("saml:Issuer", namespaces=saml.NAMESPACES) == AUDIENCE
