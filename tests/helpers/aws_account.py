"""The AWS account the functional tests run in: the template's resources created in moto."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import boto3

REGION = "eu-west-3"
# One-time schedules (issue 13): the group they go in, what they invoke and the role it is invoked as.
SCHEDULE_GROUP = "inbox-test-schedules"
SCHEDULED_FUNCTION_ARN = f"arn:aws:lambda:{REGION}:123456789012:function:inbox-test-scheduled"
SCHEDULER_ROLE_ARN = "arn:aws:iam::123456789012:role/inbox-test-scheduler"


class Resources:
    def __init__(
        self,
        table: str,
        bucket: str,
        key_id: str,
        queue_url: str,
        sync_queue_url: str,
        vonage_queue_url: str,
        autoreply_queue_url: str,
        purge_queue_url: str,
    ):
        self.table, self.bucket, self.key_id = table, bucket, key_id
        self.queue_url, self.sync_queue_url, self.vonage_queue_url = queue_url, sync_queue_url, vonage_queue_url
        self.autoreply_queue_url, self.purge_queue_url = autoreply_queue_url, purge_queue_url
        self.dynamodb = boto3.client("dynamodb", region_name=REGION)
        self.s3 = boto3.client("s3", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.user_pool_id = ""  # set by create_resources
        self.search_queue_url = ""  # set by create_resources: SearchQueue (FIFO, issue 14)
        self.idp = boto3.client("cognito-idp", region_name=REGION)

    @property
    def env(self) -> dict[str, str]:
        return {
            "USER_POOL_ID": self.user_pool_id,
            "TABLE_NAME": self.table,
            "BLOB_BUCKET": self.bucket,
            "KEY_ID": self.key_id,
            "CLASSIFY_QUEUE_URL": self.queue_url,
            "SYNC_QUEUE_URL": self.sync_queue_url,
            "VONAGE_QUEUE_URL": self.vonage_queue_url,
            "AUTOREPLY_QUEUE_URL": self.autoreply_queue_url,
            "PURGE_QUEUE_URL": self.purge_queue_url,
            "SEARCH_QUEUE_URL": self.search_queue_url,
            "SCHEDULE_GROUP": SCHEDULE_GROUP,
            "SCHEDULE_TARGET_ARN": SCHEDULED_FUNCTION_ARN,
            "SCHEDULE_ROLE_ARN": SCHEDULER_ROLE_ARN,
        }

    def all_items(self) -> list[dict[str, Any]]:
        """Test-only: the table's whole content (the code under test never scans)."""
        return self.dynamodb.scan(TableName=self.table)["Items"]

    def add_person(
        self, email: str, tenant_id: str, role: str = "agent", name: str | None = None, *, listed: bool = True
    ) -> str:
        """A user of the tenant as the seed (and later the invitations) makes one: the tenant attribute, a role
        group, and the tenant's group that lists it (`listed=False` leaves that out); answers its id (sub)."""
        from inbox.adapters.user_pool import tenant_group

        attributes = [{"Name": "email", "Value": email}, {"Name": "custom:tenant_id", "Value": tenant_id}]
        if name:
            attributes.append({"Name": "name", "Value": name})
        user = self.idp.admin_create_user(
            UserPoolId=self.user_pool_id, Username=email, UserAttributes=attributes, MessageAction="SUPPRESS"
        )["User"]
        self.idp.admin_add_user_to_group(UserPoolId=self.user_pool_id, Username=email, GroupName=role)
        if listed:
            with contextlib.suppress(self.idp.exceptions.GroupExistsException):
                self.idp.create_group(UserPoolId=self.user_pool_id, GroupName=tenant_group(tenant_id))
            self.idp.admin_add_user_to_group(
                UserPoolId=self.user_pool_id, Username=email, GroupName=tenant_group(tenant_id)
            )
        return next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")

    def object_keys(self) -> list[str]:
        return [o["Key"] for o in self.s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])]

    def queued(self, queue_url: str | None = None) -> list[dict[str, Any]]:
        """Test-only: take up to ten messages off a queue (the classify queue by default)."""
        url = queue_url or self.queue_url
        messages = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]


def create_resources(resources: dict[str, Any]) -> Resources:
    """The template's table, bucket, key and queues, created in moto (mock_aws must be active)."""
    table = resources["InboxTable"]["Properties"]
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    dynamodb.create_table(
        TableName="inbox-test",
        BillingMode=table["BillingMode"],
        AttributeDefinitions=table["AttributeDefinitions"],
        KeySchema=table["KeySchema"],
        GlobalSecondaryIndexes=table["GlobalSecondaryIndexes"],
    )
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket="inbox-test-blobs", CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    key_id = boto3.client("kms", region_name=REGION).create_key(Description="inbox test")["KeyMetadata"]["Arn"]
    sqs = boto3.client("sqs", region_name=REGION)
    queue = sqs.create_queue(QueueName="inbox-test-classify")["QueueUrl"]
    sync_queue = sqs.create_queue(QueueName="inbox-test-sync")["QueueUrl"]
    vonage_queue = sqs.create_queue(QueueName="inbox-test-vonage")["QueueUrl"]
    autoreply_queue = sqs.create_queue(QueueName="inbox-test-autoreply")["QueueUrl"]
    purge_queue = sqs.create_queue(QueueName="inbox-test-purge")["QueueUrl"]
    created = Resources(
        "inbox-test", "inbox-test-blobs", key_id, queue, sync_queue, vonage_queue, autoreply_queue, purge_queue
    )
    created.user_pool_id = create_user_pool(resources)
    created.search_queue_url = sqs.create_queue(
        QueueName="inbox-test-search.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "false"}
    )["QueueUrl"]
    boto3.client("scheduler", region_name=REGION).create_schedule_group(Name=SCHEDULE_GROUP)
    return created


def create_user_pool(resources: dict[str, Any]) -> str:
    """The template's user pool (usernames are emails, the tenant attribute) and its groups."""
    pool = resources["UserPool"]["Properties"]
    idp = boto3.client("cognito-idp", region_name=REGION)
    pool_id = idp.create_user_pool(
        PoolName="inbox-test-users", UsernameAttributes=pool["UsernameAttributes"], Schema=pool["Schema"]
    )["UserPool"]["Id"]
    for resource in resources.values():
        if resource["Type"] == "AWS::Cognito::UserPoolGroup":
            idp.create_group(UserPoolId=pool_id, GroupName=resource["Properties"]["GroupName"])
    return pool_id
