"""What a lookup's call is made of (issue 16 review, lookups #9, #10, #12): the line a person reads,
a failed call built once, an answer's status worded as the webhooks word it, the schema's size bound."""

from __future__ import annotations

from inbox.domain.lookup_answers import summary_of


def test_an_answer_that_only_echoes_the_arguments_leaves_no_dangling_colon():
    assert summary_of({"order_number": "12345"}, {"order_number": "12345"}) == "order_number 12345"


def test_an_integer_argument_echoed_as_text_is_said_once():
    summary = summary_of({"order_number": 12345}, {"order_number": "12345", "status": "x"})
    assert summary == "order_number 12345: status x"


def test_a_changed_value_is_still_said():
    assert summary_of({"order_number": "12345"}, {"order_number": "12346"}) == (
        "order_number 12345: order_number 12346"
    )


def test_a_failed_call_is_built_once_for_the_model_refused_and_the_service():
    from inbox.domain import lookup_tools
    from inbox.domain.lookup_answers import failed_call

    built = failed_call("find_order", {"order_number": "1"}, "HTTP 404")
    assert built.model_dump() == {
        "name": "find_order",
        "arguments": {"order_number": "1"},
        "ok": False,
        "answer": None,
        "summary": "order_number 1: failed (HTTP 404)",
        "error": "HTTP 404",
        "duration_ms": None,
    }
    assert lookup_tools.refused("find_order", '{"order_number": "1"}', "HTTP 404") == built


def test_an_answers_status_is_worded_as_the_webhooks_word_it():
    from inbox.adapters import webhook_http
    from inbox.domain.lookup_answers import read_answer, status_error

    assert webhook_http.status_error is status_error
    assert read_answer(302, b'{"error": "moved"}', False, 16_384) == (None, "HTTP 302: redirects are not followed")
    assert read_answer(404, b'{"error": "order not found"}', False, 16_384) == (None, "HTTP 404: order not found")
    assert read_answer(503, b"", False, 16_384) == (None, "HTTP 503")


def test_the_endpoints_limits_in_the_apis_words_are_the_adapters():
    from inbox.adapters import lookup_http
    from inbox.http.schemas.ai_lookups import AiLookupIn

    described = AiLookupIn.model_fields["endpoint"].description
    assert f"at most {lookup_http.MAX_ANSWER_BYTES // 1024} KB within {lookup_http.DEADLINE_SECONDS:g} s" in described
    assert "`customer`" in described
