"""template.yaml's timeouts against the AI reply's time (issue 16 review, lookups #2): a reply that calls
the tenant's lookups makes several completions, so the functions that write one must outlive its
budget, and the auto-reply's lease and queue must outlive the function."""

from __future__ import annotations

from inbox.adapters.ai import TIMEOUT_SECONDS as MODEL_SECONDS
from inbox.adapters.lookup_http import DEADLINE_SECONDS as LOOKUP_SECONDS
from inbox.models.ai_lookup import MAX_CALLS_PER_REPLY
from inbox.services import autoreply
from inbox.services.ai_replies import ANSWER_SECONDS, API_REPLY_SECONDS
from inbox.services.drafts import SUGGESTION_LEASE

MARGIN_SECONDS = 4  # reads and writes of the table around the reply


def _function(template, name: str) -> dict:
    return template["Resources"][name]["Properties"]


def test_template_the_auto_reply_function_outlives_its_waits_its_reply_and_its_send(template):
    timeout = int(_function(template, "AutoReplyFunction")["Timeout"])
    waits = sum(autoreply.CLASSIFIED_WAITS) + sum(autoreply.CONVERSATION_WAITS)

    assert timeout == autoreply.FUNCTION_TIMEOUT_SECONDS
    assert timeout >= waits + autoreply.WRITE_SECONDS + autoreply.SEND_SECONDS + MARGIN_SECONDS


def test_template_an_auto_replys_time_lets_every_lookup_run_when_the_model_answers_in_its_usual_time():
    # each call is made only while it and the final answer fit: the last one too
    usual_turns = (MAX_CALLS_PER_REPLY + 1) * ANSWER_SECONDS
    assert MAX_CALLS_PER_REPLY * LOOKUP_SECONDS + usual_turns <= autoreply.WRITE_SECONDS
    assert ANSWER_SECONDS <= MODEL_SECONDS


def test_template_the_auto_replys_lease_and_queue_outlive_the_function(template):
    timeout = int(_function(template, "AutoReplyFunction")["Timeout"])
    queue = template["Resources"]["AutoReplyQueue"]["Properties"]
    source = _function(template, "AutoReplyFunction")["Events"]["Jobs"]["Properties"]

    assert source["BatchSize"] == 1  # one job's time is the function's
    assert autoreply.LEASE.total_seconds() > timeout  # a holder still running never loses its draft
    assert int(queue["VisibilityTimeout"]) >= 6 * timeout  # AWS's advice for an SQS source
    assert int(queue["VisibilityTimeout"]) > autoreply.LEASE.total_seconds()  # a job back finds the lease over


def test_template_a_reply_written_in_the_api_fits_the_api_functions_timeout(template):
    timeout = int(_function(template, "ApiFunction")["Timeout"])

    assert timeout >= API_REPLY_SECONDS + MARGIN_SECONDS
    assert SUGGESTION_LEASE.total_seconds() > timeout  # a suggestion's lock outlives the request holding it
    # one lookup fits when the model asks for it within the rest
    assert API_REPLY_SECONDS > LOOKUP_SECONDS + ANSWER_SECONDS
