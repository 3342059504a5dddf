"""Logger and Metrics for every function, with masking before anything is written.

No X-Ray SDK (Powertools' Tracer): importing it costs about 360 ms on every cold start, more than
boto3 itself, and Lambda's active tracing already records each invocation without it.

Every record is masked by `MaskingFormatter` on its way out, whatever logged it:
- a field whose name says it holds a credential or a message's content is erased, at any depth
  and in any spelling (`password`, `imap_password`, `clientSecret`, `X-Api-Key`, `sig`, `jwt`...);
- all other text (the message, an exception and its traceback, any string field) has what looks
  like a credential replaced: `name=value` and `"name": "value"` pairs for those names, bearer and
  basic credentials, JWTs, OpenAI-style `sk-` keys and other known token shapes, PEM private keys,
  hex signatures, and email addresses and phone numbers.
A secret written as a bare word in prose, with nothing naming it, cannot be recognised: log fields
and ids, never the values an error was built from.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

MASK = "*****"

# Field names, split into words (snake, kebab and camel case alike), that erase the field's value:
# any word containing one of these...
_SECRET_PARTS = ("passw", "secret", "token", "authoriz", "jwt", "cookie", "credential", "signature", "bearer")
# ...or any word (singular or plural) equal to one of these: credentials, then message content.
_SENSITIVE_WORDS = frozenset(
    {
        *("key", "apikey", "privatekey", "sig", "pwd", "pw", "pass", "passphrase", "auth", "otp", "pin", "creds"),
        *("text", "html", "body", "subject", "email", "phone", "msisdn", "name"),
    }
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WORD_SEPARATORS = re.compile(r"[^a-z0-9]+")

# Keys Powertools itself writes at the top of a record: never content, left as they are.
_OWN_KEYS = frozenset(
    (
        "level",
        "location",
        "timestamp",
        "service",
        "cold_start",
        "function_name",
        "function_memory_size",
        "function_arn",
        "function_request_id",
        "xray_trace_id",
        "sampling_rate",
        "correlation_id",
        "exception_name",
    )
)

# --- free text ---------------------------------------------------------------------------------------
_CREDENTIAL_NAME = (
    r"[\w.-]*?(?:passw(?:or)?d|secret|token|authori[sz]ation|jwt|cookie|credential|signature)[\w-]*"
    r"|[\w.-]*?(?<![a-z])(?:pwd|pw|pin|creds|key|sig|apikey|privatekey)(?![a-z])[\w-]*"
)
_TEXT_PATTERNS = (
    # A password in a URL (imaps://user:password@host).
    re.compile(r"(?<=://)[^/\s:@]+:[^/\s@]+(?=@)"),
    # PEM private keys, whole (or to the end, when cut short).
    re.compile(r"-----BEGIN[A-Z ]*PRIVATE KEY-----.*?(?:-----END[A-Z ]*PRIVATE KEY-----|$)", re.DOTALL),
    # password=..., "client_secret": "...", Authorization: Bearer ..., ?sig=...&...
    re.compile(
        rf"(?P<name>{_CREDENTIAL_NAME})(?P<separator>[\"']?\s*[:=]\s*)"
        r"(?:\"[^\"]*\"|'[^']*'|(?:(?:bearer|basic|token)\s+)?[^\s\"'<>]+)",
        re.IGNORECASE,
    ),
    re.compile(r"(?P<name>\bbearer)(?P<separator>\s+)[\w.~+/=-]+", re.IGNORECASE),
    re.compile(r"(?P<name>\bBasic)(?P<separator>\s+)(?=[a-z0-9+/]*[0-9+/=])[a-z0-9+/]{8,}=*", re.IGNORECASE),
    # JWTs, OpenAI (sk-, sk-proj-...), webhook signing secrets, Google's client secrets and tokens.
    re.compile(r"\beyJ[\w-]*\.[\w-]+\.[\w-]*"),
    re.compile(r"(?<![\w-])(?:sk|rk|pk)-[\w-]{8,}"),
    re.compile(r"\b(?:whsec_|GOCSPX-|ya29\.|1//)[\w./-]{8,}"),
    # Hex digests: Vonage's `sig`, payload hashes, HMAC signatures.
    re.compile(r"(?<![0-9a-f])[0-9a-f]{32,}(?![0-9a-f])", re.IGNORECASE),
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),
    # International numbers (+33 6 12 34 56 78) and bare runs of 9+ digits (33612345678, as Vonage
    # writes them); dates, times and ids (a UUID's last part) do not match.
    re.compile(r"\+\d[\d ().-]{6,}\d|(?<![\w-])\d{9,15}(?![\w-])"),
)


def sensitive_key(name: object) -> bool:
    """Whether a field of this name holds a credential or message content, in any case or spelling."""
    words = _WORD_SEPARATORS.split(_CAMEL.sub("_", str(name)).lower())
    return any(
        word in _SENSITIVE_WORDS
        or word.removesuffix("s") in _SENSITIVE_WORDS
        or any(part in word for part in _SECRET_PARTS)
        for word in words
    )


def mask_text(value: str) -> str:
    """Free text with credentials, email addresses and phone numbers replaced."""
    for pattern in _TEXT_PATTERNS:
        value = pattern.sub(_replacement, value)
    return value


def _replacement(match: re.Match[str]) -> str:
    named = match.re.groupindex.get("name")
    return f"{match['name']}{match['separator']}{MASK}" if named else MASK


def mask(value: Any) -> Any:
    """A log field's value with every sensitive field erased and all its text masked."""
    if isinstance(value, str):
        return mask_text(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {str(k): MASK if sensitive_key(k) else mask(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [mask(v) for v in value]
    return mask_text(str(value))  # what the JSON encoder would write for it (a model, an exception...)


class MaskingFormatter(LambdaPowertoolsFormatter):
    def serialize(self, log: dict[str, Any]) -> str:
        masked = {
            key: value if key in _OWN_KEYS else MASK if sensitive_key(key) else mask(value)
            for key, value in log.items()
        }
        return super().serialize(masked)


# The API function flushes metrics after every request, and most requests record none.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)

logger = Logger(logger_formatter=MaskingFormatter())
metrics = Metrics()
