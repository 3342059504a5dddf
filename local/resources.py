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

import json
import logging
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from .aws import Aws
from .template import Physical, Template

log = logging.getLogger("local")

Creator = Callable[[Template, Aws, str, dict[str, Any]], Physical]


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


def _api_args(client: Any, operation: str, props: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The properties that are also parameters of the API call (CloudFormation mostly reuses the names)."""
    members = client.meta.service_model.operation_model(operation).input_shape.members
    return {k: v for k, v in props.items() if k in members and k not in skip}


def _default_name(template: Template, logical_id: str) -> str:
    return f"{template.stack_name}-{logical_id}"


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _best_effort(what: str, call: Callable[[], Any]) -> None:
    """Settings that change nothing locally (backups, public access...) must not stop the stack."""
    try:
        call()
    except (ClientError, NotImplementedError) as error:
        log.debug("%s not applied locally: %s", what, error)


# ---------------------------------------------------------------------- DynamoDB
def _throughput(value: dict[str, Any]) -> dict[str, int]:
    return {k: int(v) for k, v in value.items()}


def _table(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    ddb = aws.client("dynamodb")
    name = str(props.get("TableName") or _default_name(template, logical_id))
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
        _best_effort(
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


def _simple_table(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    key = props.get("PrimaryKey") or {"Name": "id", "Type": "String"}
    attribute_type = {"String": "S", "Number": "N", "Binary": "B"}[key.get("Type", "String")]
    table_props = {
        "TableName": props.get("TableName"),
        "KeySchema": [{"AttributeName": key["Name"], "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": key["Name"], "AttributeType": attribute_type}],
        "BillingMode": "PROVISIONED" if props.get("ProvisionedThroughput") else "PAY_PER_REQUEST",
        **({"ProvisionedThroughput": props["ProvisionedThroughput"]} if props.get("ProvisionedThroughput") else {}),
    }
    return _table(template, aws, logical_id, table_props)


# ---------------------------------------------------------------------- S3
def _bucket(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    s3 = aws.client("s3")
    name = str(props.get("BucketName") or _default_name(template, logical_id)).lower()[:63]
    try:
        s3.head_bucket(Bucket=name)
    except ClientError as error:
        if _error_code(error) not in ("404", "NoSuchBucket", "NotFound"):
            raise
        _create_bucket(s3, name, template.region)
    _configure_bucket(s3, name, props)
    attrs = {
        "Arn": f"arn:aws:s3:::{name}",
        "DomainName": f"{name}.s3.amazonaws.com",
        "RegionalDomainName": f"{name}.s3.{template.region}.amazonaws.com",
        "DualStackDomainName": f"{name}.s3.dualstack.{template.region}.amazonaws.com",
        "WebsiteURL": f"http://{name}.s3-website.{template.region}.amazonaws.com",
    }
    return Physical(name, attrs)


def _create_bucket(s3: Any, name: str, region: str) -> None:
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    log.info("created bucket %s", name)


def _configure_bucket(s3: Any, name: str, props: dict[str, Any]) -> None:
    """The template's bucket settings; idempotent, so applied on every start."""
    status = (props.get("VersioningConfiguration") or {}).get("Status")
    if status:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": status})
    rules = [
        {"ApplyServerSideEncryptionByDefault" if k == "ServerSideEncryptionByDefault" else k: v for k, v in r.items()}
        for r in (props.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration") or []
    ]
    if rules:
        _best_effort(
            "bucket encryption",
            lambda: s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules}),
        )
    cors_rules = (props.get("CorsConfiguration") or {}).get("CorsRules")
    if cors_rules:
        renamed = {"ExposedHeaders": "ExposeHeaders", "MaxAge": "MaxAgeSeconds", "Id": "ID"}
        rules_api = [{renamed.get(k, k): v for k, v in rule.items()} for rule in cors_rules]
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": rules_api})
    block = props.get("PublicAccessBlockConfiguration")
    if block:
        _best_effort(
            "public access block",
            lambda: s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block),
        )


# ---------------------------------------------------------------------- SQS
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


def _queue(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    sqs = aws.client("sqs")
    fifo = _attribute_string(props.get("FifoQueue", False)) == "true"
    name = str(props.get("QueueName") or _default_name(template, logical_id) + (".fifo" if fifo else ""))
    attributes = {k: _attribute_string(props[k]) for k in _QUEUE_ATTRIBUTES if k in props}
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except ClientError as error:
        if "NonExistentQueue" not in _error_code(error) and "QueueDoesNotExist" not in _error_code(error):
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


# ---------------------------------------------------------------------- KMS
def _key(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    kms = aws.client("kms")
    alias = f"alias/{template.stack_name}/{logical_id}"  # how a restart finds the same key material
    try:
        metadata = kms.describe_key(KeyId=alias)["KeyMetadata"]
    except kms.exceptions.NotFoundException:
        args = _api_args(kms, "CreateKey", props, skip=("Tags", "Policy"))
        if props.get("KeyPolicy"):
            policy = props["KeyPolicy"]
            args["Policy"] = policy if isinstance(policy, str) else json.dumps(policy)
        args["Tags"] = [{"TagKey": t["Key"], "TagValue": str(t["Value"])} for t in props.get("Tags") or []]
        metadata = kms.create_key(**args)["KeyMetadata"]
        kms.create_alias(AliasName=alias, TargetKeyId=metadata["KeyId"])
        if props.get("EnableKeyRotation"):
            _best_effort("key rotation", lambda: kms.enable_key_rotation(KeyId=metadata["KeyId"]))
        if props.get("Enabled") is False:
            kms.disable_key(KeyId=metadata["KeyId"])
        log.info("created KMS key %s", alias)
    return Physical(metadata["KeyId"], {"Arn": metadata["Arn"], "KeyId": metadata["KeyId"]})


def _alias(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    kms = aws.client("kms")
    name = str(props["AliasName"])
    try:
        kms.describe_key(KeyId=name)
    except kms.exceptions.NotFoundException:
        kms.create_alias(AliasName=name, TargetKeyId=str(props["TargetKeyId"]))
    return Physical(name, {})


# ---------------------------------------------------------------------- Cognito
def _pages(call: Callable[..., dict[str, Any]], key: str, **kwargs: Any) -> list[dict[str, Any]]:
    items, token = [], None
    while True:
        page = call(**kwargs, **({"NextToken": token} if token else {}))
        items.extend(page.get(key) or [])
        token = page.get("NextToken")
        if not token:
            return items


def _user_pool(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    idp = aws.client("cognito-idp")
    name = str(props.get("UserPoolName") or _default_name(template, logical_id))
    found = [p for p in _pages(idp.list_user_pools, "UserPools", MaxResults=60) if p["Name"] == name]
    if found:
        pool_id = found[0]["Id"]
        _add_custom_attributes(idp, pool_id, props.get("Schema") or [])
    else:
        # LambdaConfig names functions Cognito cannot call locally.
        args = _api_args(idp, "CreateUserPool", props, skip=("LambdaConfig",))
        pool_id = idp.create_user_pool(PoolName=name, **args)["UserPool"]["Id"]
        log.info("created user pool %s", name)
    provider = f"cognito-idp.{template.region}.amazonaws.com/{pool_id}"
    arn = f"arn:aws:cognito-idp:{template.region}:{template.account_id}:userpool/{pool_id}"
    attrs = {
        "Arn": arn,
        "ProviderName": provider,
        "ProviderURL": f"https://{provider}",
        "UserPoolId": pool_id,
    }
    return Physical(pool_id, attrs)


_STANDARD_ATTRIBUTES = {
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
}


def _add_custom_attributes(idp: Any, pool_id: str, schema: list[dict[str, Any]]) -> None:
    """Custom attributes can only be added to a pool: add those the template gained."""
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    existing = {a["Name"] for a in pool.get("SchemaAttributes") or []}
    missing = [a for a in schema if a["Name"] not in _STANDARD_ATTRIBUTES and f"custom:{a['Name']}" not in existing]
    if missing:
        idp.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=missing)
        log.info("user pool %s: added custom attributes %s", pool_id, ", ".join(a["Name"] for a in missing))


def _user_pool_client(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    idp = aws.client("cognito-idp")
    pool_id = str(props["UserPoolId"])
    name = str(props.get("ClientName") or _default_name(template, logical_id))
    clients = _pages(idp.list_user_pool_clients, "UserPoolClients", UserPoolId=pool_id, MaxResults=60)
    found = [c for c in clients if c["ClientName"] == name]
    if found:
        client_id = found[0]["ClientId"]
        args = _api_args(idp, "UpdateUserPoolClient", props, skip=("UserPoolId", "ClientId", "ClientName"))
        idp.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, ClientName=name, **args)
    else:
        args = _api_args(idp, "CreateUserPoolClient", props, skip=("UserPoolId", "ClientName"))
        client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName=name, **args)["UserPoolClient"][
            "ClientId"
        ]
        log.info("created user pool client %s", name)
    client = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    return Physical(client_id, {"ClientSecret": client.get("ClientSecret", ""), "Name": name})


def _user_pool_group(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    idp = aws.client("cognito-idp")
    pool_id, name = str(props["UserPoolId"]), str(props.get("GroupName") or logical_id)
    try:
        idp.get_group(UserPoolId=pool_id, GroupName=name)
    except idp.exceptions.ResourceNotFoundException:
        args = _api_args(idp, "CreateGroup", props, skip=("UserPoolId", "GroupName", "RoleArn"))
        idp.create_group(UserPoolId=pool_id, GroupName=name, **args)
    return Physical(name, {})


CREATORS: dict[str, Creator] = {
    "AWS::DynamoDB::Table": _table,
    "AWS::Serverless::SimpleTable": _simple_table,
    "AWS::S3::Bucket": _bucket,
    "AWS::SQS::Queue": _queue,
    "AWS::KMS::Key": _key,
    "AWS::KMS::Alias": _alias,
    "AWS::Cognito::UserPool": _user_pool,
    "AWS::Cognito::UserPoolClient": _user_pool_client,
    "AWS::Cognito::UserPoolGroup": _user_pool_group,
}
