"""Who is calling: the JWT authorizer verified the token; its claims are all we trust."""

from __future__ import annotations

from typing import Any

from inbox.errors import ForbiddenError, UnauthorizedError
from inbox.models import Principal, Role


def principal_from_claims(claims: dict[str, Any] | None) -> Principal:
    claims = claims or {}
    user_id, tenant_id = claims.get("sub"), claims.get("custom:tenant_id")
    if not user_id or not tenant_id:
        raise UnauthorizedError("the token names no user or no tenant")
    groups = _groups(claims.get("cognito:groups"))
    if Role.ADMIN in groups:
        role = Role.ADMIN
    elif Role.AGENT in groups:
        role = Role.AGENT
    else:
        raise ForbiddenError("the user belongs to no inbox group")
    return Principal(
        user_id=user_id,
        tenant_id=tenant_id,
        role=role,
        email=claims.get("email"),
        username=claims.get("cognito:username") or claims.get("username"),
    )


def require_admin(who: Principal) -> Principal:
    if not who.is_admin:
        raise ForbiddenError("this needs the admin role")
    return who


def _groups(value: Any) -> set[str]:
    """API Gateway hands array claims over as "[admin agent]"; tests and Lambda URLs as lists."""
    if isinstance(value, list):
        return {str(v) for v in value}
    if isinstance(value, str):
        return {part for part in value.strip("[]").replace(",", " ").split() if part}
    return set()
