"""Publish the built web app to the stack's bucket and tell CloudFront (scripts/deploy.sh runs it).

    python scripts/publish_web.py origin  [--stack inbox]   # the WebUrl output, or nothing before the first deploy
    python scripts/publish_web.py publish [--stack inbox] [--dist web/dist]

`publish` uploads web/dist (hashed files under assets/ cached for a year, the rest revalidated on every
load, source maps left out), writes config.json from the stack's outputs (what web/src/config.ts reads,
the same keys as the local stack's, local/webapp.py), and invalidates what is not content-addressed.
Files of earlier versions stay: an app still open in a tab may yet load one of its chunks.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import time
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

ROOT = Path(__file__).resolve().parents[1]
IMMUTABLE = "public, max-age=31536000, immutable"  # names that change with their content
REVALIDATE = "no-cache"  # index.html, config.json: the next load sees a new deploy
LEFT_OUT = (".map",)  # the sources are not published

# The stack outputs config.json is made of (template.yaml declares each).
CONFIG_OUTPUTS = {
    "apiBaseUrl": "ApiOrigin",
    "websocketUrl": "WebSocketUrl",
    "region": "Region",
    "userPoolId": "UserPoolId",
    "userPoolClientId": "UserPoolClientId",
    "cognitoEndpoint": "CognitoEndpoint",
}
# And where the app goes.
BUCKET_OUTPUT, DISTRIBUTION_OUTPUT, URL_OUTPUT = "WebBucketName", "WebDistributionId", "WebUrl"


def stack_outputs(cloudformation: Any, stack: str) -> dict[str, str] | None:
    """The stack's outputs by name; None when the stack does not exist yet."""
    try:
        [described] = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    except ClientError as error:
        if "does not exist" in str(error):
            return None
        raise
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def web_config(outputs: dict[str, str]) -> dict[str, str]:
    missing = sorted(name for name in CONFIG_OUTPUTS.values() if name not in outputs)
    if missing:
        raise SystemExit(f"the stack has no output {', '.join(missing)}: deploy the current template.yaml first")
    return {key: outputs[name] for key, name in CONFIG_OUTPUTS.items()}


def files_to_publish(dist: Path) -> list[tuple[Path, str, str]]:
    """(file, key, Cache-Control) for every file of the build, index.html last (it names the others)."""
    if not (dist / "index.html").is_file():
        raise SystemExit(f"{dist}/index.html is missing: build the app first (make web)")
    found = []
    for path in sorted(p for p in dist.rglob("*") if p.is_file() and not p.name.endswith(LEFT_OUT)):
        key = path.relative_to(dist).as_posix()
        found.append((path, key, IMMUTABLE if key.startswith("assets/") else REVALIDATE))
    return sorted(found, key=lambda item: item[1] == "index.html")


def content_type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    textual = kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml")
    return f"{kind}; charset=utf-8" if textual else kind


def publish(session: Any, stack: str, dist: Path) -> dict[str, Any]:
    outputs = stack_outputs(session.client("cloudformation"), stack)
    if outputs is None:
        raise SystemExit(f"no stack {stack}: run sam deploy first")
    config = web_config(outputs)
    bucket, distribution = outputs[BUCKET_OUTPUT], outputs[DISTRIBUTION_OUTPUT]
    s3 = session.client("s3")
    uploaded = []
    # config.json before index.html: a first load of the new app finds its configuration.
    body = (json.dumps(config, indent=2) + "\n").encode()
    s3.put_object(
        Bucket=bucket, Key="config.json", Body=body, ContentType=content_type("config.json"), CacheControl=REVALIDATE
    )
    for path, key, cache_control in files_to_publish(dist):
        s3.put_object(
            Bucket=bucket, Key=key, Body=path.read_bytes(), ContentType=content_type(key), CacheControl=cache_control
        )
        uploaded.append(key)
    paths = ["/", "/index.html", "/config.json"]  # the rest is content-addressed
    invalidation = session.client("cloudfront").create_invalidation(
        DistributionId=distribution,
        InvalidationBatch={"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": str(time.time_ns())},
    )
    return {
        "url": outputs.get(URL_OUTPUT),
        "bucket": bucket,
        "uploaded": uploaded,
        "invalidation": invalidation["Invalidation"]["Id"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["origin", "publish"])
    parser.add_argument("--stack", default="inbox")
    parser.add_argument("--dist", type=Path, default=ROOT / "web" / "dist")
    args = parser.parse_args(argv)
    session = boto3.session.Session()
    if args.command == "origin":
        outputs = stack_outputs(session.client("cloudformation"), args.stack) or {}
        print(outputs.get(URL_OUTPUT, ""))
        return
    done = publish(session, args.stack, args.dist)
    print(f"published {len(done['uploaded'])} files and config.json to s3://{done['bucket']}", file=sys.stderr)
    print(f"CloudFront invalidation {done['invalidation']}; the app: {done['url']}", file=sys.stderr)


if __name__ == "__main__":
    main()
