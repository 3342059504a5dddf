"""Files a person sends: which a channel carries, how large, and whether the bytes are what they claim.

Two moments. When the upload is asked for, only the declared name, type and size are known: a
refused type or a size over the channel's limit is said then (`check_upload`). Before the reply
goes out, the uploaded bytes are read back and judged by what they are (`content_refusal`): an
executable named `.pdf`, or a PNG declared as a PDF, is refused whatever its name says.

Limits: email 20 MB for all of a message's files together (a mail of 20 MB is ~27 MB once base64
encoded, what most providers still take); WhatsApp by media kind, as the Messages API reference
(shared/reference/vonage) lists the types and WhatsApp documents the sizes: images (JPEG, PNG) 5 MB,
audio (AAC, M4A, AMR, MP3, OGG/Opus) and video (MP4, 3GPP) 16 MB, documents (PDF, Word, Excel,
PowerPoint) 100 MB. SMS carries no file.
"""

from __future__ import annotations

from dataclasses import dataclass

from inbox.domain import filetypes
from inbox.errors import InvalidInputError
from inbox.models import Channel

MB = 1_000_000
EMAIL_TOTAL_BYTES = 20 * MB
MAX_FILES = 10
NO_FILE_ON_SMS = "SMS carries no file"


@dataclass(frozen=True)
class MediaKind:
    kind: str  # the Messages API's message_type: image, audio, video or file
    max_bytes: int


_IMAGE = MediaKind("image", 5 * MB)
_AUDIO = MediaKind("audio", 16 * MB)
_VIDEO = MediaKind("video", 16 * MB)
_FILE = MediaKind("file", 100 * MB)
WHATSAPP_MEDIA: dict[str, MediaKind] = {
    "image/jpeg": _IMAGE,
    "image/png": _IMAGE,
    "audio/aac": _AUDIO,
    "audio/mp4": _AUDIO,
    "audio/amr": _AUDIO,
    "audio/mpeg": _AUDIO,
    "audio/ogg": _AUDIO,
    "video/mp4": _VIDEO,
    "video/3gpp": _VIDEO,
    "application/pdf": _FILE,
    "application/msword": _FILE,
    filetypes.DOCX: _FILE,
    "application/vnd.ms-excel": _FILE,
    filetypes.XLSX: _FILE,
    "application/vnd.ms-powerpoint": _FILE,
    filetypes.PPTX: _FILE,
}

# Programs and scripts: what mail providers refuse too, by name and by declared type.
REFUSED_EXTENSIONS = frozenset(
    [
        "exe",
        "com",
        "bat",
        "cmd",
        "msi",
        "msp",
        "mst",
        "scr",
        "pif",
        "cpl",
        "dll",
        "sys",
        "drv",
        "ocx",
        "vbs",
        "vbe",
        "js",
        "jse",
        "mjs",
        "cjs",
        "wsf",
        "wsh",
        "wsc",
        "ps1",
        "psm1",
        "psd1",
        "sh",
        "bash",
        "csh",
        "ksh",
        "zsh",
        "fish",
        "py",
        "pyc",
        "pyw",
        "pl",
        "rb",
        "php",
        "jar",
        "apk",
        "app",
        "dmg",
        "pkg",
        "deb",
        "rpm",
        "lnk",
        "url",
        "hta",
        "reg",
        "scf",
        "inf",
        "gadget",
        "msc",
        "application",
        "appref-ms",
        "iso",
        "img",
        "vhd",
        "vhdx",
        "xll",
        "xlam",
        "docm",
        "dotm",
        "xlsm",
        "pptm",
        "ppam",
        "sldm",
    ]
)
REFUSED_TYPES = frozenset(
    {
        "application/x-msdownload",
        "application/x-msdos-program",
        "application/x-dosexec",
        "application/x-executable",
        "application/x-elf",
        "application/x-mach-binary",
        "application/vnd.microsoft.portable-executable",
        "application/x-msi",
        "application/x-ms-installer",
        "application/x-sh",
        "application/x-csh",
        "application/x-shellscript",
        "application/x-bat",
        "application/x-python",
        "text/x-python",
        "text/x-shellscript",
        "application/javascript",
        "text/javascript",
        "application/x-javascript",
        "application/java-archive",
        "application/x-java-archive",
        "application/vnd.android.package-archive",
        "application/x-apple-diskimage",
        "application/hta",
        "application/x-ms-shortcut",
        "application/x-iso9660-image",
        "application/vnd.ms-excel.sheet.macroenabled.12",
        "application/vnd.ms-word.document.macroenabled.12",
        "application/vnd.ms-powerpoint.presentation.macroenabled.12",
    }
)
# What programs start with: Windows PE (MZ), ELF, Mach-O (both byte orders, fat), a script's #!.
_PROGRAM_SIGNATURES = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
# Declared types the magic-number table says the same thing of under another name.
_SAME_AS_SNIFFED = {"video/3gpp": "video/mp4", "audio/x-m4a": "audio/mp4", "audio/opus": "audio/ogg"}
# Declared types whose bytes the table recognises: for these the bytes must say so.
_RECOGNISABLE = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/tiff",
        "image/bmp",
        "image/heic",
        "application/gzip",
        "application/x-7z-compressed",
        "application/vnd.rar",
        "application/rtf",
        "audio/ogg",
        "audio/wav",
        "video/webm",
        "video/mp4",
        "video/quicktime",
        "video/3gpp",
        "audio/mp4",
        "application/zip",
        filetypes.DOCX,
        filetypes.XLSX,
        filetypes.PPTX,
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
    }
)


def safe_filename(name: str) -> str:
    """The name without any directory, control or reserved character, at most 200 characters."""
    bare = name.replace("\\", "/").rsplit("/", 1)[-1].strip(" .")
    return "".join(char for char in bare if char.isprintable() and char not in '<>:"|?*%')[:200].strip(" .")


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[1].lower() if "." in filename else ""


def max_bytes(channel: Channel, content_type: str) -> int:
    """The largest one file of this type may be on the channel (email: the whole message's share)."""
    if channel is Channel.EMAIL:
        return EMAIL_TOTAL_BYTES
    if channel is Channel.WHATSAPP and content_type in WHATSAPP_MEDIA:
        return WHATSAPP_MEDIA[content_type].max_bytes
    return 0


def check_upload(channel: Channel, filename: str, content_type: str, size: int) -> tuple[str, str, int]:
    """(the name to keep, the type, the size limit) for an upload asked for, or a 422 naming the field."""
    if channel is Channel.SMS:
        raise InvalidInputError("conversation_id", NO_FILE_ON_SMS)
    if channel not in (Channel.EMAIL, Channel.WHATSAPP):
        raise InvalidInputError("conversation_id", f"a reply on {channel} carries no file")
    name = safe_filename(filename)
    if not name:
        raise InvalidInputError("filename", "is not a usable file name")
    if extension(name) in REFUSED_EXTENSIONS:
        raise InvalidInputError("filename", f"a .{extension(name)} file may hold a program; it is not sent")
    declared = filetypes.normalize_content_type(content_type)
    if declared is None:
        raise InvalidInputError("content_type", "is not a media type (type/subtype)")
    if declared in REFUSED_TYPES:
        raise InvalidInputError("content_type", f"{declared} is a program or a script; it is not sent")
    if channel is Channel.WHATSAPP and declared not in WHATSAPP_MEDIA:
        allowed = "JPEG or PNG images, AAC, M4A, AMR, MP3 or OGG audio, MP4 or 3GPP video, PDF, Word, Excel, PowerPoint"
        raise InvalidInputError("content_type", f"WhatsApp does not carry {declared}; it takes {allowed}")
    limit = max_bytes(channel, declared)
    if size > limit:
        raise InvalidInputError("size", f"is over the {limit // MB} MB a {channel} file may be")
    return name, declared, limit


def content_refusal(sample: bytes, declared: str, filename: str) -> str | None:
    """Why the bytes cannot go out as `declared`, in words; None when they are what they claim.
    `sample`: the file's start (filetypes.SNIFF_BYTES at least) and, for a zip, its end too."""
    if sample.startswith(_PROGRAM_SIGNATURES):
        return "is a program or a script, whatever its name says; it is not sent"
    sniffed = filetypes.sniff(sample)
    if sniffed in REFUSED_TYPES:
        return f"is {sniffed}; it is not sent"
    if sniffed is None and declared in _RECOGNISABLE:
        return f"its content is not {declared}, as it was declared"
    real = filetypes.content_type_of(sample, declared, filename)
    if real != _SAME_AS_SNIFFED.get(declared, declared):
        return f"its content is {real}, not the {declared} it was declared as"
    return None


def total_refusal(sizes: list[int]) -> str | None:
    if sum(sizes) > EMAIL_TOTAL_BYTES:
        return f"together over the {EMAIL_TOTAL_BYTES // MB} MB an email may carry"
    return None
