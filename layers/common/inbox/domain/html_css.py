"""Inline CSS of inbound mail: which declarations the reading pane may get, and what sizes they mean.

Values are read as nh3 leaves them (comments gone, escapes decoded, numbers re-written), and a
declaration whose value is not understood here is dropped rather than passed on: the pane only
gets what this module could evaluate, so it shows what the plain text assumes it shows.
"""

from __future__ import annotations

import re

# Only properties that cannot take an image or a URL, move the message out of its box or animate.
STYLE_PROPERTIES = frozenset(
    {
        *("color", "background-color", "direction", "unicode-bidi", "display"),
        *("font", "font-family", "font-size", "font-style", "font-variant", "font-weight", "line-height"),
        *("letter-spacing", "word-spacing", "text-align", "text-decoration", "text-transform"),
        *("white-space", "word-break", "word-wrap", "overflow-wrap", "vertical-align", "list-style-type"),
        *("margin", "margin-top", "margin-right", "margin-bottom", "margin-left"),
        *("padding", "padding-top", "padding-right", "padding-bottom", "padding-left"),
        *("border", "border-top", "border-right", "border-bottom", "border-left", "border-color"),
        *("border-style", "border-width", "border-collapse", "border-spacing", "border-radius"),
        *("width", "height", "max-width", "max-height", "min-width", "min-height", "float", "clear"),
        *("table-layout", "text-overflow"),
    }
)
# Read to find hidden elements, never shown: the pane drops them once it has looked.
HIDING_PROPERTIES = frozenset({"visibility", "opacity", "mso-hide", "overflow", "overflow-x", "overflow-y"})
# A declaration that could fetch or compute something is dropped even in an allowed property (checked
# on the raw value too, before nh3 decodes escapes).
UNSAFE_CSS = re.compile(r"url\s*\(|image|expression|@import|\\|var\s*\(|attr\s*\(|/\*", re.IGNORECASE)
# Negative lengths (pulling the message over the page or text out of sight), viewport and container
# units (a box the size of the window, over the app).
SPOOFING_VALUE = re.compile(r"(?<![\w.-])-\s*\.?\d|\d\s*(?:[sld]?v(?:w|h|min|max|i|b)|cq(?:w|h|i|b|min|max))\b", re.I)
# Functions other than colours are computed (calc, min, clamp, env...): the pane cannot be vouched
# for, so they go.
_FUNCTION = re.compile(r"([a-z-]*)\s*\(")
_COLOUR_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla"})
_IMPORTANT = re.compile(r"!\s*important\s*$", re.IGNORECASE)
_DISPLAYS = frozenset(
    {
        *("block", "inline", "inline-block", "flex", "inline-flex", "grid", "inline-grid", "flow-root"),
        *("list-item", "table", "inline-table", "table-row", "table-cell", "table-caption"),
        *("table-row-group", "table-header-group", "table-footer-group"),
    }
)  # not `contents`: no box, so its background paints nothing behind the text
_HIDING_DISPLAYS = frozenset({"none", "table-column", "table-column-group"})  # their content is never drawn

_NUMBER = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([a-z%]*)$", re.IGNORECASE)
_ABSOLUTE = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "q": 96 / 101.6}
_RELATIVE = {"em": 1.0, "ex": 0.5, "ch": 0.5, "cap": 0.7, "ic": 1.0, "lh": 1.2, "%": 0.01}
ROOT_FONT = 16.0  # px, the pane's
_KEYWORD_SIZE = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0}
_KEYWORD_SIZE |= {"x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}
_SPACING = frozenset({"letter-spacing", "word-spacing"})
_FAR = re.compile(r"^(?:margin|padding|vertical-align|border(?!-radius|-collapse|-style|-color))")


def declarations(style: str) -> dict[str, str]:
    """`name: value` of an inline style, names lower-cased, values stripped; the last one wins and
    takes the last place."""
    found: dict[str, str] = {}
    for item in style.split(";"):
        name, colon, value = item.partition(":")
        if colon and name.strip() and value.strip():
            found.pop(name.strip().lower(), None)  # in the order they take effect
            found[name.strip().lower()] = value.strip()
    return found


def without_important(value: str) -> str:
    return _IMPORTANT.sub("", value).strip()


def plain(value: str) -> str:
    """A value to evaluate: lower-case, single spaces, without !important."""
    return " ".join(without_important(value).lower().split())


def safe(name: str, value: str) -> bool:
    """Whether a declaration may reach the pane at all (its meaning is judged by the caller)."""
    if name not in STYLE_PROPERTIES or UNSAFE_CSS.search(value) or SPOOFING_VALUE.search(value):
        return False
    if any(function not in _COLOUR_FUNCTIONS for function in _FUNCTION.findall(value)):
        return False
    if any(character in value for character in "<>{}") or ('"' in value and not name.startswith("font")):
        return False
    if name == "display":
        return value in _DISPLAYS
    if name == "unicode-bidi" and "override" in value:  # letters drawn in reverse: not what the model reads
        return False
    if name in _SPACING or _FAR.match(name):  # pushing text far out of sight
        limit = 20.0 if name in _SPACING else 300.0
        return all(_length(part, ROOT_FONT, limit) for part in value.split())
    return True


def _length(part: str, font: float, limit: float) -> bool:
    match = _NUMBER.match(part)
    if not match:  # a keyword (auto, solid, baseline...) or a colour
        return True
    number, unit = float(match.group(1)), match.group(2).lower()
    if unit == "%":
        return number <= 50
    pixels = length(part, font)
    return pixels is not None and pixels <= limit


def length(value: str, font: float) -> float | None:
    """A length in px, `em` and `%` taken relative to `font`; None if it is not a plain length."""
    match = _NUMBER.match(value.strip())
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2).lower()
    if unit in _ABSOLUTE:
        return number * _ABSOLUTE[unit]
    if unit in _RELATIVE:
        return number * _RELATIVE[unit] * font
    if unit in ("rem", "rlh"):
        return number * ROOT_FONT * (1.2 if unit == "rlh" else 1)
    return 0.0 if unit == "" and number == 0 else None


def font_size(value: str, parent: float) -> float | None:
    """The px size a `font-size` value gives, or None if it is not read here."""
    if value in _KEYWORD_SIZE:
        return _KEYWORD_SIZE[value]
    if value in ("smaller", "larger"):
        return parent / 1.2 if value == "smaller" else parent * 1.2
    if value in ("inherit", "unset"):
        return parent
    if value == "initial":
        return ROOT_FONT
    return length(value, parent)


def shorthand_size(value: str, parent: float) -> tuple[float | None, str | None, str]:
    """The size, line height and font families in a `font` shorthand (`italic bold 12px / 1.5 Arial`);
    None where none is read."""
    head = re.split(r"""["',]""", value, maxsplit=1)[0]  # the family comes last
    tokens = head.replace("/", " / ").split()
    for index, token in enumerate(tokens):
        size = font_size(token, parent)
        if size is not None:
            slash = index + 2 < len(tokens) and tokens[index + 1] == "/"
            used = index + (4 if slash else 2)
            family = value.replace("/", " / ").split(maxsplit=used - 1)[used - 1 :]
            return size, tokens[index + 2] if slash else None, "".join(family)
    return None, None, ""


def hides(style: dict[str, str], font: float) -> bool:
    """Whether these (plain) declarations keep an element and all it holds from being seen."""
    if style.get("display") in _HIDING_DISPLAYS or style.get("visibility") in ("hidden", "collapse"):
        return True
    if style.get("mso-hide") == "all":
        return True
    opacity = _NUMBER.match(style.get("opacity", ""))
    if opacity and float(opacity.group(1)) <= (10 if opacity.group(2) == "%" else 0.1):
        return True
    overflow = style.get("overflow", style.get("overflow-y", style.get("overflow-x")))
    if overflow and overflow.split()[0] in ("hidden", "clip"):
        for box in ("height", "max-height", "width", "max-width"):
            size = length(style.get(box, ""), font)
            if size is not None and size <= 2:
                return True
    return False
