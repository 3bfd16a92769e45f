"""The CSS of classic branding (SetUICustomization), made safe to serve.

Cognito lets a pool style only its `*-customizable` classes, some with one pseudo-class
(reference §1.6), and ignores the rest. The pages serve the stylesheet from their own
origin under `style-src 'self'`, so whatever is kept must not reach out or escape: the
CSS is parsed with a real CSS parser (tinycss2) and re-serialised from scratch. Kept:
rules whose selectors are exactly an allowed class (and its allowed pseudo-class), and
in them declarations of a known visual property whose value is made only of plain
tokens (keywords, numbers, lengths, colours, strings) or colour functions. Dropped:
every at-rule (@import, @font-face, @media...), url(), expression(), var(), comments,
escapes, anything else."""

from __future__ import annotations

import re

import tinycss2
from tinycss2 import ast

# class -> the pseudo-classes Cognito accepts on it besides the plain class
ALLOWED_CLASSES: dict[str, frozenset[str]] = {
    "background-customizable": frozenset(),
    "banner-customizable": frozenset(),
    "errorMessage-customizable": frozenset(),
    "idpButton-customizable": frozenset({"hover"}),
    "inputField-customizable": frozenset({"focus"}),
    "label-customizable": frozenset(),
    "legalText-customizable": frozenset(),
    "logo-customizable": frozenset(),
    "submitButton-customizable": frozenset({"hover"}),
    "textDescription-customizable": frozenset(),
}
# visual properties only: no content, no behaviour/binding, no positioning tricks
ALLOWED_PROPERTIES = frozenset(
    {
        "background-color", "border", "border-bottom", "border-color", "border-left",
        "border-radius", "border-right", "border-style", "border-top", "border-width",
        "box-shadow", "color", "font-family", "font-size", "font-style", "font-weight",
        "height", "letter-spacing", "line-height", "margin", "margin-bottom", "margin-left",
        "margin-right", "margin-top", "max-height", "max-width", "min-height", "min-width",
        "opacity", "padding", "padding-bottom", "padding-left", "padding-right",
        "padding-top", "text-align", "text-decoration", "text-transform", "width",
    }
)  # fmt: skip
COLOUR_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla"})
_SELECTOR = re.compile(r"\.([A-Za-z-]+)(?::([a-z]+))?")
_PLAIN = (
    ast.IdentToken,
    ast.NumberToken,
    ast.PercentageToken,
    ast.DimensionToken,
    ast.HashToken,
    ast.WhitespaceToken,
)


def sanitise(css: str) -> str:
    """The allowed part of `css`, one rule a line (empty when nothing is allowed)."""
    lines = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if not isinstance(rule, ast.QualifiedRule):
            continue  # at-rules and parse errors
        selectors = _selectors(rule.prelude)
        declarations = _declarations(rule.content)
        if selectors and declarations:
            lines.append(f"{', '.join(selectors)} {{ {' '.join(declarations)} }}")
    return "\n".join(lines) + ("\n" if lines else "")


def _selectors(prelude: list[ast.Node]) -> list[str]:
    text = tinycss2.serialize(prelude)
    kept = []
    for selector in text.split(","):
        match = _SELECTOR.fullmatch(selector.strip())
        if match is None:
            continue
        name, pseudo = match.groups()
        if name in ALLOWED_CLASSES and (pseudo is None or pseudo in ALLOWED_CLASSES[name]):
            kept.append(match.group(0))
    return kept


def _declarations(content: list[ast.Node] | None) -> list[str]:
    kept = []
    for item in tinycss2.parse_declaration_list(
        content or [], skip_comments=True, skip_whitespace=True
    ):
        if not isinstance(item, ast.Declaration):
            continue
        name = item.lower_name
        if name not in ALLOWED_PROPERTIES or not _safe_value(item.value):
            continue
        value = tinycss2.serialize(item.value).strip()
        if not value:
            continue
        kept.append(f"{name}: {value}{' !important' if item.important else ''};")
    return kept


def _safe_value(tokens: list[ast.Node]) -> bool:
    for token in tokens:
        if isinstance(token, _PLAIN):
            continue
        if isinstance(token, ast.LiteralToken) and token.value in (",", "/"):
            continue
        if isinstance(token, ast.StringToken) and _plain_text(token.value):
            continue
        if isinstance(token, ast.FunctionBlock) and token.lower_name in COLOUR_FUNCTIONS:
            if all(
                isinstance(arg, _PLAIN) or (isinstance(arg, ast.LiteralToken) and arg.value in ",/")
                for arg in token.arguments
            ):
                continue
        return False
    return True


def _plain_text(value: str) -> bool:
    """A string fit for font-family: letters, digits, spaces, hyphens."""
    return re.fullmatch(r"[\w \-]*", value) is not None
