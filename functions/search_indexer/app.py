"""SearchQueue (FIFO, one message group per tenant): the search index's one writer per tenant (issue 14,
item 1). A batch's jobs are read one by one, then each tenant's jobs become one segment and one commit.
A job that cannot be read never will be: it is logged and acknowledged, never failed (a failure would
send the jobs behind it in its tenant's group to the dead-letter queue too, where nothing replays them;
issue 14 review, search item 5). What it would have indexed comes back with `inbox.admin reindex`."""

from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from inbox import wiring
from inbox.actor import acting_as
from inbox.consumers import JobProcessor, read_job
from inbox.errors import MalformedJobError
from inbox.models.jobs import SEARCH_JOB, SearchJob
from inbox.observability import logger
from inbox.settings import needs


class SearchJobProcessor(JobProcessor, SqsFifoPartialProcessor):
    """Powertools' FIFO processor (a failed record fails the rest of its group), a JobProcessor in how
    its failures are logged (masked) like every other queue's."""

    def __init__(self) -> None:
        SqsFifoPartialProcessor.__init__(self, skip_group_on_error=True)

    def failure_handler(self, record, exception):
        if self._skip_group_on_error and self._current_group_id:
            self._failed_group_ids.add(self._current_group_id)  # what the FIFO processor's own handler does
        return JobProcessor.failure_handler(self, record, exception)


processor = SearchJobProcessor()
_read: list[tuple[SQSRecord, SearchJob]] = []


def read(record: SQSRecord) -> str:
    try:
        job = read_job(record, SEARCH_JOB, "SearchQueue")
    except MalformedJobError as error:  # its text names the wrong fields, never the values
        logger.error("search job unreadable: acknowledged, not indexed", extra={"problem": str(error)})
        return "skipped"
    _read.append((record, job))
    return "read"


@logger.inject_lambda_context
@acting_as("search")  # its writes are this part's, for the audit trail
@needs("PURGE_QUEUE_URL")  # segments a merge replaced are removed by the purge worker
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    """A tenant whose index update fails (S3 or DynamoDB down) has all its records failed: SQS gives
    them again, in order, then keeps them in the dead-letter queue."""
    _read.clear()
    response = process_partial_response(event=event, record_handler=read, processor=processor, context=context)
    by_tenant: dict[str, list[tuple[SQSRecord, SearchJob]]] = {}
    for record, job in _read:
        by_tenant.setdefault(job.tenant_id, []).append((record, job))
    failures = response.setdefault("batchItemFailures", [])
    for tenant_id, read_jobs in by_tenant.items():
        try:
            wiring.search_indexer().index(tenant_id, [job for _, job in read_jobs])
        except Exception:
            logger.exception("search index update failed: SQS gives the jobs again", extra={"tenant_id": tenant_id})
            failures += [{"itemIdentifier": record.message_id} for record, _ in read_jobs]
    return response
