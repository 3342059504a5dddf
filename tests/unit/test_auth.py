import pytest

from inbox.errors import ForbiddenError, UnauthorizedError
from inbox.http.auth import principal_from_claims, require_admin
from inbox.models import Role

CLAIMS = {"sub": "u1", "custom:tenant_id": "t1", "email": "a@b.co"}


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        ("[admin]", Role.ADMIN),
        ("[agent admin]", Role.ADMIN),
        (["agent"], Role.AGENT),
        ("agent", Role.AGENT),
    ],
)
def test_auth_reads_the_role_from_the_groups_claim_as_api_gateway_renders_it(groups, role):
    who = principal_from_claims(CLAIMS | {"cognito:groups": groups})
    assert (who.user_id, who.tenant_id, who.role) == ("u1", "t1", role)


def test_auth_refuses_a_token_without_tenant_or_user():
    with pytest.raises(UnauthorizedError):
        principal_from_claims({"sub": "u1", "cognito:groups": "[admin]"})
    with pytest.raises(UnauthorizedError):
        principal_from_claims(None)


def test_auth_refuses_a_user_in_no_inbox_group_and_agents_on_admin_routes():
    with pytest.raises(ForbiddenError):
        principal_from_claims(CLAIMS | {"cognito:groups": "[billing]"})
    agent = principal_from_claims(CLAIMS | {"cognito:groups": "[agent]"})
    with pytest.raises(ForbiddenError):
        require_admin(agent)
