"""The local WebSocket API's management endpoint (`@connections`) as boto3 uses it: several posts on one
kept-alive HTTP connection, some to connections that are gone."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

from local.websocket_api import WebSocketApi
from local.websocket_events import WebSocketApiSpec


def test_a_post_to_a_gone_connection_leaves_the_kept_alive_connection_usable():
    api = WebSocketApi(WebSocketApiSpec("LiveApi", "live", "$request.body.action"), lambda *args: None)
    api.start()
    try:
        where = urlsplit(api.endpoint)
        connection = http.client.HTTPConnection(where.hostname, where.port, timeout=5)
        answers = []
        for gone in ("first-gone", "second-gone"):  # the fan-out posts one event after another
            body = json.dumps({"type": "conversation.changed", "conversation_id": "c1"})
            connection.request("POST", f"/live/@connections/{gone}", body, {"content-type": "application/json"})
            response = connection.getresponse()
            answers.append((response.status, response.getheader("x-amzn-errortype")))
            response.read()
        connection.close()
    finally:
        api.stop()
    # The second post was once read from the first one's unread body: a 501 the fan-out counted as failed.
    assert answers == [(410, "GoneException"), (410, "GoneException")]
