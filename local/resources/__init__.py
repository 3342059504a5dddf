"""Create the template's stateful resources in moto, as CloudFormation would, and record their ids.

Every creator is find-or-create, keyed by a deterministic physical name (the template's own name
property, else `<stack>-<LogicalId>`; KMS keys are found again through an alias). So a restart on
restored moto state, or a second start against the user's own endpoint, reuses what exists instead
of creating twins. An existing resource is brought up to date with the template the way a stack
update would for what a developer changes most: a table's secondary indexes and TTL, a queue's
attributes, a bucket's settings, a user pool's new custom attributes, an app client's settings.
Anything else (a new key schema, say) needs a fresh state directory. Types that need nothing locally
(policies, roles, layers, the HttpApi, functions) get a synthetic physical id so that `Ref` and
`GetAtt` still resolve.
"""

from __future__ import annotations

from typing import Any

from ..aws import Aws
from ..template import Physical, Template
from .base import Creator, log
from .cognito import user_pool, user_pool_client, user_pool_group
from .dynamodb import dynamodb_table, simple_table
from .events import event_bus
from .kms import kms_alias, kms_key
from .s3 import s3_bucket
from .scheduler import schedule_group
from .sqs import sqs_queue

CREATORS: dict[str, Creator] = {
    "AWS::DynamoDB::Table": dynamodb_table,
    "AWS::Serverless::SimpleTable": simple_table,
    "AWS::S3::Bucket": s3_bucket,
    "AWS::SQS::Queue": sqs_queue,
    "AWS::Events::EventBus": event_bus,
    "AWS::KMS::Key": kms_key,
    "AWS::KMS::Alias": kms_alias,
    "AWS::Cognito::UserPool": user_pool,
    "AWS::Cognito::UserPoolClient": user_pool_client,
    "AWS::Cognito::UserPoolGroup": user_pool_group,
    "AWS::Scheduler::ScheduleGroup": schedule_group,
}


def create_resources(template: Template, aws: Aws, api_endpoint: str = "", websocket_endpoint: str = "") -> None:
    """Create (or find) every resource, dependencies first, and fill `template.physical`; the
    endpoints are the local HTTP gateway's and WebSocket server's (the APIs' `ApiEndpoint`)."""
    for logical_id in template.creation_order():
        if not template.is_active(logical_id):
            continue
        kind = template.resources[logical_id].get("Type", "")
        creator = CREATORS.get(kind)
        if creator is None:
            endpoint = websocket_endpoint if _is_websocket_api(template, logical_id) else api_endpoint
            template.physical[logical_id] = _synthetic(template, logical_id, kind, endpoint)
            continue
        props = template.resolve(template.properties(logical_id))
        template.physical[logical_id] = creator(template, aws, logical_id, props)
        log.debug("%s ready: %s", logical_id, template.physical[logical_id].ref)


def _is_websocket_api(template: Template, logical_id: str) -> bool:
    props = template.resources[logical_id].get("Properties") or {}
    return str(props.get("ProtocolType", "")).upper() == "WEBSOCKET"


class _Placeholders(dict):
    """GetAtt of a resource that does not exist locally: a recognisable, harmless placeholder."""

    def __init__(self, prefix: str, known: dict[str, Any]):
        super().__init__(known)
        self.prefix = prefix

    def __missing__(self, attribute: str) -> str:
        return f"{self.prefix}/{attribute}"


def _synthetic(template: Template, logical_id: str, kind: str, api_endpoint: str) -> Physical:
    region, account = template.region, template.account_id
    name = f"{template.stack_name}-{logical_id}"
    if kind == "AWS::Serverless::Function":
        props = template.resources[logical_id].get("Properties") or {}
        name = str(template.resolve(props.get("FunctionName") or name))[:64]
        arn = f"arn:aws:lambda:{region}:{account}:function:{name}"
        return Physical(name, {"Arn": arn})
    if kind in ("AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"):
        return Physical(f"arn:aws:lambda:{region}:{account}:layer:{name}:1", {})
    if kind in ("AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"):
        api_id = "local-live" if _is_websocket_api(template, logical_id) else "local"
        return Physical(api_id, {"ApiEndpoint": api_endpoint, "ApiId": api_id})
    if kind == "AWS::ApiGatewayV2::Stage":  # its Ref is the stage's name, the last part of its URL
        props = template.resources[logical_id].get("Properties") or {}
        return Physical(str(template.resolve(props.get("StageName", "$default"))), {})
    return Physical(name, _Placeholders(f"arn:aws:local:{region}:{account}:{logical_id}", {}))
