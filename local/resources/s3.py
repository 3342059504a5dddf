"""S3 buckets, with the template's versioning, encryption, CORS and public access settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

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
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": _cors_rules_api(cors_rules)})
    block = props.get("PublicAccessBlockConfiguration")
    if block:
        best_effort(
            "public access block",
            lambda: s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block),
        )


def _cors_rules_api(rules: list[dict[str, Any]], more_origins: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The template's CorsRules as PutBucketCors takes them, each allowing `more_origins` too."""
    renamed = {"ExposedHeaders": "ExposeHeaders", "MaxAge": "MaxAgeSeconds", "Id": "ID"}
    api = [{renamed.get(k, k): v for k, v in rule.items()} for rule in rules]
    for rule in api:
        rule["AllowedOrigins"] = list(dict.fromkeys([*rule.get("AllowedOrigins", []), *more_origins]))
    return api


def local_web_origins(web_url: str, dev_port: int = 5173) -> list[str]:
    """Where a browser reaches the local stack's web app: the gateway's origin under both loopback
    names, and Vite's dev server (`npm run dev`), which proxies the API but not S3."""
    parts = urlsplit(web_url)
    hosts = {parts.hostname or "127.0.0.1"}
    if hosts & {"127.0.0.1", "localhost"}:
        hosts |= {"127.0.0.1", "localhost"}
    origins = [f"{parts.scheme}://{host}:{parts.port}" for host in sorted(hosts)]
    return origins + [f"http://{host}:{dev_port}" for host in ("127.0.0.1", "localhost")]


def allow_local_web_origins(template: Template, aws: Aws, origins: list[str]) -> None:
    """Every bucket with a CORS configuration also allows the local web app's origins. The template
    allows WebOrigin (the deployed app's; `http://localhost:3000` by default), but the browser reaches
    the local app at the gateway's own origin (`http://127.0.0.1:<port>`): without this, moto
    refuses the preflight of a presigned POST upload (a 403), as S3 would."""
    s3 = aws.client("s3")
    for logical_id in template.of_type("AWS::S3::Bucket"):
        if logical_id not in template.physical:
            continue
        rules = (template.resolve(template.properties(logical_id)).get("CorsConfiguration") or {}).get("CorsRules")
        if rules:
            configuration = {"CORSRules": _cors_rules_api(rules, origins)}
            s3.put_bucket_cors(Bucket=template.physical[logical_id].ref, CORSConfiguration=configuration)
