"""DynamoDB tables (and SAM's SimpleTable): created, or brought up to date with the template's
secondary indexes, stream and TTL."""

from __future__ import annotations

from typing import Any

from ..aws import Aws
from ..template import Physical, Template
from .base import best_effort, default_name, log


def _throughput(value: dict[str, Any]) -> dict[str, int]:
    return {k: int(v) for k, v in value.items()}


def dynamodb_table(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    ddb = aws.client("dynamodb")
    name = str(props.get("TableName") or default_name(template, logical_id))
    try:
        table = ddb.describe_table(TableName=name)["Table"]
    except ddb.exceptions.ResourceNotFoundException:
        table = _create_table(ddb, name, props)
    else:
        _update_indexes(ddb, table, props)
        table = _update_stream(ddb, table, props)
    ttl = props.get("TimeToLiveSpecification") or {}
    if ttl.get("Enabled"):
        current = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        if current.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
            ddb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
            )
    return Physical(name, {"Arn": table["TableArn"], "StreamArn": table.get("LatestStreamArn", "")})


def _index(index: dict[str, Any]) -> dict[str, Any]:
    keys = ("IndexName", "KeySchema", "Projection", "ProvisionedThroughput")
    return {k: _throughput(v) if k == "ProvisionedThroughput" else v for k, v in index.items() if k in keys}


def _create_table(ddb: Any, name: str, props: dict[str, Any]) -> dict[str, Any]:
    args: dict[str, Any] = {
        "TableName": name,
        "KeySchema": props["KeySchema"],
        "AttributeDefinitions": props["AttributeDefinitions"],
        "BillingMode": props.get("BillingMode", "PROVISIONED"),
    }
    if "ProvisionedThroughput" in props:
        args["ProvisionedThroughput"] = _throughput(props["ProvisionedThroughput"])
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if props.get(key):
            args[key] = [_index(index) for index in props[key]]
    if props.get("StreamSpecification"):
        args["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
    sse = props.get("SSESpecification") or {}
    if sse.get("SSEEnabled"):
        args["SSESpecification"] = {
            "Enabled": True,
            **{k: sse[k] for k in ("SSEType", "KMSMasterKeyId") if k in sse},
        }
    if props.get("Tags"):
        args["Tags"] = props["Tags"]
    table = ddb.create_table(**args)["TableDescription"]
    pitr = (props.get("PointInTimeRecoverySpecification") or {}).get("PointInTimeRecoveryEnabled")
    if pitr:
        best_effort(
            "point-in-time recovery",
            lambda: ddb.update_continuous_backups(
                TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
            ),
        )
    log.info("created table %s", name)
    return table


def _update_indexes(ddb: Any, table: dict[str, Any], props: dict[str, Any]) -> None:
    """Add the global secondary indexes the template gained, drop those it lost (one per call, as AWS)."""
    wanted = {i["IndexName"]: _index(i) for i in props.get("GlobalSecondaryIndexes") or []}
    existing = {i["IndexName"] for i in table.get("GlobalSecondaryIndexes") or []}
    name = table["TableName"]
    for index_name in sorted(existing - set(wanted)):
        ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": index_name}}])
        log.info("table %s: dropped index %s", name, index_name)
    for index_name in [n for n in wanted if n not in existing]:
        ddb.update_table(
            TableName=name,
            AttributeDefinitions=props["AttributeDefinitions"],
            GlobalSecondaryIndexUpdates=[{"Create": wanted[index_name]}],
        )
        log.info("table %s: added index %s", name, index_name)


def _update_stream(ddb: Any, table: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    """Turn on the stream a table kept from an earlier start lacks (the template gained one)."""
    wanted = props.get("StreamSpecification")
    if not wanted or (table.get("StreamSpecification") or {}).get("StreamEnabled"):
        return table
    name = table["TableName"]
    ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, **wanted})
    log.info("table %s: stream turned on", name)
    return ddb.describe_table(TableName=name)["Table"]


def simple_table(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    key = props.get("PrimaryKey") or {"Name": "id", "Type": "String"}
    attribute_type = {"String": "S", "Number": "N", "Binary": "B"}[key.get("Type", "String")]
    table_props = {
        "TableName": props.get("TableName"),
        "KeySchema": [{"AttributeName": key["Name"], "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": key["Name"], "AttributeType": attribute_type}],
        "BillingMode": "PROVISIONED" if props.get("ProvisionedThroughput") else "PAY_PER_REQUEST",
        **({"ProvisionedThroughput": props["ProvisionedThroughput"]} if props.get("ProvisionedThroughput") else {}),
    }
    return dynamodb_table(template, aws, logical_id, table_props)
