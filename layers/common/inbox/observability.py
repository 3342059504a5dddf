"""Logger, Tracer and Metrics for every function, with masking before anything is written.

Structured fields that carry content or credentials are erased by name with Powertools' data
masking; free text (the log message itself, an exception) has emails and phone numbers
replaced, so neither a body nor a customer's address reaches the logs.
"""

from __future__ import annotations

import re
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.utilities.data_masking import DataMasking

SENSITIVE_FIELDS = (
    "password", "secret", "token", "authorization", "api_key", "api_secret", "private_key",
    "signature_secret", "text", "html", "body", "subject", "email", "phone", "msisdn", "name",
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w.])\+?\d[\d ().-]{7,}\d")
MASK = "*****"


def mask_text(value: str) -> str:
    return _PHONE.sub(MASK, _EMAIL.sub(MASK, value))


class MaskingFormatter(LambdaPowertoolsFormatter):
    _masking = DataMasking(raise_on_missing_field=False)
    _fields = [f"$..{name}" for name in SENSITIVE_FIELDS]

    def serialize(self, log: dict[str, Any]) -> str:
        masked = self._masking.erase(log, fields=self._fields)
        return super().serialize(_scrub(masked))


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


logger = Logger(logger_formatter=MaskingFormatter())
tracer = Tracer()
metrics = Metrics()
