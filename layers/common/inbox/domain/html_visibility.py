"""Which parts of an HTML body a reader does not see, and the body without them.

An element hides what it holds with display:none, visibility:hidden, an opacity near 0, a font size
no one can read, a box of (almost) no size that clips its content, text the colour of its
background or transparent, Outlook's mso-hide, or the `hidden` attribute. Such text is a way to
put words in front of the AI that the person never reads, so the sanitised markup and the plain
text both lose it, found by the same reading of the markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
_NUMBER = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*([a-z%]*)", re.IGNORECASE)
_FONT_SIZE_IN_SHORTHAND = re.compile(r"(?:^|\s)(\d*\.?\d+(?:px|pt|em|rem|%)|0)(?=\s|/|$)", re.IGNORECASE)
_TRANSPARENT = re.compile(
    r"^\s*(?:transparent|rgba\s*\((?:[^,]*,){3}\s*0*\.?0*%?\s*\)|hsla\s*\((?:[^,]*,){3}\s*0*\.?0*%?\s*\)"
    r"|#[0-9a-f]{3}0|#[0-9a-f]{6}00)\s*(?:!important)?\s*$",
    re.IGNORECASE,
)


def declarations(style: str) -> list[tuple[str, str]]:
    """`name: value` pairs of an inline style, names lower-cased, values stripped."""
    pairs = []
    for item in style.split(";"):
        name, colon, value = item.partition(":")
        if colon and name.strip():
            pairs.append((name.strip().lower(), value.strip()))
    return pairs


def _number(value: str) -> tuple[float, str] | None:
    match = _NUMBER.match(value)
    return (float(match.group(1)), match.group(2).lower()) if match else None


def _invisible_size(value: str) -> bool:
    """A font size no one can read: zero, at most 1px/1pt, at most a tenth of an em or 10%."""
    size = _number(value)
    if size is None:
        return False
    number, unit = size
    limit = {"": 0, "px": 1, "pt": 1, "em": 0.1, "rem": 0.1, "%": 10}.get(unit, 0)
    return number <= limit


def hides(style: dict[str, str]) -> bool:
    """Whether these declarations keep an element's content from being seen."""
    value = {name: declared.lower().replace("!important", "").strip() for name, declared in style.items()}
    if value.get("display") == "none" or value.get("visibility") in ("hidden", "collapse"):
        return True
    if value.get("mso-hide") == "all":
        return True
    opacity = _number(value.get("opacity", ""))
    if opacity is not None and opacity[0] <= (10 if opacity[1] == "%" else 0.1):
        return True
    if "font-size" in value and _invisible_size(value["font-size"]):
        return True
    shorthand = _FONT_SIZE_IN_SHORTHAND.search(value.get("font", ""))
    if shorthand and _invisible_size(shorthand.group(1)):
        return True
    if _TRANSPARENT.match(value.get("color", "")):
        return True
    background = value.get("background-color") or value.get("background")
    if value.get("color") and value.get("color") == background:
        return True
    if value.get("overflow", value.get("overflow-y", value.get("overflow-x"))) in ("hidden", "clip"):
        for box in ("height", "max-height", "width", "max-width"):
            size = _number(value.get(box, ""))
            if size is not None and size[0] <= 2 and size[1] in ("", "px", "pt", "em", "rem", "%"):
                return True
    return False


def hidden(attrs: list[tuple[str, str | None]]) -> bool:
    return any(
        name == "hidden" or (name == "style" and hides(dict(declarations(value or "")))) for name, value in attrs
    )


class _HiddenElements(HTMLParser):
    """Where the elements a reader does not see begin and end in the markup."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", html)]
        self.spans: list[tuple[int, int]] = []
        self.hidden_open: list[str] = []  # the hidden element, and same-named elements inside it
        self.hidden_start = 0

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.hidden_open:
            if tag == self.hidden_open[-1] and tag not in VOID_TAGS:
                self.hidden_open.append(tag)
            return
        if hidden(attrs):
            start = self.position()
            if tag in VOID_TAGS:
                self.spans.append((start, start + len(self.get_starttag_text() or "")))
            else:
                self.hidden_start = start
                self.hidden_open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.hidden_open and tag == self.hidden_open[-1]:
            self.hidden_open.pop()
            if not self.hidden_open:
                end = self.html.find(">", self.position())
                self.spans.append((self.hidden_start, len(self.html) if end < 0 else end + 1))

    def finish(self) -> list[tuple[int, int]]:
        if self.hidden_open:  # never closed: hidden to the end, as a browser would have it
            self.spans.append((self.hidden_start, len(self.html)))
            self.hidden_open.clear()
        return self.spans


def without_hidden(html: str) -> str:
    """The markup without the elements a reader does not see, and without what they hold."""
    if "<" not in html:
        return html
    finder = _HiddenElements(html)
    try:
        finder.feed(html)
        finder.close()
    except Exception:  # markup html.parser refuses: what follows cannot be vouched for, so it goes
        if not finder.hidden_open:
            finder.hidden_open.append("?")
            finder.hidden_start = finder.position()
    kept, position = [], 0
    for start, end in finder.finish():
        kept.append(html[position:start])
        position = max(position, end)
    kept.append(html[position:])
    return "".join(kept)
