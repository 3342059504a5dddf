"""Operator commands, run by hand against AWS or the local stack (not part of any function):

    PYTHONPATH=layers/common python -m inbox.admin create-tenant --name "Acme" --admin-email boss@acme.example

creates a tenant: its group in the user pool (what lists its people, see inbox.adapters.user_pool) and its
first admin, who receives Cognito's invitation like anyone an admin invites; prints the tenant's id.
The pool is USER_POOL_ID (AWS_ENDPOINT_URL for an endpoint of one's own), or the local stack's with
`--stack-json .local/stack.json`. A tenant is nothing more than that: the table holds no tenant record.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m inbox.admin", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-tenant", help="a new tenant with its first admin; prints its id")
    create.add_argument("--name", required=True, help="the tenant's name (its id starts with it)")
    create.add_argument("--admin-email", required=True, help="the first admin, who receives the invitation")
    create.add_argument("--admin-name", help="the admin's name (default: the email's local part)")
    create.add_argument("--stack-json", type=Path, help="the local stack's .local/stack.json instead of the env")
    args = parser.parse_args(argv)
    try:
        tenant_id = create_tenant(user_pool(args.stack_json), args.name, args.admin_email, args.admin_name)
    except InboxError as error:
        print(f"create-tenant: {error}", file=sys.stderr)
        return 1
    print(tenant_id)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
