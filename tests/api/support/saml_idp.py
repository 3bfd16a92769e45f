"""A SAML 2.0 identity provider for the federation tests: a real RSA key and certificate,
its metadata and an SSO endpoint served on loopback (HTTP-Redirect in, an auto-posting
HTML form of a signed Response out, as IdPs answer), and `response()` to build signed
Responses with any flaw a test wants (signxml and lxml, the libraries an IdP would use).
Its SLO endpoint checks a LogoutRequest's redirect signature against the certificate of
the SP it names (`trust_sp`) and answers an auto-posting form of a signed LogoutResponse;
`logout_response()` builds LogoutResponses with any flaw.
"""

from __future__ import annotations

import base64
import threading
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import methods
from signxml.signer import XMLSigner

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"


@dataclass(frozen=True)
class KeyPair:
    key_pem: bytes
    cert_pem: bytes

    @property
    def cert_b64(self) -> str:
        der = x509.load_pem_x509_certificate(self.cert_pem).public_bytes(serialization.Encoding.DER)
        return base64.b64encode(der).decode()


def new_key_pair(name: str = "test-idp") -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return KeyPair(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert.public_bytes(serialization.Encoding.PEM),
    )


def _instant(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class SamlUser:
    name_id: str
    attributes: dict[str, list[str]] = field(default_factory=dict)
    session_index: str = field(default_factory=lambda: f"_s{uuid.uuid4().hex}")


class SamlIdp:
    """The IdP: `url` serves /metadata and /sso; `user` is who signs in at /sso next."""

    def __init__(self) -> None:
        self.keys = new_key_pair()
        self.user = SamlUser("nobody")
        self.requests: list[dict[str, str]] = []  # each /sso query, AuthnRequest decoded
        # each /slo query, the LogoutRequest's ID, Issuer, NameID, SessionIndex added, and
        # whether its signature verified with the SP's certificate ("valid": "yes"/"no")
        self.logouts: list[dict[str, str]] = []
        self._sps: dict[str, tuple[str, str]] = {}  # SP entity id -> (certificate, SLO URL)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self.entity_id = f"{self.url}/entity"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def metadata(self, *, signing: KeyPair | None = None, sso: bool = True) -> str:
        cert = (signing or self.keys).cert_b64
        return idp_metadata(self.entity_id, self.url, cert, sso=sso)

    def response(
        self,
        *,
        acs: str,
        audience: str,
        in_response_to: str | None = None,
        user: SamlUser | None = None,
        sign: str = "assertion",  # assertion | response | none
        keys: KeyPair | None = None,
        issuer: str | None = None,
        lifetime: timedelta = timedelta(minutes=5),
        issued: datetime | None = None,
        assertion_id: str | None = None,
        recipient: str | None = None,
        session_index: str | None = None,
    ) -> str:
        """A base64 SAMLResponse, as an IdP posts it."""
        user = user or self.user
        keys = keys or self.keys
        issued = issued or datetime.now(UTC)
        until = _instant(issued + lifetime)
        answer_to = f' InResponseTo="{in_response_to}"' if in_response_to else ""
        assertion_id = assertion_id or f"_a{uuid.uuid4().hex}"
        attributes = "".join(
            f'<saml:Attribute Name="{escape(name)}">'
            + "".join(f"<saml:AttributeValue>{escape(v)}</saml:AttributeValue>" for v in values)
            + "</saml:Attribute>"
            for name, values in user.attributes.items()
        )
        assertion = (
            f'<saml:Assertion xmlns:saml="{SAML}" ID="{assertion_id}" Version="2.0" '
            f'IssueInstant="{_instant(issued)}">'
            f"<saml:Issuer>{escape(issuer or self.entity_id)}</saml:Issuer>"
            f"<saml:Subject><saml:NameID>{escape(user.name_id)}</saml:NameID>"
            f'<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData NotOnOrAfter="{until}" '
            f'Recipient="{escape(recipient or acs)}"{answer_to}/>'
            f"</saml:SubjectConfirmation></saml:Subject>"
            f'<saml:Conditions NotBefore="{_instant(issued - timedelta(seconds=5))}" '
            f'NotOnOrAfter="{until}"><saml:AudienceRestriction>'
            f"<saml:Audience>{escape(audience)}</saml:Audience>"
            f"</saml:AudienceRestriction></saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{_instant(issued)}" '
            f'SessionIndex="{escape(session_index or user.session_index)}"/>'
            f"<saml:AttributeStatement>{attributes}</saml:AttributeStatement>"
            f"</saml:Assertion>"
        )
        element = etree.fromstring(assertion.encode())
        if sign == "assertion":
            element = self._sign(element, keys)
        response = etree.fromstring(
            (
                f'<samlp:Response xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" '
                f'ID="_r{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(issued)}" '
                f'Destination="{escape(acs)}"{answer_to}>'
                f"<saml:Issuer>{escape(issuer or self.entity_id)}</saml:Issuer>"
                f"<samlp:Status><samlp:StatusCode "
                f'Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
                f"</samlp:Response>"
            ).encode()
        )
        response.append(element)
        if sign == "response":
            response = self._sign(response, keys)
        return base64.b64encode(etree.tostring(response)).decode()

    def trust_sp(self, entity_id: str, certificate: str, logout_url: str) -> None:
        """An SP whose LogoutRequests /slo accepts: its signing certificate (base64 DER)
        and where its LogoutResponses go."""
        self._sps[entity_id] = (certificate, logout_url)

    def logout_response(
        self,
        *,
        destination: str,
        in_response_to: str | None,
        sign: bool = True,
        keys: KeyPair | None = None,
        issuer: str | None = None,
        status: str = "Success",
    ) -> str:
        """A base64 LogoutResponse, as an IdP posts it (HTTP-POST binding: signed XML)."""
        answer_to = f' InResponseTo="{escape(in_response_to)}"' if in_response_to else ""
        response = etree.fromstring(
            (
                f'<samlp:LogoutResponse xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" '
                f'ID="_l{uuid.uuid4().hex}" Version="2.0" '
                f'IssueInstant="{_instant(datetime.now(UTC))}" '
                f'Destination="{escape(destination)}"{answer_to}>'
                f"<saml:Issuer>{escape(issuer or self.entity_id)}</saml:Issuer>"
                f"<samlp:Status><samlp:StatusCode "
                f'Value="urn:oasis:names:tc:SAML:2.0:status:{status}"/></samlp:Status>'
                f"</samlp:LogoutResponse>"
            ).encode()
        )
        if sign:
            response = self._sign(response, keys or self.keys)
        return base64.b64encode(etree.tostring(response)).decode()

    def _sign(self, element: Any, keys: KeyPair) -> Any:
        signer = XMLSigner(
            method=methods.enveloped,
            signature_algorithm="rsa-sha256",
            digest_algorithm="sha256",
            c14n_algorithm=EXC_C14N,
        )
        return signer.sign(
            element, key=keys.key_pem, cert=keys.cert_pem.decode(), reference_uri=element.get("ID")
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path == "/metadata":
                    self._send(idp.metadata().encode(), "application/samlmetadata+xml")
                elif parts.path == "/sso":
                    self._send(idp.sign_in(parts.query).encode(), "text/html")
                elif parts.path == "/slo":
                    page = idp.sign_out(parts.query)
                    if page is None:
                        self.send_error(400)
                    else:
                        self._send(page.encode(), "text/html")
                else:
                    self.send_error(404)

            def _send(self, body: bytes, media_type: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def sign_in(self, query: str) -> str:
        """/sso: the AuthnRequest read, the current user signed in, the form that posts
        the signed Response to the ACS URL the request names."""
        fields = {k: v[0] for k, v in parse_qs(query).items()}
        request = authn_request_of(fields["SAMLRequest"])
        fields["ID"] = request.get("ID", "")
        fields["AssertionConsumerServiceURL"] = request.get("AssertionConsumerServiceURL", "")
        fields["Issuer"] = request.findtext(f"{{{SAML}}}Issuer") or ""
        self.requests.append(fields)
        acs = fields["AssertionConsumerServiceURL"]
        value = self.response(acs=acs, audience=fields["Issuer"], in_response_to=fields["ID"])
        relay = escape(fields.get("RelayState", ""))
        return (
            "<!doctype html><title>IdP</title>"
            f'<body onload="document.forms[0].submit()"><form method="post" action="{escape(acs)}">'
            f'<input type="hidden" name="SAMLResponse" value="{value}">'
            f'<input type="hidden" name="RelayState" value="{relay}">'
            "<noscript><button>Continue</button></noscript></form></body>"
        )

    def sign_out(self, query: str) -> str | None:
        """/slo: the LogoutRequest read and its signature checked against the SP it names;
        the form that posts a signed LogoutResponse to that SP (None: refused)."""
        fields = {k: v[0] for k, v in parse_qs(query).items()}
        request = authn_request_of(fields["SAMLRequest"])
        fields["ID"] = request.get("ID", "")
        fields["Destination"] = request.get("Destination", "")
        fields["Issuer"] = request.findtext(f"{{{SAML}}}Issuer") or ""
        fields["NameID"] = request.findtext(f"{{{SAML}}}NameID") or ""
        fields["SessionIndex"] = request.findtext(f"{{{SAMLP}}}SessionIndex") or ""
        trusted = self._sps.get(fields["Issuer"])
        valid = trusted is not None and "Signature" in fields
        valid = valid and redirect_signature_valid(query, trusted[0] if trusted else "")
        fields["valid"] = "yes" if valid else "no"
        self.logouts.append(fields)
        if not valid or trusted is None:
            return None
        target = trusted[1]
        value = self.logout_response(destination=target, in_response_to=fields["ID"])
        return (
            "<!doctype html><title>IdP</title>"
            f'<body onload="document.forms[0].submit()">'
            f'<form method="post" action="{escape(target)}">'
            f'<input type="hidden" name="SAMLResponse" value="{value}">'
            "<noscript><button>Continue</button></noscript></form></body>"
        )


def idp_metadata(entity_id: str, url: str, cert_b64: str, *, sso: bool = True) -> str:
    """An IdP's metadata: entity id, signing certificate, SSO and SLO under `url`."""
    service = f'<md:SingleSignOnService Binding="{REDIRECT}" Location="{url}/sso"/>' if sso else ""
    return (
        f'<md:EntityDescriptor xmlns:md="{MD}" entityID="{entity_id}">'
        '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<md:KeyDescriptor use="signing">'
        '<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
        f"<ds:X509Data><ds:X509Certificate>{cert_b64}</ds:X509Certificate></ds:X509Data>"
        "</ds:KeyInfo></md:KeyDescriptor>"
        f'<md:SingleLogoutService Binding="{REDIRECT}" Location="{url}/slo"/>'
        f"{service}</md:IDPSSODescriptor></md:EntityDescriptor>"
    )


def authn_request_of(value: str) -> Any:
    """The AuthnRequest of an HTTP-Redirect SAMLRequest (base64 of raw DEFLATE)."""
    return etree.fromstring(zlib.decompress(base64.b64decode(value), -15))


def redirect_signature_valid(query: str, cert_b64: str) -> bool:
    """Whether a signed HTTP-Redirect query's Signature verifies with the certificate."""
    pairs = dict(p.split("=", 1) for p in query.split("&"))
    names = ("SAMLRequest", "RelayState", "SigAlg")
    signed = "&".join(f"{k}={pairs[k]}" for k in names if k in pairs)
    signature = base64.b64decode(parse_qs(f"s={pairs['Signature']}")["s"][0])
    cert = x509.load_der_x509_certificate(base64.b64decode(cert_b64))
    public = cert.public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    try:
        public.verify(signature, signed.encode(), padding.PKCS1v15(), hashes.SHA256())
    except Exception:
        return False
    return True
