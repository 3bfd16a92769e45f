"""The classic branding CSS: only the allowed classes, safe declarations, nothing that
reaches out or breaks out of the stylesheet (domain/branding_css.py)."""

from __future__ import annotations

import pytest

from recognito.domain.branding_css import sanitise


def test_allowed_rules_are_kept_and_reserialised() -> None:
    css = """
    .submitButton-customizable{background-color:#f90;font-family:"Open Sans",sans-serif}
    .submitButton-customizable:hover, .idpButton-customizable:hover { color: hsl(0, 0%, 10%) }
    .inputField-customizable:focus { border: 1px solid rgba(0, 0, 0, .5) !important }
    """
    assert sanitise(css) == (
        ".submitButton-customizable "
        '{ background-color: #f90; font-family: "Open Sans",sans-serif; }\n'
        ".submitButton-customizable:hover, .idpButton-customizable:hover "
        "{ color: hsl(0, 0%, 10%); }\n"
        ".inputField-customizable:focus { border: 1px solid rgba(0, 0, 0, .5) !important; }\n"
    )


@pytest.mark.parametrize(
    "css",
    [
        '@import url("https://evil.example/x.css");',
        "@font-face { font-family: x; src: url(https://evil.example/f) }",
        "@media screen { .label-customizable { color: red } }",
        ".label-customizable { background: url(https://evil.example/t.png) }",
        ".label-customizable { background-color: url(data:image/png;base64,AAAA) }",
        ".label-customizable { width: expression(alert(1)) }",
        ".label-customizable { color: var(--x) }",
        ".label-customizable { behavior: url(x.htc) }",
        ".label-customizable { -moz-binding: url(x.xml#y) }",
        ".label-customizable { content: 'x' }",
        ".label-customizable { font-family: 'a</style><script>' }",
        ".label-customizable:hover { color: red }",  # no pseudo-class allowed on labels
        ".submitButton-customizable:focus { color: red }",
        "body { color: red }",
        "* { color: red }",
        ".label-customizable a { color: red }",
        ".label-customizable, body { } ",
        "</style><script>alert(1)</script>",
        ".label-customizable { color: red; } } body { color: red }",
    ],
)
def test_hostile_or_unknown_css_is_dropped(css: str) -> None:
    kept = sanitise(css)
    for bad in ("url(", "@", "expression", "var(", "body", "script", "content", "binding"):
        assert bad not in kept, kept
    assert "behavior" not in kept and ":hover" not in kept and ":focus" not in kept


def test_a_list_keeps_only_its_allowed_selectors() -> None:
    assert sanitise("body, .label-customizable { color: red }") == (
        ".label-customizable { color: red; }\n"
    )
