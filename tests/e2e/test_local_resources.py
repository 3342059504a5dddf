"""The local stack creates the template's resources in moto, finds them again, and follows template edits."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from local.aws import Aws, configure_credentials
from local.resources import create_resources
from local.state import MotoServer
from local.template import Template

pytestmark = pytest.mark.e2e

RESOURCES = {
    "Key": {"Type": "AWS::KMS::Key", "Properties": {"Description": "k", "EnableKeyRotation": True}},
    "Table": {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [
                {"AttributeName": "PK", "AttributeType": "S"},
                {"AttributeName": "GSI1PK", "AttributeType": "S"},
            ],
            "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}],
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": "GSI1",
                    "KeySchema": [{"AttributeName": "GSI1PK", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
            "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": {"Ref": "Key"}},
        },
    },
    "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "Enabled"}}},
    "DLQ": {"Type": "AWS::SQS::Queue"},
    "Queue": {
        "Type": "AWS::SQS::Queue",
        "Properties": {
            "VisibilityTimeout": 30,
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["DLQ", "Arn"]}, "maxReceiveCount": 3},
        },
    },
    "Pool": {
        "Type": "AWS::Cognito::UserPool",
        "Properties": {
            "UserPoolName": {"Fn::Sub": "${AWS::StackName}-users"},
            "UsernameAttributes": ["email"],
            "Schema": [
                {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
                {"Name": "tenant_id", "AttributeDataType": "String", "Mutable": False},
            ],
        },
    },
    "Client": {
        "Type": "AWS::Cognito::UserPoolClient",
        "Properties": {
            "UserPoolId": {"Ref": "Pool"},
            "ClientName": "web",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        },
    },
    "Admins": {
        "Type": "AWS::Cognito::UserPoolGroup",
        "Properties": {"UserPoolId": {"Ref": "Pool"}, "GroupName": "admin"},
    },
    "Policy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [{"Ref": "Queue"}]}},
}


@pytest.fixture
def aws():
    configure_credentials("eu-west-3")
    server = MotoServer()
    server.start()
    try:
        yield Aws(server.url, "eu-west-3")
    finally:
        server.stop()


def build(aws: Aws, resources: dict) -> Template:
    template = Template({"Resources": copy.deepcopy(resources)}, Path("."), stack_name="res")
    create_resources(template, aws)
    return template


def test_resources_are_created_like_cloudformation_would(aws):
    template = build(aws, RESOURCES)
    physical = template.physical
    assert physical["Table"].ref == "res-Table"
    assert physical["Bucket"].ref == "res-bucket"
    assert physical["Queue"].ref.endswith("/res-Queue")  # Ref of a queue is its URL
    assert physical["Queue"].attrs["Arn"] == "arn:aws:sqs:eu-west-3:123456789012:res-Queue"
    assert physical["Key"].attrs["Arn"].endswith(physical["Key"].ref)  # Ref of a key is its id
    assert physical["Pool"].ref.startswith("eu-west-3_")
    assert physical["Admins"].ref == "admin"
    assert physical["Policy"].ref == "res-Policy"  # nothing to create locally, still referable

    sqs = aws.client("sqs")
    attributes = sqs.get_queue_attributes(QueueUrl=physical["Queue"].ref, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "30"
    assert physical["DLQ"].attrs["Arn"] in attributes["RedrivePolicy"]
    ddb = aws.client("dynamodb")
    assert ddb.describe_time_to_live(TableName="res-Table")["TimeToLiveDescription"]["AttributeName"] == "expires_at"
    assert aws.client("s3").get_bucket_versioning(Bucket="res-bucket")["Status"] == "Enabled"
    pool = aws.client("cognito-idp").describe_user_pool(UserPoolId=physical["Pool"].ref)["UserPool"]
    assert pool["Name"] == "res-users"
    assert "custom:tenant_id" in {a["Name"] for a in pool["SchemaAttributes"]}


def test_resources_are_found_again_and_follow_template_edits(aws):
    first = build(aws, RESOURCES)
    ddb = aws.client("dynamodb")
    ddb.put_item(TableName="res-Table", Item={"PK": {"S": "a"}, "GSI2PK": {"S": "tenant#1"}})

    edited = copy.deepcopy(RESOURCES)
    table = edited["Table"]["Properties"]
    table["AttributeDefinitions"].append({"AttributeName": "GSI2PK", "AttributeType": "S"})
    table["GlobalSecondaryIndexes"].append(
        {
            "IndexName": "GSI2",
            "KeySchema": [{"AttributeName": "GSI2PK", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }
    )
    edited["Queue"]["Properties"]["VisibilityTimeout"] = 60
    edited["Pool"]["Properties"]["Schema"].append({"Name": "plan", "AttributeDataType": "String", "Mutable": True})
    edited["Client"]["Properties"]["ExplicitAuthFlows"].append("ALLOW_USER_SRP_AUTH")
    second = build(aws, edited)

    for name in RESOURCES:
        assert second.physical[name].ref == first.physical[name].ref, name
    found = ddb.query(
        TableName="res-Table",
        IndexName="GSI2",
        KeyConditionExpression="GSI2PK = :t",
        ExpressionAttributeValues={":t": {"S": "tenant#1"}},
    )["Items"]
    assert [i["PK"]["S"] for i in found] == ["a"]  # the new index, over the data already there
    queue = second.physical["Queue"].ref
    attributes = aws.client("sqs").get_queue_attributes(QueueUrl=queue, AttributeNames=["VisibilityTimeout"])
    assert attributes["Attributes"]["VisibilityTimeout"] == "60"
    idp = aws.client("cognito-idp")
    pool = idp.describe_user_pool(UserPoolId=second.physical["Pool"].ref)["UserPool"]
    assert "custom:plan" in {a["Name"] for a in pool["SchemaAttributes"]}
    client = idp.describe_user_pool_client(
        UserPoolId=second.physical["Pool"].ref, ClientId=second.physical["Client"].ref
    )
    assert "ALLOW_USER_SRP_AUTH" in client["UserPoolClient"]["ExplicitAuthFlows"]
    assert len(idp.list_user_pools(MaxResults=60)["UserPools"]) == 1
    assert len(aws.client("kms").list_keys()["Keys"]) == 1


def test_the_templates_web_app_resources_are_a_private_bucket_and_fakes_for_cloudfront(aws):
    # The local stack serves web/dist itself; CloudFront's types get synthetic ids, the bucket is real.
    template = Template.load(Path(__file__).resolve().parents[2] / "template.yaml", stack_name="res")
    create_resources(template, aws, api_endpoint="http://127.0.0.1:3000")

    physical = template.physical
    block = aws.client("s3").get_public_access_block(Bucket=physical["WebBucket"].ref)
    assert all(block["PublicAccessBlockConfiguration"].values())
    for name in ("WebDistribution", "WebOriginAccessControl", "WebSecurityHeaders", "WebBucketPolicy"):
        assert physical[name].ref == f"res-{name}", name
    assert physical["WebOriginAccessControl"].attrs["Id"].endswith("/Id")  # GetAtt resolves to a placeholder


def test_the_blob_bucket_takes_a_presigned_post_from_the_local_web_apps_origin_only(aws):
    # The browser uploads a reply's files straight to the bucket (issue 13, item 4): the template allows
    # WebOrigin, the local stack adds where its app is really served, and moto answers like S3.
    import requests

    from local.resources.s3 import allow_local_web_origins, local_web_origins

    template = Template.load(Path(__file__).resolve().parents[2] / "template.yaml", stack_name="res")
    create_resources(template, aws, api_endpoint="http://127.0.0.1:3999")
    origins = local_web_origins("http://127.0.0.1:3999")
    assert origins == [
        "http://127.0.0.1:3999",
        "http://localhost:3999",
        "http://127.0.0.1:5173",
        "http://localhost:5173",
    ]
    allow_local_web_origins(template, aws, origins)
    bucket = template.physical["BlobBucket"].ref
    s3 = aws.client("s3")
    allowed = s3.get_bucket_cors(Bucket=bucket)["CORSRules"][0]["AllowedOrigins"]
    assert allowed == ["http://localhost:3000", *origins]  # WebOrigin's default first

    def preflight(origin: str) -> requests.Response:
        headers = {"Origin": origin, "Access-Control-Request-Method": "POST"}
        return requests.options(f"{aws.endpoint_url}/{bucket}", headers=headers, timeout=10)

    answer = preflight("http://127.0.0.1:3999")
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "http://127.0.0.1:3999"
    assert preflight("https://elsewhere.example").status_code == 403

    post = s3.generate_presigned_post(bucket, "uploads/t/c/u1", Fields={"Content-Type": "application/pdf"})
    sent = requests.post(
        post["url"],
        data=post["fields"],
        files={"file": ("a.pdf", b"%PDF-1.4\n", "application/pdf")},
        headers={"Origin": "http://127.0.0.1:3999"},
        timeout=10,
    )
    assert sent.status_code == 204, sent.text
    assert sent.headers["access-control-allow-origin"] == "http://127.0.0.1:3999"
    assert s3.get_object(Bucket=bucket, Key="uploads/t/c/u1")["Body"].read() == b"%PDF-1.4\n"
