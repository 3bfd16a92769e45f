"""SAML 2.0 as a Cognito user pool speaks it (cognito-oauth.md §12.4): the IdP's metadata,
the AuthnRequest the pool sends (HTTP-Redirect binding), and the checks of a Response
that arrives at /saml2/idpresponse once its signature is verified (crypto/saml.py); for
single logout, the LogoutRequest the pool sends and the checks of the LogoutResponse that
comes back to /saml2/logout.

No I/O here: documents arrive as bytes, the time as epoch seconds. XML is parsed with
entities never resolved, no network, no DTD (a document with a DOCTYPE is refused), so a
hostile document can neither expand nor reach anything.
"""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from cryptography import x509
from lxml import etree

from recognito import errors

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
DS = "http://www.w3.org/2000/09/xmldsig#"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
NAMESPACES = {"md": MD, "saml": SAML, "samlp": SAMLP, "ds": DS}
MAX_RESPONSE = 100_000  # characters of a posted SAMLResponse (Cognito's limit)
MAX_CERTIFICATE = 4096  # characters of each signing certificate in metadata
SKEW = 60  # seconds of clock difference allowed either way
ACS_PATH = "/saml2/idpresponse"
LOGOUT_PATH = "/saml2/logout"


class SamlError(Exception):
    """A SAML message is not acceptable: `reason` says why (it reaches the app)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sp_entity_id(pool_id: str) -> str:
    return f"urn:amazon:cognito:sp:{pool_id}"


def parse_xml(document: bytes) -> Any:
    """The document's root element, parsed safely; SamlError when not well-formed XML
    or when it declares a DTD."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )
    try:
        tree = etree.fromstring(document, parser)
    except (etree.XMLSyntaxError, ValueError):
        raise SamlError("not well-formed XML") from None
    if tree is None:
        raise SamlError("not well-formed XML")
    if tree.getroottree().docinfo.doctype:
        raise SamlError("a DOCTYPE is not allowed")
    return tree


# ---- the IdP's metadata -----------------------------------------------------------------


@dataclass(frozen=True)
class IdpMetadata:
    entity_id: str
    sso_redirect: str  # SingleSignOnService, HTTP-Redirect binding
    slo_redirect: str | None  # SingleLogoutService, HTTP-Redirect binding
    signing_certificates: tuple[str, ...]  # base64 DER, as the metadata holds them


def idp_metadata(document: str, now: float | None = None) -> IdpMetadata:
    """What a pool needs of an IdP's metadata; InvalidParameterException otherwise (texts
    Cognito is seen to answer with where known). `now`: refuse expired signing
    certificates (at create and update, as Cognito does)."""
    try:
        root = parse_xml(document.encode())
    except SamlError:
        raise errors.InvalidParameterException("Unable to unmarshall metadata") from None
    if root.tag == f"{{{MD}}}EntitiesDescriptor":
        root = root.find("md:EntityDescriptor", NAMESPACES)
    if root is None or root.tag != f"{{{MD}}}EntityDescriptor":
        raise errors.InvalidParameterException("Unable to unmarshall metadata")
    entity_id = root.get("entityID") or ""
    idp = root.find("md:IDPSSODescriptor", NAMESPACES)
    if not entity_id or idp is None:
        raise errors.InvalidParameterException("No IDPSSODescriptor found in metadata.")
    sso = _location(idp, "SingleSignOnService")
    if sso is None:
        raise errors.InvalidParameterException(
            "No SingleSignOn Http redirect binding location found in metadata."
        )
    certificates: list[str] = []
    for descriptor in idp.findall("md:KeyDescriptor", NAMESPACES):
        if descriptor.get("use") not in (None, "signing"):
            continue
        for node in descriptor.findall(".//ds:X509Certificate", NAMESPACES):
            text = "".join((node.text or "").split())
            certificates.append(_checked_certificate(text, now))
    if not certificates:
        raise errors.InvalidParameterException("No signing certificate found in metadata.")
    return IdpMetadata(
        entity_id=entity_id,
        sso_redirect=sso,
        slo_redirect=_location(idp, "SingleLogoutService"),
        signing_certificates=tuple(dict.fromkeys(certificates)),
    )


def _location(idp: Any, service: str) -> str | None:
    for node in idp.findall(f"md:{service}", NAMESPACES):
        if node.get("Binding") == REDIRECT and node.get("Location"):
            return str(node.get("Location"))
    return None


def _checked_certificate(text: str, now: float | None) -> str:
    if len(text) > MAX_CERTIFICATE:
        raise errors.InvalidParameterException(
            f"Signing certificate is longer than {MAX_CERTIFICATE} characters."
        )
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(text, validate=True))
    except ValueError:
        raise errors.InvalidParameterException("Invalid signing certificate in metadata.") from None
    if now is not None and certificate.not_valid_after_utc.timestamp() < now:
        raise errors.InvalidParameterException("Signing certificate in metadata has expired.")
    return text


def pem(certificate: str) -> str:
    """A metadata certificate (base64 DER) as PEM."""
    lines = [certificate[i : i + 64] for i in range(0, len(certificate), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


# ---- what the pool sends --------------------------------------------------------------


def _instant(at: float) -> str:
    return datetime.fromtimestamp(int(at), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def authn_request(request_id: str, now: float, destination: str, acs: str, pool_id: str) -> str:
    """An AuthnRequest for the IdP's SSO URL, answered by POST to `acs`."""
    return (
        f'<samlp:AuthnRequest xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" '
        f'ID={quoteattr(request_id)} Version="2.0" IssueInstant="{_instant(now)}" '
        f"Destination={quoteattr(destination)} AssertionConsumerServiceURL={quoteattr(acs)} "
        f'ProtocolBinding="{POST}">'
        f"<saml:Issuer>{escape(sp_entity_id(pool_id))}</saml:Issuer>"
        '<samlp:NameIDPolicy AllowCreate="true" '
        'Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"/>'
        "</samlp:AuthnRequest>"
    )


def logout_request(
    request_id: str,
    now: float,
    destination: str,
    pool_id: str,
    name_id: str,
    name_id_format: str | None,
    session_index: str | None,
) -> str:
    """A LogoutRequest for the IdP's SLO URL: the NameID and SessionIndex of the sign-in."""
    fmt = f" Format={quoteattr(name_id_format)}" if name_id_format else ""
    index = (
        f"<samlp:SessionIndex>{escape(session_index)}</samlp:SessionIndex>" if session_index else ""
    )
    return (
        f'<samlp:LogoutRequest xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" '
        f'ID={quoteattr(request_id)} Version="2.0" IssueInstant="{_instant(now)}" '
        f"Destination={quoteattr(destination)}>"
        f"<saml:Issuer>{escape(sp_entity_id(pool_id))}</saml:Issuer>"
        f"<saml:NameID{fmt}>{escape(name_id)}</saml:NameID>{index}"
        "</samlp:LogoutRequest>"
    )


def deflated(message: str) -> str:
    """A message as the HTTP-Redirect binding carries it: raw DEFLATE, then base64."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = compressor.compress(message.encode()) + compressor.flush()
    return base64.b64encode(raw).decode()


def sp_metadata(pool_id: str, acs: str, logout: str, signing_certificate: str) -> str:
    """The pool's SP metadata: entity id, ACS and SLO (both HTTP-POST) and its signing
    certificate."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<md:EntityDescriptor xmlns:md="{MD}" xmlns:ds="{DS}" '
        f"entityID={quoteattr(sp_entity_id(pool_id))}>"
        f'<md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" '
        f'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f'<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>'
        f"{signing_certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
        f"</md:KeyDescriptor>"
        f'<md:SingleLogoutService Binding="{POST}" Location={quoteattr(logout)}/>'
        f'<md:AssertionConsumerService Binding="{POST}" Location={quoteattr(acs)} index="1"/>'
        f"</md:SPSSODescriptor></md:EntityDescriptor>\n"
    )


# ---- what the IdP answers -------------------------------------------------------------


def _posted(value: str) -> Any:
    """A posted SAMLResponse (base64 of the XML), parsed."""
    if not value or len(value) > MAX_RESPONSE:
        raise SamlError("SAMLResponse is missing or too long")
    try:
        document = base64.b64decode(value, validate=False)
    except ValueError:
        raise SamlError("SAMLResponse is not base64") from None
    return parse_xml(document)


def decoded_logout_response(value: str) -> Any:
    """The LogoutResponse posted to /saml2/logout, parsed."""
    root = _posted(value)
    if root.tag != f"{{{SAMLP}}}LogoutResponse":
        raise SamlError("not a SAML LogoutResponse")
    return root


def checked_logout_response(
    response: Any, *, issuer: str, destination: str, request_id: str
) -> None:
    """A LogoutResponse (as its signature covers it) that answers `request_id` with
    Success, from the IdP, for this domain's /saml2/logout; SamlError otherwise."""
    if in_response_to(response) != request_id:
        raise SamlError("InResponseTo does not match the request")
    given = response.get("Destination")
    if given is not None and given != destination:
        raise SamlError("Destination is not this pool's logout URL")
    response_issuer = _text(response, "saml:Issuer")
    if response_issuer is not None and response_issuer != issuer:
        raise SamlError("Issuer is not the identity provider's entity id")
    status = response.find("samlp:Status/samlp:StatusCode", NAMESPACES)
    if status is None or status.get("Value") != SUCCESS:
        code = status.get("Value", "") if status is not None else "none"
        raise SamlError(f"the IdP answered with status {code.rsplit(':', 1)[-1]}")


def decoded_response(value: str) -> Any:
    """The posted SAMLResponse (base64 of the Response XML), parsed."""
    root = _posted(value)
    if root.tag != f"{{{SAMLP}}}Response":
        raise SamlError("not a SAML Response")
    if root.find("saml:EncryptedAssertion", NAMESPACES) is not None:
        raise SamlError("encrypted assertions are not supported")
    return root


def in_response_to(response: Any) -> str | None:
    """The request the Response answers (None: unsolicited, IdP-initiated)."""
    value = response.get("InResponseTo")
    return str(value) if value else None


@dataclass(frozen=True)
class Assertion:
    """What a verified assertion says about the user."""

    issuer: str
    assertion_id: str
    name_id: str
    attributes: dict[str, list[str]]
    expires_at: float  # no later use of this assertion id is possible after this
    # what a LogoutRequest names the sign-in by: NameID's Format, the first
    # AuthnStatement's SessionIndex
    name_id_format: str | None = None
    session_index: str | None = None


def checked_assertion(
    response: Any,
    assertion: Any,
    *,
    issuer: str,
    audience: str,
    acs: str,
    request_id: str | None,
    now: float,
) -> Assertion:
    """The assertion's statements once the Response's status, destination and answer-to,
    and the assertion's issuer, audience, recipient and time window are right.
    `response` and `assertion` are elements the signature covers."""
    status = response.find("samlp:Status/samlp:StatusCode", NAMESPACES)
    if status is None or status.get("Value") != SUCCESS:
        code = status.get("Value", "") if status is not None else "none"
        raise SamlError(f"the IdP answered with status {code.rsplit(':', 1)[-1]}")
    destination = response.get("Destination")
    if destination is not None and destination != acs:
        raise SamlError("Destination is not this pool's ACS URL")
    if in_response_to(response) != request_id:
        raise SamlError("InResponseTo does not match the request")
    response_issuer = _text(response, "saml:Issuer")
    if response_issuer is not None and response_issuer != issuer:
        raise SamlError("Issuer is not the identity provider's entity id")
    if _text(assertion, "saml:Issuer") != issuer:
        raise SamlError("Issuer is not the identity provider's entity id")
    assertion_id = assertion.get("ID") or ""
    if not assertion_id:
        raise SamlError("the assertion has no ID")
    conditions = assertion.find("saml:Conditions", NAMESPACES)
    expires = now + 300
    if conditions is not None:
        _window(conditions, now)
        expires = _time(conditions.get("NotOnOrAfter")) or expires
        audiences = [
            (a.text or "").strip()
            for a in conditions.findall("saml:AudienceRestriction/saml:Audience", NAMESPACES)
        ]
        if audience not in audiences:
            raise SamlError("Audience is not this pool's entity id")
    else:
        raise SamlError("Audience is not this pool's entity id")
    expires = max(expires, _bearer(assertion, acs, request_id, now))
    name_id = _text(assertion, "saml:Subject/saml:NameID")
    if not name_id:
        raise SamlError("the assertion has no NameID")
    attributes: dict[str, list[str]] = {}
    for attribute in assertion.findall("saml:AttributeStatement/saml:Attribute", NAMESPACES):
        name = attribute.get("Name")
        if name:
            values = attribute.findall("saml:AttributeValue", NAMESPACES)
            attributes.setdefault(name, []).extend("".join(v.itertext()) for v in values)
    name_node = assertion.find("saml:Subject/saml:NameID", NAMESPACES)
    statement = assertion.find("saml:AuthnStatement", NAMESPACES)
    return Assertion(
        issuer,
        assertion_id,
        name_id,
        attributes,
        expires + SKEW,
        name_id_format=name_node.get("Format") if name_node is not None else None,
        session_index=statement.get("SessionIndex") if statement is not None else None,
    )


def _bearer(assertion: Any, acs: str, request_id: str | None, now: float) -> float:
    """A bearer SubjectConfirmation for this ACS, in time, answering this request; its
    NotOnOrAfter."""
    for confirmation in assertion.findall("saml:Subject/saml:SubjectConfirmation", NAMESPACES):
        if confirmation.get("Method") != BEARER:
            continue
        data = confirmation.find("saml:SubjectConfirmationData", NAMESPACES)
        if data is None:
            continue
        if data.get("Recipient") != acs:
            raise SamlError("Recipient is not this pool's ACS URL")
        if data.get("InResponseTo") not in (None, request_id) or (
            request_id is not None and data.get("InResponseTo") is None
        ):
            raise SamlError("InResponseTo does not match the request")
        _window(data, now)
        until = _time(data.get("NotOnOrAfter"))
        if until is None:
            raise SamlError("the subject confirmation has no NotOnOrAfter")
        return until
    raise SamlError("the assertion has no bearer subject confirmation")


def _window(node: Any, now: float) -> None:
    before, after = _time(node.get("NotBefore")), _time(node.get("NotOnOrAfter"))
    if before is not None and now + SKEW < before:
        raise SamlError("the assertion is not valid yet")
    if after is not None and now - SKEW >= after:
        raise SamlError("the assertion has expired")


def _time(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SamlError(f"not a time: {value[:40]}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def _text(node: Any, path: str) -> str | None:
    found = node.find(path, NAMESPACES)
    if found is None:
        return None
    return (found.text or "").strip()
