"""What the running stack tells its user: `stack.json` in the state directory (the URLs, the moto
endpoint, the user pool, the demo's credentials and what the seed did, every resource's id), and
the banner printed once it is ready. The seed's part of stack.json is read back on the next start."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from .template import Template

STACK_FILE = "stack.json"
# What the seed records of its work, kept across restarts while the user pool is the same one.
SEED_KEYS = (
    "tenant_id",
    "admin",
    "people",
    "agent",
    "custom_webhook",
    "folders",
    "ai_replies",
    "demo_messages_sent",
    "openai",
    "vonage",
    "vonage_demo_sent",
    "shop",
    "lookups",
)
_ENDPOINT_KEYS = (
    "api_url",
    "web_url",
    "websocket_url",
    "aws_endpoint_url",
    "region",
    "account_id",
    "stack_name",
    "user_pool_id",
    "user_pool_client_id",
)


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_if_changed(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    with contextlib.suppress(OSError):
        if path.read_text(encoding="utf-8") == text:
            return
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.chmod(temporary, 0o600)  # it holds the demo password and the webhook secret
    os.replace(temporary, path)


def describe(
    template: Template,
    *,
    endpoint_url: str,
    api_url: str,
    web_url: str,
    websocket_url: str,
    pool_id: str | None,
    client_id: str | None,
    previous: dict[str, Any],
) -> dict[str, Any]:
    """The stack's description: where everything is, and the seed's state from `previous` (last
    start's stack.json) when the user pool is the same one."""

    def refs(*types: str) -> dict[str, str]:
        return {name: template.physical[name].ref for name in template.of_type(*types)}

    same_pool = previous.get("user_pool_id") == pool_id
    seed_state = {k: previous[k] for k in SEED_KEYS if k in previous and same_pool}
    return {
        "api_url": api_url,
        "web_url": web_url,
        "websocket_url": websocket_url,
        "aws_endpoint_url": endpoint_url,
        "region": template.region,
        "account_id": template.account_id,
        "stack_name": template.stack_name,
        "user_pool_id": pool_id,
        "user_pool_client_id": client_id,
        "seed": seed_state,
        "tables": refs("AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable"),
        "buckets": refs("AWS::S3::Bucket"),
        "queues": refs("AWS::SQS::Queue"),
        "kms_keys": {n: template.physical[n].attrs["Arn"] for n in template.of_type("AWS::KMS::Key")},
        "functions": refs("AWS::Serverless::Function"),
    }


def write_stack_file(path: Path, info: dict[str, Any], vonage_base_url: str | None) -> None:
    """stack.json from the stack's description, with the URLs a user needs to reach the demo's
    webhook and the fake Vonage."""
    document = {k: info[k] for k in _ENDPOINT_KEYS}
    document.update(sorted(info["seed"].items()))  # the same order whichever step came first
    hook = info["seed"].get("custom_webhook")
    if hook:
        document["custom_webhook"] = {
            **hook,
            "url": f"{info['api_url']}/webhooks/custom/{hook['integration_id']}",
        }
    account = info["seed"].get("vonage")
    if account and vonage_base_url is not None:
        document["vonage"] = {
            **account,
            "base_url": vonage_base_url,
            "webhooks": {
                "sms": f"{info['api_url']}/webhooks/sms",
                "messages_inbound": f"{info['api_url']}/webhooks/whatsapp",
                "messages_status": f"{info['api_url']}/webhooks/status",
            },
        }
    document.update({k: info[k] for k in ("tables", "buckets", "queues", "kms_keys", "functions")})
    write_if_changed(path, document)


def banner(
    stack_file: Path,
    *,
    web_built: bool,
    vonage_url: str | None,
    openai_url: str | None,
    state_dir: Path | None,
    shop_url: str | None = None,
) -> str:
    """What `python -m local` prints once ready, read from stack.json; `state_dir` is None when the
    data is kept by the user's own endpoint."""
    info = read_json(stack_file)
    lines = [
        "",
        "Inbox is running locally.",
        f"  Web app       {info.get('web_url')}" + ("" if web_built else "  (not built yet)"),
        f"  API           {info.get('api_url')}",
        f"  Live updates  {info.get('websocket_url')}?token=<ID token>",
        f"  AWS endpoint  {info.get('aws_endpoint_url')}   region {info.get('region')}",
    ]
    if info.get("admin"):
        lines.append(f"  Sign in as    {info['admin']['username']}   (password in {stack_file})")
        if info.get("agent"):
            lines.append(f"  or the agent  {info['agent']['username']}")
        lines.append(f"  Demo tenant   {info.get('tenant_id')}")
    if vonage_url is not None:
        lines.append(f"  Vonage        {vonage_url}   (a fake: SMS and WhatsApp in and out)")
    if openai_url is not None:
        lines.append(f"  OpenAI        {openai_url}   (a fake: the demo's AI filter)")
    if shop_url is not None:
        lines.append(f"  Shop          {shop_url}   (the demo's order lookup, signed calls only)")
    if state_dir is not None:
        lines.append(f"  Data kept in  {state_dir}/  (delete it to start afresh)")
    else:
        lines.append("  Data kept by  your own endpoint (this stack saves nothing)")
    lines += [f"  Everything    {stack_file}", "Press Ctrl-C to stop.", ""]
    return "\n".join(lines)
