"""What every resource creator shares: its signature, the physical names CloudFormation would give,
the template's properties as API parameters, and the settings that may fail locally."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from ..aws import Aws
from ..template import Physical, Template

log = logging.getLogger("local")

Creator = Callable[[Template, Aws, str, dict[str, Any]], Physical]


def api_args(client: Any, operation: str, props: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The properties that are also parameters of the API call (CloudFormation mostly reuses the names)."""
    members = client.meta.service_model.operation_model(operation).input_shape.members
    return {k: v for k, v in props.items() if k in members and k not in skip}


def default_name(template: Template, logical_id: str) -> str:
    return f"{template.stack_name}-{logical_id}"


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def best_effort(what: str, call: Callable[[], Any]) -> None:
    """Settings that change nothing locally (backups, public access...) must not stop the stack."""
    try:
        call()
    except (ClientError, NotImplementedError) as error:
        log.debug("%s not applied locally: %s", what, error)
