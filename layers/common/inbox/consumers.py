"""What every SQS consumer shares: partial batch failures, and each failed job logged where people look.

Powertools' `BatchProcessor` on its own logs a failed record at debug level only, and when every
record of a batch fails it raises an error whose text holds each record's traceback: Lambda's
runtime writes that text itself, past the masking formatter, so a secret or an address in an
exception message would reach the logs in clear. Here each failure is logged at error level by
the masking logger, with its traceback, and a wholly failed batch still fails the invocation (SQS
retries it, Lambda's error metric counts it) but with a message that carries nothing of the jobs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError, ExceptionInfo
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import TypeAdapter, ValidationError

from inbox.errors import MalformedJobError
from inbox.observability import logger


def read_job[T](record: SQSRecord, jobs: TypeAdapter[T], queue: str) -> T:
    """The job a record carries, as one of its queue's models (`inbox.models.jobs`). A body that is
    not one raises `MalformedJobError`, naming the queue and each wrong field, not the values in it
    (a phone number, say): `JobProcessor` logs it and SQS keeps it, in the end in the dead-letter queue."""
    try:
        return jobs.validate_json(record.body)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'job'}: {problem['msg']}"
            for problem in error.errors(include_url=False, include_input=False)
        )
        raise MalformedJobError(f"not a {queue} job: {problems}") from None


class JobProcessor(BatchProcessor):
    """A `BatchProcessor` for SQS jobs whose failures are logged at error level, masked."""

    def __init__(self) -> None:
        super().__init__(event_type=EventType.SQS)

    def failure_handler(self, record: Any, exception: ExceptionInfo) -> tuple[str, str, Any]:
        # Not the parent's: it writes the exception's text to an unmasked debug logger.
        error = exception[1]
        # An SQSRecord reads like the record's dict; a record that failed conversion is that dict.
        fields = record if isinstance(record, Mapping) else {}
        count = str((fields.get("attributes") or {}).get("ApproximateReceiveCount", ""))
        logger.error(
            "job failed: SQS retries it, then keeps it in the dead-letter queue",
            exc_info=exception,
            error_type=type(error).__name__,
            sqs_message_id=fields.get("messageId"),
            receive_count=int(count) if count.isdigit() else None,
            queue=str(fields.get("eventSourceARN") or "").rpartition(":")[2],
        )
        self.exceptions.append(exception)
        self.fail_messages.append(record)
        return ("fail", type(error).__name__, record)

    def _clean(self) -> None:
        if self.fail_messages and len(self.fail_messages) == len(self.records):
            # Raised without the jobs' tracebacks (logged above, masked): the runtime prints this one as is.
            raise BatchProcessingError(f"all {len(self.records)} job(s) of the batch failed; each is logged above")
        super()._clean()
