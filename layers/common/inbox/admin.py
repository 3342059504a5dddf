"""Operator commands, run by hand against AWS or the local stack (not part of any function):

    PYTHONPATH=layers/common python -m inbox.admin create-tenant --name "Acme" --admin-email boss@acme.example

creates a tenant: its group in the user pool (what lists its people, see inbox.adapters.user_pool) and its
first admin, who receives Cognito's invitation like anyone an admin invites; prints the tenant's id.
The pool is USER_POOL_ID (AWS_ENDPOINT_URL for an endpoint of one's own), or the local stack's with
`--stack-json .local/stack.json`. A tenant is nothing more than that: the table holds no tenant record.

    PYTHONPATH=layers/common python -m inbox.admin reindex --tenant acme-1a2b3c4d

queues every conversation and message of a tenant to SearchQueue again (Queries, never a Scan), for
messages stored before search was deployed or jobs a failure lost; the indexer does the rest. It reads
TABLE_NAME and SEARCH_QUEUE_URL (the stack's outputs) and AWS_* from the environment.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
from pathlib import Path
from typing import Any

from inbox.adapters.user_pool import UserPool
from inbox.errors import InboxError
from inbox.models import Role

SLUG_LENGTH = 24


def new_tenant_id(name: str) -> str:
    """Readable in logs and the table's keys (a slug of the name), unique by its random tail."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:SLUG_LENGTH].strip("-")
    return f"{slug or 'tenant'}-{secrets.token_hex(4)}"


def create_tenant(pool: UserPool, name: str, admin_email: str, admin_name: str | None = None) -> str:
    """The tenant's group, named after the tenant, and its first admin; answers the new tenant's id."""
    tenant_id = new_tenant_id(name)
    pool.create_tenant_group(tenant_id, description=f"The people of {name}"[:2048])
    try:
        pool.invite(tenant_id, admin_email, admin_name or admin_email.split("@")[0], Role.ADMIN)
    except InboxError:
        pool.delete_tenant_group(tenant_id)  # a tenant nobody can sign in to is no tenant
        raise
    return tenant_id


def user_pool(stack_json: Path | None) -> UserPool:
    """The pool of the local stack's stack.json, else of the environment (USER_POOL_ID, AWS_* as boto3 reads them)."""
    import boto3

    if stack_json is None:
        pool_id = os.environ.get("USER_POOL_ID")
        if not pool_id:
            raise SystemExit("set USER_POOL_ID (the stack's UserPoolId output) or give --stack-json")
        return UserPool(boto3.client("cognito-idp"), pool_id)
    stack: dict[str, Any] = json.loads(stack_json.read_text(encoding="utf-8"))
    # The local stack's moto takes any credentials; real ones in the environment are not needed.
    client = boto3.client(
        "cognito-idp",
        endpoint_url=stack["aws_endpoint_url"],
        region_name=stack.get("region") or "eu-west-3",
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "local"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "local"),
    )
    return UserPool(client, stack["user_pool_id"])


def reindex(tenant_id: str) -> int:
    from datetime import UTC, datetime

    from inbox import wiring
    from inbox.adapters.queue import FifoQueue
    from inbox.services.search_reindex import reindex_tenant
    from inbox.settings import get_settings

    queue = FifoQueue(wiring.client("sqs"), get_settings().require("SEARCH_QUEUE_URL"))
    sent = reindex_tenant(wiring.store(), queue, tenant_id, datetime.now(UTC).isoformat())
    print(f"{sent} search jobs queued for {tenant_id}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m inbox.admin", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-tenant", help="a new tenant with its first admin; prints its id")
    create.add_argument("--name", required=True, help="the tenant's name (its id starts with it)")
    create.add_argument("--admin-email", required=True, help="the first admin, who receives the invitation")
    create.add_argument("--admin-name", help="the admin's name (default: the email's local part)")
    create.add_argument("--stack-json", type=Path, help="the local stack's .local/stack.json instead of the env")
    again = commands.add_parser("reindex", help="a tenant's search index built again from the table")
    again.add_argument("--tenant", required=True, help="the tenant's id")
    args = parser.parse_args(argv)
    if args.command == "reindex":
        return reindex(args.tenant)
    try:
        tenant_id = create_tenant(user_pool(args.stack_json), args.name, args.admin_email, args.admin_name)
    except InboxError as error:
        print(f"create-tenant: {error}", file=sys.stderr)
        return 1
    print(tenant_id)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
