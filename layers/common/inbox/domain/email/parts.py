"""What a MIME reader finds in a message, before its headers are read into a ParsedEmail.

Two readers fill it: stdlib_mime.py (the standard library's parser, which reads anything) and
fast_mime.py (a Rust parser, used for the shapes where it reads exactly as the standard library
does). parse.py builds the same ParsedEmail from either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inbox.domain.email.attachments import PartFile

MAX_DEPTH = 30  # nested multiparts


@dataclass
class MessageParts:
    headers: dict[str, list[str]] = field(default_factory=dict)  # raw values by lower-cased name, in order
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    files: list[PartFile] = field(default_factory=list)
    delivery_report: bool = False

    def keep_alternatives(self, versions: list[tuple[list[str], list[str]]]) -> None:
        """Equivalent versions of one body: the first plain text, the last (richest) HTML."""
        self.texts += next((texts for texts, _ in versions if any(text.strip() for text in texts)), [])
        self.htmls += next((htmls for _, htmls in reversed(versions) if htmls), [])
