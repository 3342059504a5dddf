"""CSS and HTML colours as the reading pane paints them: parsed, blended over a background, compared.

Only syntaxes read here reach the pane (html_visibility drops any other colour value), so whether a
text can be seen is decided on the colour the browser will really use.
"""

from __future__ import annotations

import colorsys
import re

Colour = tuple[float, float, float, float]  # red, green, blue in 0..255, alpha in 0..1

_TABLE = (
    "aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff beige f5f5dc bisque ffe4c4 "
    "black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a burlywood deb887 "
    "cadetblue 5f9ea0 chartreuse 7fff00 chocolate d2691e coral ff7f50 cornflowerblue 6495ed cornsilk fff8dc "
    "crimson dc143c cyan 00ffff darkblue 00008b darkcyan 008b8b darkgoldenrod b8860b darkgray a9a9a9 "
    "darkgreen 006400 darkgrey a9a9a9 darkkhaki bdb76b darkmagenta 8b008b darkolivegreen 556b2f "
    "darkorange ff8c00 darkorchid 9932cc darkred 8b0000 darksalmon e9967a darkseagreen 8fbc8f "
    "darkslateblue 483d8b darkslategray 2f4f4f darkslategrey 2f4f4f darkturquoise 00ced1 darkviolet 9400d3 "
    "deeppink ff1493 deepskyblue 00bfff dimgray 696969 dimgrey 696969 dodgerblue 1e90ff firebrick b22222 "
    "floralwhite fffaf0 forestgreen 228b22 fuchsia ff00ff gainsboro dcdcdc ghostwhite f8f8ff gold ffd700 "
    "goldenrod daa520 gray 808080 green 008000 greenyellow adff2f grey 808080 honeydew f0fff0 hotpink ff69b4 "
    "indianred cd5c5c indigo 4b0082 ivory fffff0 khaki f0e68c lavender e6e6fa lavenderblush fff0f5 "
    "lawngreen 7cfc00 lemonchiffon fffacd lightblue add8e6 lightcoral f08080 lightcyan e0ffff "
    "lightgoldenrodyellow fafad2 lightgray d3d3d3 lightgreen 90ee90 lightgrey d3d3d3 lightpink ffb6c1 "
    "lightsalmon ffa07a lightseagreen 20b2aa lightskyblue 87cefa lightslategray 778899 lightslategrey 778899 "
    "lightsteelblue b0c4de lightyellow ffffe0 lime 00ff00 limegreen 32cd32 linen faf0e6 magenta ff00ff "
    "maroon 800000 mediumaquamarine 66cdaa mediumblue 0000cd mediumorchid ba55d3 mediumpurple 9370db "
    "mediumseagreen 3cb371 mediumslateblue 7b68ee mediumspringgreen 00fa9a mediumturquoise 48d1cc "
    "mediumvioletred c71585 midnightblue 191970 mintcream f5fffa mistyrose ffe4e1 moccasin ffe4b5 "
    "navajowhite ffdead navy 000080 oldlace fdf5e6 olive 808000 olivedrab 6b8e23 orange ffa500 "
    "orangered ff4500 orchid da70d6 palegoldenrod eee8aa palegreen 98fb98 paleturquoise afeeee "
    "palevioletred db7093 papayawhip ffefd5 peachpuff ffdab9 peru cd853f pink ffc0cb plum dda0dd "
    "powderblue b0e0e6 purple 800080 rebeccapurple 663399 red ff0000 rosybrown bc8f8f royalblue 4169e1 "
    "saddlebrown 8b4513 salmon fa8072 sandybrown f4a460 seagreen 2e8b57 seashell fff5ee sienna a0522d "
    "silver c0c0c0 skyblue 87ceeb slateblue 6a5acd slategray 708090 slategrey 708090 snow fffafa "
    "springgreen 00ff7f steelblue 4682b4 tan d2b48c teal 008080 thistle d8bfd8 tomato ff6347 "
    "turquoise 40e0d0 violet ee82ee wheat f5deb3 white ffffff whitesmoke f5f5f5 yellow ffff00 "
    "yellowgreen 9acd32"
)
_NAMES = _TABLE.split()
NAMED = dict(zip(_NAMES[::2], _NAMES[1::2], strict=True))

PAGE: Colour = (255.0, 255.0, 255.0, 1.0)  # the reading pane's background
TEXT: Colour = (0.0, 0.0, 0.0, 1.0)  # and its text, where the message sets no colour
_HEX = re.compile(r"#?([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})")
_FUNCTION = re.compile(r"(rgba?|hsla?)\((.*)\)")
_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?"
_COMPONENT = re.compile(rf"({_NUMBER})(%|deg|grad|rad|turn)?|none")


def parse(value: str, current: Colour | None = None) -> Colour | None:
    """The colour a CSS value names (lower-case, without !important), or None if it is not read here.

    `current` is the colour `currentcolor` stands for."""
    value = value.strip()
    if value in NAMED:
        return _hex(NAMED[value])
    if value == "transparent":
        return (0.0, 0.0, 0.0, 0.0)
    if value in ("canvas", "canvastext"):
        return PAGE if value == "canvas" else TEXT
    if value == "currentcolor":
        return current
    if value.startswith("#"):
        return _hex(value[1:]) if _HEX.fullmatch(value) else None
    match = _FUNCTION.fullmatch(value)
    return _function(match.group(1), match.group(2)) if match else None


def parse_attribute(value: str) -> Colour | None:
    """A `color` or `bgcolor` attribute, read strictly: a name, or three or six hex digits with or without #.

    (Browsers read any other string by a lenient legacy rule; such a value is dropped instead.)"""
    value = value.strip().lower()
    if value in NAMED:
        return _hex(NAMED[value])
    digits = value.removeprefix("#")
    return _hex(digits) if len(digits) in (3, 6) and _HEX.fullmatch(digits) else None


def to_hex(colour: Colour) -> str:
    return "#" + "".join(f"{round(channel):02x}" for channel in colour[:3])


def _hex(digits: str) -> Colour:
    if len(digits) in (3, 4):
        digits = "".join(digit * 2 for digit in digits)
    alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
    return (float(int(digits[0:2], 16)), float(int(digits[2:4], 16)), float(int(digits[4:6], 16)), alpha)


def _function(name: str, arguments: str) -> Colour | None:
    if "," in arguments:
        parts = [part.strip() for part in arguments.split(",")]
        if len(parts) not in (3, 4):
            return None
    else:
        channels, slash, alpha = arguments.partition("/")
        parts = channels.split() + ([alpha.strip()] if slash else [])
        if len(parts) != (4 if slash else 3):
            return None
    components = [_COMPONENT.fullmatch(part) for part in parts]
    if not all(components):
        return None
    numbers = [(float(m.group(1)) if m.group(1) else 0.0, m.group(2) or "") for m in components if m]
    alpha = 1.0
    if len(numbers) == 4:
        number, unit = numbers[3]
        alpha = number / 100 if unit == "%" else number
    alpha = min(max(alpha, 0.0), 1.0)
    if name.startswith("rgb"):
        red, green, blue = (number * 2.55 if unit == "%" else number for number, unit in numbers[:3])
        return (*(min(max(channel, 0.0), 255.0) for channel in (red, green, blue)), alpha)  # type: ignore[return-value]
    (hue, hue_unit), (saturation, _), (lightness, _) = numbers[:3]
    turns = {"deg": 360, "": 360, "grad": 400, "rad": 6.283185307179586, "turn": 1}.get(hue_unit)
    if turns is None:
        return None
    red, green, blue = colorsys.hls_to_rgb(
        (hue / turns) % 1, min(max(lightness / 100, 0.0), 1.0), min(max(saturation / 100, 0.0), 1.0)
    )
    return (red * 255, green * 255, blue * 255, alpha)


def over(colour: Colour, background: Colour) -> Colour:
    """`colour` painted over an opaque `background`."""
    alpha = colour[3]
    return (*(top * alpha + bottom * (1 - alpha) for top, bottom in zip(colour[:3], background[:3], strict=True)), 1.0)  # type: ignore[return-value]


def contrast(first: Colour, second: Colour) -> float:
    """WCAG contrast ratio of two opaque colours: 1 (the same) to 21 (black on white)."""

    def luminance(colour: Colour) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour[:3]]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
