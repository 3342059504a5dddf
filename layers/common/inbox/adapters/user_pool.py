"""The user pool as the inbox reads its people: one tenant's members, or one user by id.

Cognito's ListUsers cannot filter on a custom attribute (`custom:tenant_id`), so each tenant has a
group of its own, `tenant:<tenant_id>`, which whoever creates a tenant's users adds them to (the local
seed, later the invitations); ListUsersInGroup then reads one tenant without reading the pool. The
group is an index only: who belongs to a tenant is still said by the user's immutable `custom:tenant_id`,
which is checked on every user read here.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from inbox.errors import ConflictError, InvalidInputError, TransientError
from inbox.models.core import Role
from inbox.models.person import Person

TENANT_GROUP_PREFIX = "tenant:"
TENANT_ATTRIBUTE = "custom:tenant_id"
PAGE_SIZE = 60  # ListUsersInGroup's maximum
ROLE_READS_AT_ONCE = 4  # AdminListGroupsForUser calls in flight for one listing (a big pool's small tenant)
# A user's sub is a UUID: anything else names nobody, and is not worth a call (nor Cognito's refusal of it).
SUB = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def tenant_group(tenant_id: str) -> str:
    """The name of the group that lists a tenant's users."""
    return f"{TENANT_GROUP_PREFIX}{tenant_id}"


class UserPool:
    def __init__(self, client: Any, pool_id: str):
        self._client = client
        self._pool_id = pool_id

    def members(self, tenant_id: str) -> list[Person]:
        """The users of the tenant's group whose tenant attribute says the same tenant, with their roles."""
        users: list[dict[str, Any]] = []
        request: dict[str, Any] = {"UserPoolId": self._pool_id, "GroupName": tenant_group(tenant_id)}
        try:
            while True:
                page = self._client.list_users_in_group(**request, Limit=PAGE_SIZE)
                users.extend(page.get("Users", []))
                if not page.get("NextToken"):
                    break
                request["NextToken"] = page["NextToken"]
        except ClientError as error:
            if _code(error) == "ResourceNotFoundException":
                return []  # no group yet: a tenant nobody was added to
            raise _transient("ListUsersInGroup", error) from error
        except BotoCoreError as error:
            raise _transient("ListUsersInGroup", error) from error
        people = [p for p in (_person(u, u.get("Attributes", [])) for u in users) if p.tenant_id == tenant_id]
        roles = self._roles_from_groups(people)
        if roles is None:  # the pool's role groups are bigger than this tenant: one read per person
            with ThreadPoolExecutor(max_workers=ROLE_READS_AT_ONCE) as pool:
                roles = list(pool.map(self._role, [p.id for p in people]))
        return [p.model_copy(update={"role": role}) for p, role in zip(people, roles, strict=True)]

    def _roles_from_groups(self, people: list[Person]) -> list[Role | None] | None:
        """The people's roles from the admin and agent groups, read once (admin wins, as the API reads a
        token's groups); None when reading them would take more calls than one AdminListGroupsForUser per
        person: the role groups hold every tenant's people, so a small tenant of a big pool reads its own."""
        ids = {p.id for p in people}
        found: dict[str, Role] = {}
        budget = len(people)
        for role in (Role.ADMIN, Role.AGENT):
            request: dict[str, Any] = {"UserPoolId": self._pool_id, "GroupName": role.value, "Limit": PAGE_SIZE}
            while True:
                if budget <= 0:
                    return None
                budget -= 1
                try:
                    page = self._client.list_users_in_group(**request)
                except (ClientError, BotoCoreError) as error:
                    raise _transient("ListUsersInGroup", error) from error
                for user in page.get("Users", []):
                    sub = _person(user, user.get("Attributes", [])).id
                    if sub in ids:
                        found.setdefault(sub, role)
                if not page.get("NextToken"):
                    break
                request["NextToken"] = page["NextToken"]
        return [found.get(p.id) for p in people]

    def person(self, user_id: str) -> Person | None:
        """One user by `sub` (a pool whose usernames are emails names its users by their sub), or None."""
        if not SUB.fullmatch(user_id):
            return None
        try:
            user = self._client.admin_get_user(UserPoolId=self._pool_id, Username=user_id)
        except ClientError as error:
            if _code(error) == "UserNotFoundException":
                return None
            raise _transient("AdminGetUser", error) from error
        except BotoCoreError as error:
            raise _transient("AdminGetUser", error) from error
        person = _person(user, user.get("UserAttributes", []))
        return person.model_copy(update={"role": self._role(user["Username"])})

    def invite(self, tenant_id: str, email: str, name: str, role: Role) -> Person:
        """A new user of the tenant: Cognito emails the invitation (a temporary password, changed at first
        sign-in), the email counts as verified, and the user joins its role group and the tenant's group.
        A person of this tenant invited before who never signed in (the temporary password lasts 7 days)
        is invited again: the invitation resent with a new password, the role set. Any other email the
        pool knows already (in any tenant) is a ConflictError that names no tenant."""
        attributes = [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "name", "Value": name},
            {"Name": TENANT_ATTRIBUTE, "Value": tenant_id},
        ]
        try:
            user = self._client.admin_create_user(
                UserPoolId=self._pool_id, Username=email, UserAttributes=attributes, DesiredDeliveryMediums=["EMAIL"]
            )["User"]
        except ClientError as error:
            if _code(error) in ("UsernameExistsException", "AliasExistsException"):
                again = self._invite_again(tenant_id, email, role)
                if again is None:
                    raise ConflictError("a user with this email exists already") from error
                return again
            if _code(error) == "InvalidParameterException":
                # The name is bounded by the API and the tenant id is ours: what the pool refuses is the address.
                raise InvalidInputError("email", "is not an address the user pool accepts") from error
            raise _transient("AdminCreateUser", error) from error
        except BotoCoreError as error:
            raise _transient("AdminCreateUser", error) from error
        username = user["Username"]
        try:
            self._call("AdminAddUserToGroup", username, GroupName=role.value)
            self._join_tenant_group(username, tenant_id)
        except TransientError:
            # Half a user (no group) could never be invited again: undone, so the admin can simply retry.
            # An undo that fails too is the same transient error (a 503), not a 500.
            self._call("AdminDeleteUser", username)
            raise
        person = _person(user, user.get("Attributes", []))
        return person.model_copy(update={"role": role})

    def _invite_again(self, tenant_id: str, email: str, role: Role) -> Person | None:
        """The invitation resent to a person of the tenant still waiting for their first sign-in; None
        for anyone else (signed in already, disabled, or another tenant's)."""
        try:
            user = self._client.admin_get_user(UserPoolId=self._pool_id, Username=email)
        except ClientError as error:
            if _code(error) == "UserNotFoundException":
                return None
            raise _transient("AdminGetUser", error) from error
        except BotoCoreError as error:
            raise _transient("AdminGetUser", error) from error
        person = _person(user, user.get("UserAttributes", []))
        waiting = user.get("UserStatus") == "FORCE_CHANGE_PASSWORD" and person.enabled
        if person.tenant_id != tenant_id or not waiting:
            return None
        try:
            self._client.admin_create_user(
                UserPoolId=self._pool_id, Username=email, MessageAction="RESEND", DesiredDeliveryMediums=["EMAIL"]
            )
        except (ClientError, BotoCoreError) as error:
            raise _transient("AdminCreateUser", error) from error
        self._set_role(user["Username"], role)
        return person.model_copy(update={"role": role})

    def set_role(self, user_id: str, role: Role) -> None:
        """The user in the role's group and out of the other's (admin wins, so the old one must go)."""
        self._set_role(self._username(user_id), role)

    def _set_role(self, username: str, role: Role) -> None:
        self._call("AdminAddUserToGroup", username, GroupName=role.value)
        for other in Role:
            if other is not role:
                self._call("AdminRemoveUserFromGroup", username, GroupName=other.value)

    def set_enabled(self, user_id: str, enabled: bool) -> None:
        """Enable or disable; a disabled user is also signed out everywhere (their refresh tokens revoked),
        so the web app cannot renew their tokens: what they hold lasts the tokens' short validity."""
        username = self._username(user_id)
        self._call("AdminEnableUser" if enabled else "AdminDisableUser", username)
        if not enabled:
            self._call("AdminUserGlobalSignOut", username)

    def create_tenant_group(self, tenant_id: str, description: str = "The people of one tenant.") -> None:
        """The group that lists the tenant's people; there already is fine."""
        try:
            self._client.create_group(
                UserPoolId=self._pool_id, GroupName=tenant_group(tenant_id), Description=description
            )
        except ClientError as error:
            if _code(error) != "GroupExistsException":
                raise _transient("CreateGroup", error) from error
        except BotoCoreError as error:
            raise _transient("CreateGroup", error) from error

    def delete_tenant_group(self, tenant_id: str) -> None:
        """Undoes create_tenant_group when the tenant's first admin could not be made."""
        try:
            self._client.delete_group(UserPoolId=self._pool_id, GroupName=tenant_group(tenant_id))
        except (ClientError, BotoCoreError) as error:
            raise _transient("DeleteGroup", error) from error

    def _join_tenant_group(self, username: str, tenant_id: str) -> None:
        try:
            self._call("AdminAddUserToGroup", username, GroupName=tenant_group(tenant_id))
        except TransientError as error:
            if "ResourceNotFoundException" not in str(error):
                raise
            self.create_tenant_group(tenant_id)  # a tenant from before the groups
            self._call("AdminAddUserToGroup", username, GroupName=tenant_group(tenant_id))

    def _username(self, user_id: str) -> str:
        """The pool's username for a sub (Cognito's is the sub itself; moto's, the email)."""
        user = self._client.admin_get_user(UserPoolId=self._pool_id, Username=user_id)
        return user["Username"]

    def _call(self, call: str, username: str, **arguments: Any) -> None:
        method = getattr(self._client, "_".join(part.lower() for part in re.findall("[A-Z][a-z]*", call)))
        try:
            method(UserPoolId=self._pool_id, Username=username, **arguments)
        except (ClientError, BotoCoreError) as error:
            raise _transient(call, error) from error

    def _role(self, user_id: str) -> Role | None:
        try:
            groups = self._client.admin_list_groups_for_user(UserPoolId=self._pool_id, Username=user_id, Limit=60)
        except (ClientError, BotoCoreError) as error:
            raise _transient("AdminListGroupsForUser", error) from error
        names = {group["GroupName"] for group in groups.get("Groups", [])}
        # As the API reads the token's groups (inbox.http.auth): admin wins over agent.
        return Role.ADMIN if Role.ADMIN in names else Role.AGENT if Role.AGENT in names else None


def _person(user: dict[str, Any], attributes: list[dict[str, str]]) -> Person:
    values = {a["Name"]: a.get("Value") for a in attributes}
    return Person(
        id=values.get("sub") or user["Username"],
        tenant_id=values.get(TENANT_ATTRIBUTE) or "",
        name=values.get("name") or None,
        email=values.get("email") or None,
        enabled=user.get("Enabled", True),
    )


def _code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


def _transient(call: str, error: Exception) -> TransientError:
    detail = _code(error) if isinstance(error, ClientError) else type(error).__name__
    return TransientError(f"{call}: {detail}")
