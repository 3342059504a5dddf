"""S3 buckets, with the template's versioning, encryption, CORS and public access settings."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..aws import Aws
from ..template import Physical, Template
from .base import best_effort, default_name, error_code, log


def s3_bucket(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    s3 = aws.client("s3")
    name = str(props.get("BucketName") or default_name(template, logical_id)).lower()[:63]
    try:
        s3.head_bucket(Bucket=name)
    except ClientError as error:
        if error_code(error) not in ("404", "NoSuchBucket", "NotFound"):
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
        best_effort(
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
        best_effort(
            "public access block",
            lambda: s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block),
        )
