"""The event a trigger function receives: Cognito's envelope (reference §3) around a
trigger-specific `request` and a pre-filled `response`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from recognito.domain.records import Pool, User

# callerContext.clientId of operations no app client makes (AdminCreateUser, ...)
CLIENT_ID_NOT_APPLICABLE = "CLIENT_ID_NOT_APPLICABLE"
UNKNOWN_SDK = "aws-sdk-unknown-unknown"

# User-Agent products that name an AWS SDK, and the language Cognito's form gives them
_AWS_SDK = re.compile(r"(?:^|\s)aws-sdk-([A-Za-z0-9]+(?:-v\d+)?)/([0-9][\w.\-]*)")
_OTHER_SDKS = (
    (re.compile(r"(?:^|\s)aws-cli/([0-9][\w.\-]*)"), "cli"),
    (re.compile(r"(?:^|\s)Boto3/([0-9][\w.\-]*)"), "python"),
    (re.compile(r"(?:^|\s)Botocore/([0-9][\w.\-]*)"), "python"),
)


def sdk_version(user_agent: str | None) -> str:
    """callerContext.awsSdkVersion: `aws-sdk-<language>-<version>` read from the caller's
    User-Agent (`aws-sdk-js/3.6.0` -> `aws-sdk-js-3.6.0`; boto3 -> `aws-sdk-python-...`,
    the AWS CLI -> `aws-sdk-cli-...`), else `aws-sdk-unknown-unknown`."""
    if not user_agent:
        return UNKNOWN_SDK
    match = _AWS_SDK.search(user_agent)
    if match:
        return f"aws-sdk-{match.group(1).lower()}-{match.group(2)}"
    for pattern, language in _OTHER_SDKS:
        found = pattern.search(user_agent)
        if found:
            return f"aws-sdk-{language}-{found.group(1)}"
    return UNKNOWN_SDK


def user_attributes(user: User) -> dict[str, str]:
    """request.userAttributes of an existing user: their attributes (sub included) and the
    `cognito:user_status` pseudo-attribute, all strings."""
    return {**user.attributes, "sub": user.sub, "cognito:user_status": str(user.status)}


@dataclass(frozen=True)
class Call:
    """One trigger call: which trigger and source, for whom, and the event's request and
    pre-filled response."""

    trigger: str  # the LambdaConfig key
    source: str  # triggerSource
    user_name: str
    client_id: str | None  # None: CLIENT_ID_NOT_APPLICABLE
    user_agent: str | None
    request: dict[str, Any]
    response: dict[str, Any] = field(default_factory=dict)
    version: str = "1"  # the event's: "2"/"3" for PreTokenGeneration V2_0/V3_0


def envelope(pool: Pool, call: Call, version: str = "1") -> dict[str, Any]:
    """The whole event, in Cognito's field names."""
    return {
        "version": version,
        "triggerSource": call.source,
        "region": pool.id.split("_", 1)[0],
        "userPoolId": pool.id,
        "userName": call.user_name,
        "callerContext": {
            "awsSdkVersion": sdk_version(call.user_agent),
            "clientId": call.client_id or CLIENT_ID_NOT_APPLICABLE,
        },
        "request": call.request,
        "response": call.response,
    }


def metadata(request: dict[str, Any], client_metadata: dict[str, str] | None) -> dict[str, Any]:
    """`request` with clientMetadata added when the API call sent it: an absent one is
    left out, not null (reference §3.4)."""
    if client_metadata is not None:
        request["clientMetadata"] = dict(client_metadata)
    return request


def validation_data(items: list[Any] | None) -> dict[str, str] | None:
    """The ValidationData list (AttributeType) as an object; null when not sent."""
    if items is None:
        return None
    return {item["Name"]: item.get("Value", "") for item in items}
