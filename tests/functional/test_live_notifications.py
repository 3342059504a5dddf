"""Issue 13, item 2: a new notification reaches that person's open apps alone. A connection knows its
user, so the fan-out sends `notifications.changed` to the assignee's connections only; a colleague's app
of the same tenant hears the conversation change but never another person's notification."""

from __future__ import annotations

import test_live_update_connections as live

from helpers.events import LambdaContext, api_request
from inbox import wiring
from inbox.models.notification import NotificationKind

TENANT = "tenant-sample"
connect, stream_records = live.connect, live.stream_records
# The open apps, their tokens and the management API, as the live-update tests have them.
management_api, pools, realtime = live.management_api, live.pools, live.realtime


def enable_stream(aws) -> None:
    aws.dynamodb.update_table(
        TableName=aws.table, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    )


def told(management_api, connection_id: str, kind: str) -> list[dict]:
    return [e for e in management_api.posted.get(connection_id, []) if e["type"] == kind]


def test_an_assignment_is_pushed_to_the_assignees_apps_only(aws, api, realtime, pools, management_api, post_webhook):
    enable_stream(aws)
    assert connect(realtime, "conn-lea-1", pools.id_token(user="user-lea")) == 200
    assert connect(realtime, "conn-lea-2", pools.id_token(user="user-lea")) == 200
    assert connect(realtime, "conn-bram", pools.id_token(user="user-bram")) == 200
    status, accepted = post_webhook()
    assert status == 202, accepted
    wiring.notifications().notify(TENANT, "user-lea", NotificationKind.ASSIGNED, conversation_id="c1", actor_id="me")

    realtime.fan_out_handler({"Records": stream_records(aws)}, LambdaContext())

    for connection in ("conn-lea-1", "conn-lea-2"):
        [event] = told(management_api, connection, "notifications.changed")
        assert (event["change"], event["user_id"]) == ("created", "user-lea")
    assert told(management_api, "conn-bram", "notifications.changed") == []
    assert told(management_api, "conn-bram", "conversation.changed")  # the shared events still reach everyone


def test_reading_a_notification_tells_the_persons_other_apps(aws, api, realtime, pools, management_api):
    notification = wiring.notifications().notify(TENANT, "user-lea", NotificationKind.TASK_DUE, task_id="k1")
    enable_stream(aws)
    assert connect(realtime, "conn-lea", pools.id_token(user="user-lea")) == 200
    assert connect(realtime, "conn-bram", pools.id_token(user="user-bram")) == 200
    claims = {"sub": "user-lea", "cognito:groups": "[agent]"}
    assert api(api_request("POST", f"/notifications/{notification.id}/read", **claims))[0] == 200

    realtime.fan_out_handler({"Records": stream_records(aws)}, LambdaContext())

    [event] = told(management_api, "conn-lea", "notifications.changed")
    assert (event["change"], event["notification_id"]) == ("read", notification.id)
    assert "conn-bram" not in management_api.posted  # nothing of hers, and nothing shared changed
