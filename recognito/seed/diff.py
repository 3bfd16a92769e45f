"""Whether what a seed file asks for is already so: each member the file gives compared
with what the Describe/Get operation answers. Members the file leaves out are not
compared (the store may hold Cognito's defaults, or values the file never named)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def changed(wanted: Mapping[str, Any], live: Mapping[str, Any]) -> list[str]:
    """The members of `wanted` whose value `live` does not hold, in the file's order."""
    return [k for k, v in wanted.items() if differs(v, live.get(k))]


def differs(wanted: Any, live: Any) -> bool:
    if _empty(wanted) and _empty(live):
        return False
    if isinstance(wanted, dict):
        if not isinstance(live, dict):
            return True
        return any(differs(v, live.get(k)) for k, v in wanted.items())
    if isinstance(wanted, list):
        if not isinstance(live, list):
            return True
        if all(isinstance(w, dict) and "Name" in w for w in wanted):
            return _named_differ(wanted, live)
        return sorted(map(_scalar, wanted)) != sorted(map(_scalar, live))
    return _scalar(wanted) != _scalar(live)


def _named_differ(wanted: list[dict[str, Any]], live: list[Any]) -> bool:
    """Lists of named entries (Schema, UserAttributes): each entry the file gives is
    compared with the live one of its name; Cognito prefixes custom attributes."""
    by_name = {e.get("Name"): e for e in live if isinstance(e, dict)}
    for entry in wanted:
        name = entry["Name"]
        found = by_name.get(name) or by_name.get(f"custom:{name}")
        if found is None:
            return True
        if differs({k: v for k, v in entry.items() if k != "Name"}, found):
            return True
    return False


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _scalar(value: Any) -> str:
    """One spelling of a value: YAML's true and the model's "true" strings alike."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return str(value)
