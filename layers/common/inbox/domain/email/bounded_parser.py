"""The standard library's email parser, bounded: imported on first use, never quadratic, never raising."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

_STRUCTURED_HEADER_CHARS = 2_000  # what the structured header parser sees of Content-* and address headers


@dataclass(frozen=True)
class EmailPackage:
    parser: Any
    policy: Any
    serializer: Any  # re-emits attached messages without refolding their headers
    parsedate: Any


@cache
def email_package() -> EmailPackage:
    """The email package, imported on first parse: 35 ms that the webhooks never pay."""
    from email.parser import BytesParser
    from email.policy import EmailPolicy, default
    from email.utils import parsedate_to_datetime

    class BoundedPolicy(EmailPolicy):
        """policy.default, except that a structured header parse sees at most a few KB, never raises,
        and is remembered: the parser asks for a part's Content-Type half a dozen times."""

        def header_fetch_parse(self, name: str, value: Any) -> Any:
            if hasattr(value, "name"):
                return value
            return parse_header(name, value[:_STRUCTURED_HEADER_CHARS])

    @lru_cache(maxsize=256)
    def parse_header(name: str, value: str) -> Any:
        try:
            return EmailPolicy.header_fetch_parse(policy, name, value)
        except Exception:  # a header the registry cannot parse reads as empty
            return EmailPolicy.header_fetch_parse(policy, name, "")

    policy = BoundedPolicy()
    return EmailPackage(
        parser=BytesParser(policy=policy),
        policy=policy,
        serializer=default.clone(max_line_length=0),
        parsedate=parsedate_to_datetime,
    )
