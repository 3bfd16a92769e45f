"""The region a request is for: the one its SigV4 credential scope names.

    Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/cognito-idp/aws4_request, ...

The scope picks the region, as the regional endpoint would. With --admin-credentials the
signature is verified and the scope must name a region (protocol/sigv4.py); without, it
is not, and anything that is not a region name (clients configured with "local") falls
back to --region.
"""

from __future__ import annotations

import re

_SCOPE = re.compile(r"AWS4-HMAC-SHA256\s+Credential=[^/,\s]*/\d{8}/([^/,\s]*)/")
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")


def signed_region(authorization: str | None) -> str | None:
    match = _SCOPE.match(authorization or "")
    if match is None or not REGION.fullmatch(match[1]):
        return None
    return match[1]
