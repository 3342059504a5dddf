"""HTML bodies of inbound mail: made safe to display, and read as plain text for search and AI.

Display is the web app's business; what it gets from here cannot run code, submit anything, load
anything from the network until the reader asks for images (`data-blocked-src`), or clobber the
page around it. `cid:` images stay: the web app rewrites them to the attachments' URLs.

Nor can it spoof the reading pane or hide text: no positioning, negative offsets, viewport-sized
boxes, clipping, transparency or computed values survive, and what a reader would not see (hidden
elements, text too small, too faint or the colour of what is behind it) is left out; see
html_visibility. The plain text (what search and the AI read) is read from that same markup, so
the model reads the words a person sees, and only those.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote

from inbox.domain import html_colours as colours
from inbox.domain.html_css import HIDING_PROPERTIES, SPOOFING_VALUE, STYLE_PROPERTIES, UNSAFE_CSS, declarations
from inbox.domain.html_visibility import visible

BLOCKED_SRC = "data-blocked-src"  # where a remote image's address waits until the reader allows it
LINK_REL = "noopener noreferrer nofollow"

_TAGS = frozenset(
    {
        *("a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "big", "blockquote", "br"),
        *("caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "dfn", "div", "dl"),
        *("dt", "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
        *("hgroup", "hr", "i", "img", "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "pre", "q"),
        *("rt", "ruby", "s", "samp", "section", "small", "span", "strike", "strong", "sub", "sup"),
        *("table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr"),
    }
)
# Not details (shut, it hides all but its summary) nor bdo (it draws letters in reverse): their content
# is kept without them, in reading order.
# Removed with everything inside them (rp: never drawn beside ruby text); every other unknown tag (form,
# iframe, svg...) loses only its markup.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "title", "template", "noscript", "textarea", "select", "rp"})
# No `id`, `name` or `class`: they could clobber or restyle the page the message is shown in.
_ATTRIBUTES = {
    "*": {"align", "valign", "dir", "lang", "title", "style", "width", "height", "bgcolor", "border", "nowrap"}
    | {"hidden"},  # read by `visible`, which removes the element
    "a": {"href"},
    "img": {"src", "alt", "hspace", "vspace"},
    "table": {"cellpadding", "cellspacing", "summary"},
    "td": {"colspan", "rowspan", "headers", "scope"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "font": {"color", "face", "size"},
    "hr": {"size", "noshade"},
    "ol": {"start", "type", "reversed"},
    "ul": {"type"},
    "li": {"value"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
}
_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "cid", "data"})
_IMG_TAG = re.compile(r"<img\b((?:\s+[^\s\"'>/=]+(?:=\"[^\"]*\")?)*)(\s*/?)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"(\s+)([^\s\"'>/=]+)(?:=\"([^\"]*)\")?")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)  # gone before anything reads the style, as in CSS
_BACKGROUND_WORD = re.compile(r"[a-z]+\s*\([^)]*\)|[^\s(),]+", re.IGNORECASE)
_CID = re.compile(r"""cid:([^\s"'<>)]+)""", re.IGNORECASE)


def sanitize_html(html: str, allow_remote_images: bool = False) -> str:
    """Markup that is safe to insert into the web app, remote images blocked unless allowed."""
    cleaned = _clean(html, _ATTRIBUTES)
    if allow_remote_images:
        return cleaned
    blocked, count = _IMG_TAG.subn(_block_remote_image, cleaned)
    if count != cleaned.count("<img"):  # markup the blocker cannot read: fail closed, without images
        return _clean(html, {**_ATTRIBUTES, "img": {"alt"}})
    return blocked


def _clean(html: str, attributes: dict[str, set[str]]) -> str:
    """nh3's safe markup, then without what the reader would not see (decided on nh3's output, which
    is what the pane gets: its CSS parser has taken out comments and decoded escapes by then)."""
    import nh3  # compiled and quick; imported when first needed

    safe = nh3.clean(
        _encodable(html),
        tags=set(_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in attributes.items()},
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel=LINK_REL,
        set_tag_attribute_values={"a": {"target": "_blank"}},
        url_schemes=set(_URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES | HIDING_PROPERTIES),
    )
    return visible(safe)


def has_remote_images(html: str) -> bool:
    """Whether `sanitize_html(html)` blocks at least one image (the "show images" bar)."""
    cleaned = sanitize_html(html, allow_remote_images=True)
    return any(_is_remote(src) for match in _IMG_TAG.finditer(cleaned) for src in _sources(match.group(1)))


def referenced_content_ids(html: str) -> set[str]:
    """Content-IDs the HTML shows (`cid:` URLs in images or styles), lower-cased, without <>."""
    return {unquote(match.group(1)).strip("<>").lower() for match in _CID.finditer(html)}


def _encodable(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from a broken decoder
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style":  # hiding declarations stay until `visible` has read them
        kept = [
            f"{name}:{declared}"
            for name, declared in map(_background_colour, declarations(_CSS_COMMENT.sub("", value)).items())
            if name in STYLE_PROPERTIES | HIDING_PROPERTIES
            and not UNSAFE_CSS.search(declared)
            and not SPOOFING_VALUE.search(declared)
        ]
        return ";".join(kept) or None
    lowered = "".join(value.split()).lower()
    if attribute == "href":
        return None if lowered.startswith(("data:", "cid:", "javascript:", "vbscript:")) else value
    if tag == "img" and attribute == "src":
        if lowered.startswith(("cid:", "data:image/", "http:", "https:", "//", "\\\\", "/\\")):
            return value
        return None  # relative or other schemes: nothing a reader could load from an email
    return value


def _background_colour(declaration: tuple[str, str]) -> tuple[str, str]:
    """`background: #123 url(...) no-repeat` as its colour alone: the image is never shown, and white
    text on a dark band stays readable."""
    name, value = declaration
    if name != "background":
        return declaration
    words = _BACKGROUND_WORD.findall(re.sub(r"url\s*\([^)]*\)?", " ", value, flags=re.IGNORECASE))
    colour = next((word for word in words if colours.parse(" ".join(word.lower().split()))), None)
    return ("background-color", colour) if colour else declaration


def _sources(attributes: str) -> list[str]:
    return [value or "" for _, name, value in _ATTRIBUTE.findall(attributes) if name.lower() == "src"]


def _is_remote(src: str) -> bool:
    return not src.strip().lower().startswith(("cid:", "data:"))


def _block_remote_image(match: re.Match[str]) -> str:
    def rename(attribute: re.Match[str]) -> str:
        space, name, value = attribute.groups()
        if name.lower() == "src" and _is_remote(value or ""):
            return f'{space}{BLOCKED_SRC}="{value or ""}"'
        return attribute.group(0)

    return f"<img{_ATTRIBUTE.sub(rename, match.group(1))}{match.group(2)}>"


# --- plain text ------------------------------------------------------------------------------------

_SKIPPED = frozenset({"script", "style", "title", "template", "noscript"})
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "div"),
        *("dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "li"),
        *("main", "nav", "ol", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul"),
    }
)
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})
_CELLS = frozenset({"td", "th"})
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u034f\u200b\u200c\u200d\u2060\ufeff"))  # preheader padding
_SPACES = re.compile(r"\s+")


class _TextWriter(HTMLParser):
    """Text as a reader sees it: blocks on their own lines, hidden and non-visual content left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.breaks = 0  # line breaks owed before the next text
        self.skipping: list[str] = []  # open elements whose content is not shown
        self.pre = 0
        self.lists: list[int | None] = []  # item counter per open list; None for bullets

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.append(tag)
            return
        if tag in _SKIPPED:
            self.skipping.append(tag)
            return
        if tag == "br":
            self.newline(1, force=True)
        elif tag in _PARAGRAPHS:
            self.newline(2)
            self.pre += tag == "pre"
        elif tag in ("ul", "ol"):
            self.newline(1)
            self.lists.append(0 if tag == "ol" else None)
        elif tag == "li":
            self.newline(1)
            self.li()
        elif tag in _BLOCKS:
            self.newline(1)
        elif tag in _CELLS:
            self.space()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.skipping:
            self.newline(1, force=True)
        elif tag in _BLOCKS and not self.skipping:
            self.newline(1)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _PARAGRAPHS:
            self.newline(2)
            if tag == "pre" and self.pre:
                self.pre -= 1
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.newline(1)
        elif tag in _BLOCKS:
            self.newline(1)

    def handle_data(self, data: str) -> None:
        if self.skipping or not data:
            return
        data = data.translate(_INVISIBLE)
        if not self.pre:
            data = _SPACES.sub(" ", data)
            if self.breaks or not self.chunks or self.chunks[-1].endswith(("\n", " ")):
                data = data.lstrip(" ")
            if not data:
                return
        if self.breaks and self.chunks:
            self.chunks.append("\n" * self.breaks)
        self.breaks = 0
        self.chunks.append(data)

    def newline(self, count: int, force: bool = False) -> None:
        if force and self.breaks >= count:  # consecutive <br> each make a line
            count = self.breaks + count
        self.breaks = max(self.breaks, count)

    def space(self) -> None:
        if self.chunks and not self.breaks and not self.chunks[-1].endswith((" ", "\n")):
            self.chunks.append(" ")

    def li(self) -> None:
        marker = "- "
        if self.lists and self.lists[-1] is not None:
            self.lists[-1] += 1
            marker = f"{self.lists[-1]}. "
        if self.breaks and self.chunks:
            self.chunks.append("\n" * self.breaks)
        self.breaks = 0
        self.chunks.append(marker)

    def text(self) -> str:
        lines = (line.rstrip(" \t") for line in "".join(self.chunks).split("\n"))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML body: one line per block, links as their text, no markup, and
    nothing of what the reader does not see: it reads the markup the reading pane shows."""
    html = _clean(html, _ATTRIBUTES)
    writer = _TextWriter()
    try:
        writer.feed(html)
        writer.close()
    except Exception:  # html.parser is lenient; this is for what it still refuses
        return _SPACES.sub(" ", re.sub(r"<[^>]*>", " ", html)).strip()
    return writer.text()
