"""Deploying the web app (issue 11, item 10): what the template serves it with, what scripts/deploy.sh runs,
and scripts/publish_web.py against moto's S3, CloudFront and CloudFormation. A real deploy needs AWS."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from helpers.events import REPO

sys.path.insert(0, str(REPO / "scripts"))
import migrate  # scripts/ is not a package
import publish_web

REGION = "eu-west-3"


def resource(template, name: str, kind: str) -> dict:
    assert template["Resources"][name]["Type"] == kind, name
    return template["Resources"][name].get("Properties", {})


def test_template_serves_the_app_from_a_private_bucket_through_cloudfront_only(template):
    bucket = resource(template, "WebBucket", "AWS::S3::Bucket")
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    oac = resource(template, "WebOriginAccessControl", "AWS::CloudFront::OriginAccessControl")
    assert oac["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    config = resource(template, "WebDistribution", "AWS::CloudFront::Distribution")["DistributionConfig"]
    [origin] = config["Origins"]
    assert origin["DomainName"] == {"Fn::GetAtt": ["WebBucket", "RegionalDomainName"]}
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["WebOriginAccessControl", "Id"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}  # no legacy identity: OAC signs
    behaviour = config["DefaultCacheBehavior"]
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "WebSecurityHeaders"}
    # The app routes in the browser: a path S3 does not have (403: the bucket is not listable) is index.html.
    fallback = {(e["ErrorCode"], e["ResponseCode"], e["ResponsePagePath"]) for e in config["CustomErrorResponses"]}
    assert fallback == {(403, 200, "/index.html"), (404, 200, "/index.html")}

    policy = resource(template, "WebBucketPolicy", "AWS::S3::BucketPolicy")
    assert policy["Bucket"] == {"Ref": "WebBucket"}
    [read] = [s for s in policy["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert read["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert read["Action"] == "s3:GetObject"
    assert "${WebDistribution}" in read["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]


def test_template_csp_lets_the_app_reach_the_api_cognito_and_the_websocket_and_nothing_else(template):
    headers = resource(template, "WebSecurityHeaders", "AWS::CloudFront::ResponseHeadersPolicy")
    security = headers["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    directives = {d.split()[0]: d.split()[1:] for d in (part.strip() for part in csp.split(";"))}
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]  # an email's own styles, in its frame
    assert directives["connect-src"] == [
        "'self'",
        "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}",
        "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}",
        "${WebSocketApi.ApiEndpoint}",
        "https://${BlobBucket}.s3.${AWS::URLSuffix}",  # a reply's files, uploaded by presigned POST
        "https://${BlobBucket.RegionalDomainName}",
    ]
    assert directives["frame-ancestors"] == ["'none'"]
    assert security["FrameOptions"]["FrameOption"] == "DENY"
    assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000


def test_template_blob_bucket_lets_the_web_app_post_uploads_and_nothing_else(template):
    rules = resource(template, "BlobBucket", "AWS::S3::Bucket")["CorsConfiguration"]["CorsRules"]
    assert [(rule["AllowedOrigins"], rule["AllowedMethods"]) for rule in rules] == [([{"Ref": "WebOrigin"}], ["POST"])]


def test_template_api_cors_allows_the_web_origin_and_outputs_what_the_deploy_reads(template):
    cors = resource(template, "HttpApi", "AWS::Serverless::HttpApi")["CorsConfiguration"]
    assert cors["AllowOrigins"] == [{"Ref": "WebOrigin"}]
    read = {*publish_web.CONFIG_OUTPUTS.values(), publish_web.BUCKET_OUTPUT, publish_web.DISTRIBUTION_OUTPUT}
    read.add(publish_web.URL_OUTPUT)
    read.add(migrate.TABLE_OUTPUT)
    assert read <= set(template["Outputs"])
    assert template["Outputs"]["WebUrl"]["Value"] == {"Fn::Sub": "https://${WebDistribution.DomainName}"}


def test_publish_config_has_the_keys_of_the_local_stacks_config():
    from local.webapp import web_config

    assert set(publish_web.CONFIG_OUTPUTS) == set(web_config({}))


# ---------------------------------------------------------------- publish_web.py against moto

STACK_TEMPLATE = {
    "Parameters": {"Distribution": {"Type": "String"}},
    "Resources": {"WebBucket": {"Type": "AWS::S3::Bucket"}},
    "Outputs": {
        "WebBucketName": {"Value": {"Ref": "WebBucket"}},
        "WebDistributionId": {"Value": {"Ref": "Distribution"}},
        "WebUrl": {"Value": "https://d111111abcdef8.cloudfront.net"},
        "ApiOrigin": {"Value": "https://abc123.execute-api.eu-west-3.amazonaws.com"},
        "WebSocketUrl": {"Value": "wss://def456.execute-api.eu-west-3.amazonaws.com/live"},
        "Region": {"Value": REGION},
        "UserPoolId": {"Value": "eu-west-3_pool"},
        "UserPoolClientId": {"Value": "client123"},
        "CognitoEndpoint": {"Value": "https://cognito-idp.eu-west-3.amazonaws.com/"},
    },
}


@pytest.fixture
def deployed(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        cloudfront = boto3.client("cloudfront")
        distribution = cloudfront.create_distribution(
            DistributionConfig={
                "CallerReference": "web",
                "Comment": "",
                "Enabled": True,
                "Origins": {"Quantity": 1, "Items": [{"Id": "web", "DomainName": "web.s3.amazonaws.com"}]},
                "DefaultCacheBehavior": {"TargetOriginId": "web", "ViewerProtocolPolicy": "redirect-to-https"},
            }
        )["Distribution"]["Id"]
        boto3.client("cloudformation").create_stack(
            StackName="inbox",
            TemplateBody=json.dumps(STACK_TEMPLATE),
            Parameters=[{"ParameterKey": "Distribution", "ParameterValue": distribution}],
        )
        yield boto3.session.Session(), distribution


def built_app(root: Path) -> Path:
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text('<script type="module" src="/assets/index-abc.js"></script>')
    (root / "assets" / "index-abc.js").write_text("console.log(1)")
    (root / "assets" / "index-abc.js.map").write_text("{}")
    (root / "assets" / "index-def.css").write_text("body{}")
    return root


def test_publish_uploads_the_build_its_config_and_invalidates_the_entry_points(deployed, tmp_path):
    session, distribution = deployed

    done = publish_web.publish(session, "inbox", built_app(tmp_path / "dist"))

    assert done["uploaded"] == ["assets/index-abc.js", "assets/index-def.css", "index.html"]  # index.html last
    s3 = session.client("s3")
    bucket = done["bucket"]
    heads = {key: s3.head_object(Bucket=bucket, Key=key) for key in [*done["uploaded"], "config.json"]}
    assert {k: h["CacheControl"] for k, h in heads.items()} == {
        "assets/index-abc.js": "public, max-age=31536000, immutable",
        "assets/index-def.css": "public, max-age=31536000, immutable",
        "index.html": "no-cache",
        "config.json": "no-cache",
    }
    assert heads["assets/index-abc.js"]["ContentType"].startswith(("text/javascript", "application/javascript"))
    assert heads["index.html"]["ContentType"] == "text/html; charset=utf-8"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert not [k for k in keys if k.endswith(".map")]
    config = json.loads(s3.get_object(Bucket=bucket, Key="config.json")["Body"].read())
    assert config == {
        "apiBaseUrl": "https://abc123.execute-api.eu-west-3.amazonaws.com",
        "websocketUrl": "wss://def456.execute-api.eu-west-3.amazonaws.com/live",
        "region": REGION,
        "userPoolId": "eu-west-3_pool",
        "userPoolClientId": "client123",
        "cognitoEndpoint": "https://cognito-idp.eu-west-3.amazonaws.com/",
    }
    invalidation = session.client("cloudfront").get_invalidation(DistributionId=distribution, Id=done["invalidation"])
    assert invalidation["Invalidation"]["InvalidationBatch"]["Paths"]["Items"] == ["/", "/index.html", "/config.json"]
    assert done["url"] == "https://d111111abcdef8.cloudfront.net"


def test_publish_origin_is_the_web_url_or_nothing_before_the_first_deploy(deployed):
    session, _ = deployed
    cloudformation = session.client("cloudformation")
    assert publish_web.stack_outputs(cloudformation, "inbox")["WebUrl"] == "https://d111111abcdef8.cloudfront.net"
    assert publish_web.stack_outputs(cloudformation, "not-deployed") is None


def test_publish_refuses_an_unbuilt_app(deployed, tmp_path):
    session, _ = deployed
    with pytest.raises(SystemExit, match="make web"):
        publish_web.publish(session, "inbox", tmp_path)


# ---------------------------------------------------------------- scripts/deploy.sh, its AWS tools stubbed

STUB = """#!/bin/sh
echo "$(basename "$0") $*" >> "$LOG"
case "$*" in
  *"publish_web.py origin"*) cat "$STATE" 2>/dev/null || true ;;
  deploy*) echo "https://d1.cloudfront.net" > "$STATE" ;;  # the first deploy made the distribution
esac
"""


def run_deploy(tmp_path: Path, **env: str) -> list[str]:
    for name in ("sam", "python"):
        stub = tmp_path / name
        stub.write_text(STUB)
        stub.chmod(stub.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "log"
    variables = {"SAM": str(tmp_path / "sam"), "PYTHON": str(tmp_path / "python"), "LOG": str(log)}
    variables["STATE"] = str(tmp_path / "state")
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "deploy.sh"), "--no-confirm-changeset"],
        env=os.environ | variables | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return log.read_text().splitlines()


def test_deploy_builds_deploys_twice_the_first_time_to_allow_the_new_distribution_then_publishes(tmp_path):
    assert run_deploy(tmp_path, PARAMETERS="LogLevel=DEBUG") == [
        "python scripts/publish_web.py origin --stack inbox",
        "sam build",
        "sam deploy --stack-name inbox --no-fail-on-empty-changeset --parameter-overrides LogLevel=DEBUG "
        "--no-confirm-changeset",
        "python scripts/publish_web.py origin --stack inbox",
        "sam deploy --stack-name inbox --no-fail-on-empty-changeset --parameter-overrides LogLevel=DEBUG "
        "WebOrigin=https://d1.cloudfront.net --no-confirm-changeset",
        "python scripts/migrate.py --stack inbox",
        "python scripts/publish_web.py publish --stack inbox --dist web/dist",
    ]
    # Later deploys pass the distribution's URL at once and deploy once.
    (tmp_path / "log").unlink()
    assert run_deploy(tmp_path) == [
        "python scripts/publish_web.py origin --stack inbox",
        "sam build",
        "sam deploy --stack-name inbox --no-fail-on-empty-changeset --parameter-overrides "
        "WebOrigin=https://d1.cloudfront.net --no-confirm-changeset",
        "python scripts/publish_web.py origin --stack inbox",
        "python scripts/migrate.py --stack inbox",
        "python scripts/publish_web.py publish --stack inbox --dist web/dist",
    ]


def test_deploy_with_its_own_web_origin_deploys_once_with_it(tmp_path):
    lines = run_deploy(tmp_path, WEB_ORIGIN="https://inbox.example.com", STACK_NAME="shop")
    assert lines == [
        "sam build",
        "sam deploy --stack-name shop --no-fail-on-empty-changeset --parameter-overrides "
        "WebOrigin=https://inbox.example.com --no-confirm-changeset",
        "python scripts/migrate.py --stack shop",
        "python scripts/publish_web.py publish --stack shop --dist web/dist",
    ]
