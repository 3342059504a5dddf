"""SQS queues, created or given the template's attributes."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from ..aws import Aws
from ..template import Physical, Template
from .base import default_name, error_code, log

_QUEUE_ATTRIBUTES = (
    "DelaySeconds",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "VisibilityTimeout",
    "RedrivePolicy",
    "RedriveAllowPolicy",
    "FifoQueue",
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "SqsManagedSseEnabled",
)


def _attribute_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, dict | list) else str(value)


def sqs_queue(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    sqs = aws.client("sqs")
    fifo = _attribute_string(props.get("FifoQueue", False)) == "true"
    name = str(props.get("QueueName") or default_name(template, logical_id) + (".fifo" if fifo else ""))
    attributes = {k: _attribute_string(props[k]) for k in _QUEUE_ATTRIBUTES if k in props}
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except ClientError as error:
        if "NonExistentQueue" not in error_code(error) and "QueueDoesNotExist" not in error_code(error):
            raise
        tags = {t["Key"]: str(t["Value"]) for t in props.get("Tags") or []}
        url = sqs.create_queue(QueueName=name, Attributes=attributes, tags=tags)["QueueUrl"]
        log.info("created queue %s", name)
    else:
        changeable = {k: v for k, v in attributes.items() if k != "FifoQueue"}
        if changeable:
            sqs.set_queue_attributes(QueueUrl=url, Attributes=changeable)
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return Physical(url, {"Arn": arn, "QueueName": name, "QueueUrl": url})
