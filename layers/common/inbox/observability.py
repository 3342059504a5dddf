"""Logger and Metrics for every function, with masking before anything is written.

No X-Ray SDK (Powertools' Tracer): importing it costs about 360 ms on every cold start, more than
boto3 itself, and Lambda's active tracing already records each invocation without it.

Structured fields that carry content or credentials are erased by name with Powertools' data
masking; free text (the log message itself, an exception) has emails and phone numbers
replaced, so neither a body nor a customer's address reaches the logs.
"""

from __future__ import annotations

import re
import warnings
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

SENSITIVE_FIELDS = frozenset(
    (
        "password",
        "secret",
        "token",
        "authorization",
        "api_key",
        "api_secret",
        "private_key",
        "signature_secret",
        "text",
        "html",
        "body",
        "subject",
        "email",
        "phone",
        "msisdn",
        "name",
    )
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# International numbers (+33 6 12 34 56 78) and bare runs of 9+ digits (33612345678, as Vonage
# writes them); dates and times have too few digits in a row to match.
_PHONE = re.compile(r"\+\d[\d ().-]{6,}\d|(?<!\w)\d{9,15}(?!\w)")
# Keys Powertools itself writes: never content, left as they are.
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
    )
)
MASK = "*****"


def mask_text(value: str) -> str:
    return _PHONE.sub(MASK, _EMAIL.sub(MASK, value))


class MaskingFormatter(LambdaPowertoolsFormatter):
    def serialize(self, log: dict[str, Any]) -> str:
        present = _sensitive_keys(log)
        if present:  # only the fields this record has: erase() warns about every absent one
            log = _data_masking().erase(log, fields=[f"$..{name}" for name in sorted(present)])
        return super().serialize(_scrub(log))


@cache
def _data_masking():
    # Imported on the first record that needs it: most cold starts log no such field.
    from aws_lambda_powertools.utilities.data_masking import DataMasking

    return DataMasking(raise_on_missing_field=False)


def _sensitive_keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {k for k in value if k in SENSITIVE_FIELDS}
        for child in value.values():
            found |= _sensitive_keys(child)
        return found
    if isinstance(value, list | tuple):
        return set().union(*(_sensitive_keys(v) for v in value))
    return set()


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: v if k in _OWN_KEYS else _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


# The API function flushes metrics after every request, and most requests record none.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)

logger = Logger(logger_formatter=MaskingFormatter())
metrics = Metrics()
