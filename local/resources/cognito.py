"""Cognito user pools (custom attributes added when the template gains some), app clients and groups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..aws import Aws
from ..template import Physical, Template
from .base import api_args, default_name, log


def _pages(call: Callable[..., dict[str, Any]], key: str, **kwargs: Any) -> list[dict[str, Any]]:
    items, token = [], None
    while True:
        page = call(**kwargs, **({"NextToken": token} if token else {}))
        items.extend(page.get(key) or [])
        token = page.get("NextToken")
        if not token:
            return items


def user_pool(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    idp = aws.client("cognito-idp")
    name = str(props.get("UserPoolName") or default_name(template, logical_id))
    found = [p for p in _pages(idp.list_user_pools, "UserPools", MaxResults=60) if p["Name"] == name]
    if found:
        pool_id = found[0]["Id"]
        _add_custom_attributes(idp, pool_id, props.get("Schema") or [])
    else:
        # LambdaConfig names functions Cognito cannot call locally.
        args = api_args(idp, "CreateUserPool", props, skip=("LambdaConfig",))
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


def user_pool_client(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    idp = aws.client("cognito-idp")
    pool_id = str(props["UserPoolId"])
    name = str(props.get("ClientName") or default_name(template, logical_id))
    clients = _pages(idp.list_user_pool_clients, "UserPoolClients", UserPoolId=pool_id, MaxResults=60)
    found = [c for c in clients if c["ClientName"] == name]
    if found:
        client_id = found[0]["ClientId"]
        args = api_args(idp, "UpdateUserPoolClient", props, skip=("UserPoolId", "ClientId", "ClientName"))
        idp.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, ClientName=name, **args)
    else:
        args = api_args(idp, "CreateUserPoolClient", props, skip=("UserPoolId", "ClientName"))
        client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName=name, **args)["UserPoolClient"][
            "ClientId"
        ]
        log.info("created user pool client %s", name)
    client = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    return Physical(client_id, {"ClientSecret": client.get("ClientSecret", ""), "Name": name})


def user_pool_group(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    idp = aws.client("cognito-idp")
    pool_id, name = str(props["UserPoolId"]), str(props.get("GroupName") or logical_id)
    try:
        idp.get_group(UserPoolId=pool_id, GroupName=name)
    except idp.exceptions.ResourceNotFoundException:
        args = api_args(idp, "CreateGroup", props, skip=("UserPoolId", "GroupName", "RoleArn"))
        idp.create_group(UserPoolId=pool_id, GroupName=name, **args)
    return Physical(name, {})
