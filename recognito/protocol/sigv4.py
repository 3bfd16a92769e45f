"""AWS Signature Version 4, verified: the header form and the presigned (query) form.

    Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/cognito-idp/aws4_request,
                   SignedHeaders=host;x-amz-date;x-amz-target, Signature=<64 hex>

or the same in X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
X-Amz-SignedHeaders and X-Amz-Signature query parameters. Pure functions of the request's
parts, the body and the time: the dispatcher reads the headers first (`parse`, `check`),
the body after, then `verify` recomputes the signature with the key's secret and compares
it in constant time. Failures raise what AWS answers, with its wording.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote, unquote

from recognito import errors
from recognito.protocol.region import REGION

ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "cognito-idp"
TERMINATOR = "aws4_request"
SKEW = 300  # seconds a signature's time may be off the server's, either way (AWS: 5 min.)
MAX_EXPIRES = 604_800  # a presigned URL lives at most a week
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
TIMESTAMP = "%Y%m%dT%H%M%SZ"
# Headers that must be signed: the Host (AWS requires it) and the operation, so a
# signature cannot be replayed for another action (a presigned body is not signed).
REQUIRED_HEADERS = ("host", "x-amz-target")

Headers = list[tuple[bytes, bytes]]  # as ASGI gives them: lower-case names, in order


@dataclass(frozen=True)
class Signed:
    """What a request's signature claims, read from its headers or query."""

    access_key_id: str
    scope_date: str  # YYYYMMDD
    region: str
    service: str
    terminator: str
    signed_headers: tuple[str, ...]
    signature: str
    timestamp: str  # YYYYMMDDTHHMMSSZ, what the string to sign names
    when: float  # the timestamp as epoch seconds
    expires: int | None  # presigned: seconds the URL is valid for
    security_token: str | None

    @property
    def scope(self) -> str:
        return f"{self.scope_date}/{self.region}/{self.service}/{self.terminator}"


def _header(headers: Headers, name: bytes) -> str | None:
    values = [v.decode("latin-1") for k, v in headers if k == name]
    return ",".join(values) if values else None


def _query_pairs(query_string: bytes) -> list[tuple[str, str]]:
    """The query's name/value pairs, percent-decoded ('+' is a plus, as SigV4 has it)."""
    pairs = []
    for part in query_string.decode("latin-1").split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((unquote(name), unquote(value)))
    return pairs


def is_presigned(query_string: bytes) -> bool:
    return any(name == "X-Amz-Algorithm" for name, _ in _query_pairs(query_string))


def parse(headers: Headers, query_string: bytes) -> Signed:
    """The signature a request carries. MissingAuthenticationTokenException when it carries
    none, IncompleteSignatureException when what it carries is malformed."""
    authorization = _header(headers, b"authorization")
    presigned = is_presigned(query_string)
    if authorization is not None and presigned:
        raise errors.IncompleteSignatureException(
            "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP "
            "header."
        )
    if presigned:
        return _from_query(dict(_query_pairs(query_string)))
    if authorization is None:
        raise errors.MissingAuthenticationTokenException("Missing Authentication Token")
    return _from_header(authorization, headers)


def _from_header(authorization: str, headers: Headers) -> Signed:
    algorithm, _, rest = authorization.strip().partition(" ")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        name, eq, value = part.strip().partition("=")
        if eq:
            fields[name] = value
    amz_date = _header(headers, b"x-amz-date")
    http_date = _header(headers, b"date")
    missing = [
        f"Authorization header requires '{name}' parameter."
        for name in ("Credential", "Signature", "SignedHeaders")
        if not fields.get(name)
    ]
    if amz_date is None and http_date is None:
        missing.append(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        )
    if algorithm != ALGORITHM or missing:
        reasons = missing or [f"Unsupported AWS 'algorithm': '{algorithm}'."]
        raise errors.IncompleteSignatureException(
            " ".join(reasons) + f" Authorization={authorization[:256]}"
        )
    timestamp, when = _parse_time(amz_date, http_date)
    return _signed(
        fields["Credential"],
        fields["SignedHeaders"],
        fields["Signature"],
        timestamp,
        when,
        None,
        _header(headers, b"x-amz-security-token"),
    )


def _from_query(params: dict[str, str]) -> Signed:
    names = ("X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date")
    missing = [f"AWS query-string parameters must include '{name}'." for name in names]
    missing = [m for m, name in zip(missing, names, strict=True) if not params.get(name)]
    if params.get("X-Amz-Algorithm") != ALGORITHM:
        missing.insert(0, f"Unsupported AWS 'algorithm': '{params.get('X-Amz-Algorithm')}'.")
    raw_expires = params.get("X-Amz-Expires", "")
    if not raw_expires.isdigit():
        missing.append("X-Amz-Expires must be a whole number of seconds.")
    elif int(raw_expires) > MAX_EXPIRES:
        missing.append(
            f"X-Amz-Expires must be less than a week (in seconds) that is {MAX_EXPIRES}."
        )
    if missing:
        raise errors.IncompleteSignatureException(" ".join(missing))
    timestamp, when = _parse_time(params["X-Amz-Date"], None)
    return _signed(
        params["X-Amz-Credential"],
        params["X-Amz-SignedHeaders"],
        params["X-Amz-Signature"],
        timestamp,
        when,
        int(raw_expires),
        params.get("X-Amz-Security-Token"),
    )


def _parse_time(amz_date: str | None, http_date: str | None) -> tuple[str, float]:
    """The request's time as the string to sign names it, and as epoch seconds.
    X-Amz-Date (ISO 8601 basic) wins over Date (RFC 7231)."""
    try:
        if amz_date is not None:
            moment = datetime.strptime(amz_date.strip(), TIMESTAMP).replace(tzinfo=UTC)
        else:
            moment = parsedate_to_datetime(http_date or "").astimezone(UTC)
    except (ValueError, TypeError):
        shown = (amz_date if amz_date is not None else http_date or "")[:64]
        raise errors.IncompleteSignatureException(
            f"Date must be in ISO-8601 'basic format'. Got '{shown}'. See "
            "http://en.wikipedia.org/wiki/ISO_8601"
        ) from None
    return moment.strftime(TIMESTAMP), moment.timestamp()


def _signed(
    credential: str,
    signed_headers: str,
    signature: str,
    timestamp: str,
    when: float,
    expires: int | None,
    security_token: str | None,
) -> Signed:
    parts = credential.split("/")
    if len(parts) != 5 or not parts[0]:
        raise errors.IncompleteSignatureException(
            f"Credential must have exactly 5 slash-delimited elements, e.g. "
            f"keyid/date/region/service/term, got '{credential[:256]}'"
        )
    key_id, scope_date, region, service, terminator = parts
    headers = tuple(signed_headers.split(";"))
    return Signed(
        key_id,
        scope_date,
        region,
        service,
        terminator,
        headers,
        signature,
        timestamp,
        when,
        expires,
        security_token,
    )


def check(signed: Signed, now: float) -> None:
    """What can be judged before the body is read: the scope and the time."""
    if signed.scope_date != signed.timestamp[:8]:
        raise errors.InvalidSignatureException(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: '{signed.scope_date}' != '{signed.timestamp[:8]}', from "
            f"'{signed.timestamp}'."
        )
    if signed.terminator != TERMINATOR:
        raise errors.InvalidSignatureException(
            f"Credential should be scoped with a valid terminator: '{TERMINATOR}', not "
            f"'{signed.terminator}'. "
        )
    if signed.service != SERVICE:
        raise errors.InvalidSignatureException(
            f"Credential should be scoped to correct service: '{SERVICE}'. "
        )
    if not REGION.fullmatch(signed.region):
        raise errors.InvalidSignatureException(
            f"Credential should be scoped to a valid region, not '{signed.region[:64]}'. "
        )
    for name in REQUIRED_HEADERS:
        if name not in signed.signed_headers:
            shown = "'Host' or ':authority'" if name == "host" else f"'{name}'"
            raise errors.InvalidSignatureException(
                f"{shown} must be a 'SignedHeader' in the AWS Authorization."
            )
    _check_time(signed, now)


def _stamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime(TIMESTAMP)


def _check_time(signed: Signed, now: float) -> None:
    if signed.when > now + SKEW:
        raise errors.InvalidSignatureException(
            f"Signature not yet current: {signed.timestamp} is still later than "
            f"{_stamp(now + SKEW)} ({_stamp(now)} + 5 min.)"
        )
    if signed.expires is not None:  # presigned: valid from its time for X-Amz-Expires
        if now > signed.when + signed.expires:
            raise errors.InvalidSignatureException(
                f"Signature expired: {signed.timestamp} is now earlier than "
                f"{_stamp(now - signed.expires)} ({_stamp(now)} - {signed.expires} sec.)"
            )
    elif signed.when < now - SKEW:
        raise errors.InvalidSignatureException(
            f"Signature expired: {signed.timestamp} is now earlier than "
            f"{_stamp(now - SKEW)} ({_stamp(now)} - 5 min.)"
        )


# --- the canonical request and the signature (AWS's "Create a signed AWS API request")


def canonical_uri(raw_path: bytes) -> str:
    """The path with dot segments and empty segments removed, URI-encoded once more (as
    every service but S3 has it)."""
    path = raw_path.decode("latin-1") or "/"
    kept: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if kept:
                kept.pop()
        elif segment and segment != ".":
            kept.append(segment)
    normalized = "/" + "/".join(kept) + ("/" if path.endswith("/") and kept else "")
    return quote(normalized, safe="/~")


def _encode(text: str) -> str:
    return quote(text, safe="-_.~")


def canonical_query(query_string: bytes, *, presigned: bool) -> str:
    """Every parameter but the signature itself, names and values URI-encoded, sorted."""
    pairs = [
        (_encode(name), _encode(value))
        for name, value in _query_pairs(query_string)
        if not (presigned and name == "X-Amz-Signature")
    ]
    return "&".join(f"{name}={value}" for name, value in sorted(pairs))


def canonical_headers(headers: Headers, names: tuple[str, ...]) -> str:
    lines = []
    for name in names:
        values = [v.decode("latin-1") for k, v in headers if k.decode("latin-1") == name]
        lines.append(f"{name}:" + ",".join(" ".join(v.split()) for v in values) + "\n")
    return "".join(lines)


def canonical_request(
    method: str,
    raw_path: bytes,
    query_string: bytes,
    headers: Headers,
    signed: Signed,
    payload_hash: str,
) -> str:
    return "\n".join(
        (
            method.upper(),
            canonical_uri(raw_path),
            canonical_query(query_string, presigned=signed.expires is not None),
            canonical_headers(headers, signed.signed_headers),
            ";".join(signed.signed_headers),
            payload_hash,
        )
    )


def string_to_sign(signed: Signed, canonical: str) -> str:
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{signed.timestamp}\n{signed.scope}\n{digest}"


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def signature(secret: str, signed: Signed, canonical: str) -> str:
    key = _hmac(("AWS4" + secret).encode("utf-8"), signed.scope_date)
    for part in (signed.region, signed.service, signed.terminator):
        key = _hmac(key, part)
    return hmac.new(
        key, string_to_sign(signed, canonical).encode("utf-8"), hashlib.sha256
    ).hexdigest()


def _payload_hashes(signed: Signed, headers: Headers, body: bytes) -> list[str]:
    """The payload hashes the canonical request may name: the body's SHA-256, which
    X-Amz-Content-Sha256 must repeat when sent; a presigned URL, made before its body was
    known, may name UNSIGNED-PAYLOAD instead (its body is then not signed)."""
    actual = hashlib.sha256(body).hexdigest()
    presigned = signed.expires is not None
    declared = _header(headers, b"x-amz-content-sha256")
    if declared is None:
        return [actual, UNSIGNED_PAYLOAD] if presigned else [actual]
    if declared == actual or (presigned and declared == UNSIGNED_PAYLOAD):
        return [declared]
    return []  # the body is not the one signed


MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check "
    "your AWS Secret Access Key and signing method. Consult the service documentation for "
    "details."
)


def verify(
    signed: Signed,
    secret: str,
    method: str,
    raw_path: bytes,
    query_string: bytes,
    headers: Headers,
    body: bytes,
) -> None:
    """The signature recomputed with the key's secret and compared in constant time."""
    given = signed.signature.encode("utf-8", "backslashreplace")  # may be anything
    matched = False
    for payload_hash in _payload_hashes(signed, headers, body):
        canonical = canonical_request(method, raw_path, query_string, headers, signed, payload_hash)
        # every candidate is compared, so the time taken says nothing of which was close
        matched |= hmac.compare_digest(signature(secret, signed, canonical).encode(), given)
    if not matched:
        raise errors.InvalidSignatureException(MISMATCH)
