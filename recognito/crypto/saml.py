"""SAML signatures: the pool's own signing certificate (GetSigningCertificate, signed
AuthnRequests), the HTTP-Redirect binding's query signature, and the XML signature of a
Response or of its Assertion (signxml), checked against the IdP's certificates."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from signxml.exceptions import InvalidInput, SignXMLException
from signxml.verifier import SignatureConfiguration, XMLVerifier

from recognito.crypto.certificates import issued_by_itself, private_pem
from recognito.domain.saml import pem

VALIDITY = timedelta(days=3650)  # Cognito's SAML signing certificate lasts ten years
_ASSERTION = "{urn:oasis:names:tc:SAML:2.0:assertion}Assertion"
_RESPONSE = "{urn:oasis:names:tc:SAML:2.0:protocol}Response"
_LOGOUT_RESPONSE = "{urn:oasis:names:tc:SAML:2.0:protocol}LogoutResponse"
_SIGNATURE = "{http://www.w3.org/2000/09/xmldsig#}Signature"


@dataclass(frozen=True)
class SigningCertificate:
    certificate: str  # base64 DER, what GetSigningCertificate answers
    key_pem: bytes


def new_signing_certificate(pool_id: str, now: float) -> SigningCertificate:
    """An RSA-2048 self-signed certificate for the pool's SAML requests."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = issued_by_itself(key, pool_id[:64], datetime.fromtimestamp(now, UTC), VALIDITY)
    der = cert.public_bytes(serialization.Encoding.DER)
    return SigningCertificate(base64.b64encode(der).decode(), private_pem(key))


def redirect_signature(signed_part: str, key_pem: bytes) -> str:
    """The HTTP-Redirect binding's Signature: RSA-SHA256 over
    `SAMLRequest=…&RelayState=…&SigAlg=…` as sent (URL-encoded)."""
    key = serialization.load_pem_private_key(key_pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    raw = key.sign(signed_part.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(raw).decode()


class BadSignature(Exception):
    """No certificate of the IdP verifies the message."""


def verified(response: Any, certificates: list[str]) -> tuple[Any, Any]:
    """(the Response, its Assertion) as the signature covers them: the whole Response
    signed, or its one Assertion. Only what a signature covers is returned, so nothing
    wrapped around it can be read (XML signature wrapping)."""
    signed_response = response.find(_SIGNATURE) is not None
    assertions = response.findall(_ASSERTION)
    if len(assertions) != 1:
        raise BadSignature("a SAML Response must hold exactly one Assertion")
    if signed_response:
        element = _verify(response, "./", certificates)
        if element.tag != _RESPONSE or element.get("ID") != response.get("ID"):
            raise BadSignature("the signature does not cover the Response")
        inner = element.findall(_ASSERTION)
        if len(inner) != 1:
            raise BadSignature("a SAML Response must hold exactly one Assertion")
        return element, inner[0]
    if assertions[0].find(_SIGNATURE) is None:
        raise BadSignature("neither the Response nor the Assertion is signed")
    element = _verify(response, f"./{_ASSERTION}/", certificates)
    # the signature sits in the Response's one Assertion and must cover that one (a
    # signed assertion hidden elsewhere is signature wrapping)
    if element.tag != _ASSERTION or element.get("ID") != assertions[0].get("ID"):
        raise BadSignature("the signature does not cover the Assertion")
    return response, element


def verified_logout_response(response: Any, certificates: list[str]) -> Any:
    """A posted LogoutResponse as its own enveloped signature covers it (the HTTP-POST
    binding signs the message itself)."""
    if response.find(_SIGNATURE) is None:
        raise BadSignature("the LogoutResponse is not signed")
    try:
        element = _verify(response, "./", certificates)
    except BadSignature:
        raise BadSignature("the LogoutResponse signature is invalid") from None
    if element.tag != _LOGOUT_RESPONSE or element.get("ID") != response.get("ID"):
        raise BadSignature("the signature does not cover the LogoutResponse")
    return element


def _verify(root: Any, location: str, certificates: list[str]) -> Any:
    config = SignatureConfiguration(location=location, expect_references=1)
    for certificate in certificates:
        try:
            result = XMLVerifier().verify(root, x509_cert=pem(certificate), expect_config=config)
        except (SignXMLException, InvalidInput, ValueError):
            continue
        signed = result[0] if isinstance(result, list) else result
        return signed.signed_xml
    raise BadSignature("SAML Assertion signature is invalid.")
