"""What the reading pane shows of an HTML body: the markup without what a reader would not see.

Run on nh3's output, so visibility is decided on the very markup and declarations the pane gets
(comments gone, escapes decoded, tags closed), with what each element inherits from the ones
around it; every style and colour attribute is then re-written from this reading alone.

An element is removed with all it holds when it is hidden (display:none, visibility:hidden, an
opacity near 0, mso-hide, a box of (almost) no size that clips, the `hidden` attribute). Text is
removed, leaving the element, where it cannot be read: a font size under a few pixels, a colour
with an alpha of at most 0.1, or too close to the background painted behind it. The background
is looked up through the ancestors (table cells, bgcolor and background-color), so white text
on a coloured band or button keeps its text; a background counts only where it is painted behind
the text (not behind a block inside an inline, a float its box does not hold, lines lower than
their letters, or a box smaller than one line). White or near-white text with no background under
it sits on the pane's white page: a person sees nothing there (a background image it was meant
for is never loaded), so the model does not read it either - dropping the text rather than
re-colouring it keeps the pane the sender's layout and the two outputs the same.
"""

from __future__ import annotations

import html as entities
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from inbox.domain import html_colours as colours
from inbox.domain.html_css import (
    ROOT_FONT,
    declarations,
    font_size,
    hides,
    length,
    plain,
    safe,
    shorthand_size,
    without_important,
)

VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
MIN_FONT = 6.0  # px: smaller text reads as a line, not as words
MIN_CONTRAST = 1.25  # #e6e6e6 on white; anything fainter a person passes over as blank
_MIN_ALPHA = 0.1
_BGCOLOR_TAGS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})  # where browsers honour it
_TABLE_TAGS = _BGCOLOR_TAGS | {"caption"}  # boxes that grow with what they hold
_INLINE_TAGS = frozenset(
    {
        *("a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em", "font", "i"),
        *("img", "ins", "kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike"),
        *("strong", "sub", "sup", "time", "tt", "u", "var", "wbr", "br"),
    }
)
_HOLDING_FLOATS = frozenset(
    {"inline-block", "flow-root", "table-cell", "flex", "inline-flex", "grid", "inline-grid", "table", "inline-table"}
)
_SYMBOL_FONTS = frozenset(
    {"wingdings", "wingdings 2", "wingdings 3", "webdings", "symbol", "zapf dingbats", "zapfdingbats", "marlett"}
)
_TAG_FONT = {"h1": 2.0, "h2": 1.5, "h3": 1.17, "h5": 0.83, "h6": 0.67, "small": 1 / 1.2, "big": 1.2}
_TAG_FONT |= {"sub": 1 / 1.2, "sup": 1 / 1.2}
_FONT_SIZE_ATTRIBUTE = (10.0, 13.0, 16.0, 18.0, 24.0, 32.0, 48.0)  # <font size="1"> to "7"


@dataclass(frozen=True, slots=True)
class _Box:
    """What an element's text inherits and what is painted behind it (colours opaque)."""

    tag: str
    colour: colours.Colour = colours.TEXT
    font: float = ROOT_FONT
    line: tuple[str, float | str] = ("x", 1.2)  # line height: a factor of the font, px, or a length to compute
    background: colours.Colour = colours.PAGE  # behind this element's own text
    blocks: colours.Colour = colours.PAGE  # behind a block inside it (an inline's background is not)
    floats: colours.Colour = colours.PAGE  # behind a float: what the nearest box that holds floats paints
    symbols: bool = False  # a symbol font (Wingdings...) draws pictures, not the letters

    def readable(self) -> bool:
        if self.font < MIN_FONT or self.colour[3] <= _MIN_ALPHA or self.symbols:
            return False
        kind, value = self.line
        line = float(value) * (self.font if kind == "x" else 1)
        # lines much lower than their letters draw them outside the box that paints the background
        behind = self.background if line >= self.font / 2 else self.floats
        return colours.contrast(colours.over(self.colour, behind), behind) >= MIN_CONTRAST


class _Pane(HTMLParser):
    """Copies nh3's markup, leaving out hidden elements and unreadable text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[_Box] = [_Box("")]
        self.removing = 0  # depth inside a removed element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        void = tag in VOID_TAGS
        if self.removing:
            self.removing += not void
            return
        shown = self.element(tag, [(name, value or "") for name, value in attrs])
        if shown is None:
            self.removing = int(not void)
            return
        box, kept = shown
        self.out.append(f"<{tag}{''.join(f' {name}="{entities.escape(value)}"' for name, value in kept)}>")
        if not void:
            self.open.append(box)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.removing:
            self.removing -= tag not in VOID_TAGS
            return
        if len(self.open) > 1 and self.open[-1].tag == tag:  # nh3's markup is well formed
            self.out.append(f"</{self.open.pop().tag}>")

    def handle_data(self, data: str) -> None:
        if self.removing or (data.strip() and not self.open[-1].readable()):
            return
        self.out.append(entities.escape(data, quote=False))

    def element(self, tag: str, attrs: list[tuple[str, str]]) -> tuple[_Box, list[tuple[str, str]]] | None:
        """What an element shows and the attributes it keeps, or None if it is hidden."""
        parent = self.open[-1]
        if any(name == "hidden" for name, _ in attrs):
            return None
        raw = declarations(next((value for name, value in attrs if name == "style"), ""))
        style = {name: plain(value) for name, value in raw.items()}
        font = parent.font * _TAG_FONT.get(tag, 1.0)
        for name, value in attrs:
            if tag == "font" and name == "size" and (size := _font_attribute(value)):
                font = size
        if hides(style, font):
            return None
        box, paint = replace(parent, tag=tag, font=font), None
        if tag == "mark":  # the browser's own highlight
            box, paint = replace(box, colour=colours.TEXT), colours.parse("yellow")
        kept_style: dict[str, str] = {}
        for name, value in sorted(style.items(), key=lambda item: item[0] != "color"):  # for currentcolor
            if safe(name, value) and (applied := _apply(box, parent, paint, name, value)):
                box, paint = applied
                kept_style[name] = without_important(raw[name])
        kept: list[tuple[str, str]] = []
        for name, value in attrs:
            if name == "style":
                if kept_style:
                    kept.append((name, ";".join(f"{key}:{value}" for key, value in kept_style.items())))
            elif tag == "font" and name == "face":
                if "font-family" not in kept_style and "font" not in kept_style:
                    box = replace(box, symbols=_symbols(value))
                kept.append((name, value))
            elif name in ("color", "bgcolor") or (tag == "font" and name == "size"):
                value, colour = _presentational(tag, name, value)
                if colour and name == "color" and "color" not in kept_style:
                    box = replace(box, colour=colour)
                if colour and name == "bgcolor" and "background-color" not in kept_style:
                    paint = colour
                if value:
                    kept.append((name, value))
            else:
                kept.append((name, value))
        if box.line[0] == "length":
            box = replace(box, line=("px", length(str(box.line[1]), box.font) or 0.0))
        return _painted(box, parent, paint, kept_style, dict(attrs)), kept


def _apply(
    box: _Box, parent: _Box, paint: colours.Colour | None, name: str, value: str
) -> tuple[_Box, colours.Colour | None] | None:
    """The box and its own background with one declaration applied; None if it is not understood."""
    if name == "color":
        colour = colours.parse(value, parent.colour) if value not in ("inherit", "unset") else parent.colour
        return (replace(box, colour=colour), paint) if colour else None
    if name == "background-color":
        own = colours.parse(value, box.colour)
        own = (0.0, 0.0, 0.0, 0.0) if own is None and value in ("inherit", "initial", "unset") else own
        return (box, own) if own else None
    if name == "font-size":
        size = font_size(value, parent.font)
        return (replace(box, font=size), paint) if size is not None else None
    if name == "font":
        size, line, families = shorthand_size(value, parent.font)
        if size is None:
            return None
        return replace(box, font=size, line=_line(line or "normal"), symbols=_symbols(families)), paint
    if name == "font-family":
        return replace(box, symbols=_symbols(value)), paint
    if name == "line-height":
        line = _line(value)
        return (replace(box, line=line), paint) if line[0] == "x" or length(value, box.font) is not None else None
    return box, paint


def _symbols(families: str) -> bool:
    """Whether a font list names a symbol font (any of them: which one is installed is not known)."""
    return any(family.strip(" \"'").lower() in _SYMBOL_FONTS for family in families.split(","))


def _line(value: str) -> tuple[str, float | str]:
    try:
        return ("x", float(value))
    except ValueError:  # a length: px once the font size is known
        return ("x", 1.2) if value == "normal" else ("length", value)


def _presentational(tag: str, name: str, value: str) -> tuple[str, colours.Colour | None]:
    """A legacy colour or size attribute as kept (only where it is read strictly), and its colour."""
    if name == "size":
        return (value if _font_attribute(value) is not None else ""), None  # already in the font size
    if (name == "color" and tag == "font") or (name == "bgcolor" and tag in _BGCOLOR_TAGS):
        colour = colours.parse_attribute(value)
        return (colours.to_hex(colour) if colour else ""), colour
    return "", None


def _painted(
    box: _Box, parent: _Box, paint: colours.Colour | None, style: dict[str, str], attrs: dict[str, str]
) -> _Box:
    """The box with what is painted behind its text, its blocks and its floats."""
    display = plain(style.get("display", ""))
    inline = display == "inline" if display else box.tag in _INLINE_TAGS
    floating = plain(style.get("float", "none")) != "none"  # left, right, inline-start...
    floating = floating or (box.tag in ("table", "img") and (attrs.get("align") or "").lower() in ("left", "right"))
    behind = parent.floats if floating else parent.background if inline else parent.blocks
    if paint is not None and not _too_small(box, style):
        behind = colours.over(paint, behind)
    holds_floats = floating or box.tag in _TABLE_TAGS or display in _HOLDING_FLOATS
    return replace(
        box,
        background=behind,
        blocks=parent.blocks if inline else behind,
        floats=behind if holds_floats else parent.floats,
    )


def _too_small(box: _Box, style: dict[str, str]) -> bool:
    """A box too small for one line lets its text spill onto what is behind it."""
    if box.tag in _TABLE_TAGS:  # cells and tables grow with what they hold
        return False
    for name in ("height", "max-height", "width", "max-width"):
        value = plain(style.get(name, ""))
        size = length(value, box.font)
        if size is not None and size < box.font and not value.endswith("%"):
            return True
    return False


def _font_attribute(value: str) -> float | None:
    value = value.strip()
    try:
        size = int(value)
    except ValueError:
        return None
    size = 3 + size if value.startswith(("+", "-")) else size
    return _FONT_SIZE_ATTRIBUTE[min(max(size, 1), 7) - 1]


def visible(markup: str) -> str:
    """nh3's markup as the pane may show it: hidden elements and unreadable text left out."""
    pane = _Pane()
    pane.feed(markup)
    pane.close()
    pane.out.extend(f"</{box.tag}>" for box in reversed(pane.open[1:]))
    return "".join(pane.out)
