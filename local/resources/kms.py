"""KMS keys, found again through an alias so that a restart keeps the same key material, and aliases."""

from __future__ import annotations

import json
from typing import Any

from ..aws import Aws
from ..template import Physical, Template
from .base import api_args, best_effort, log


def kms_key(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    kms = aws.client("kms")
    alias = f"alias/{template.stack_name}/{logical_id}"  # how a restart finds the same key material
    try:
        metadata = kms.describe_key(KeyId=alias)["KeyMetadata"]
    except kms.exceptions.NotFoundException:
        args = api_args(kms, "CreateKey", props, skip=("Tags", "Policy"))
        if props.get("KeyPolicy"):
            policy = props["KeyPolicy"]
            args["Policy"] = policy if isinstance(policy, str) else json.dumps(policy)
        args["Tags"] = [{"TagKey": t["Key"], "TagValue": str(t["Value"])} for t in props.get("Tags") or []]
        metadata = kms.create_key(**args)["KeyMetadata"]
        kms.create_alias(AliasName=alias, TargetKeyId=metadata["KeyId"])
        if props.get("EnableKeyRotation"):
            best_effort("key rotation", lambda: kms.enable_key_rotation(KeyId=metadata["KeyId"]))
        if props.get("Enabled") is False:
            kms.disable_key(KeyId=metadata["KeyId"])
        log.info("created KMS key %s", alias)
    return Physical(metadata["KeyId"], {"Arn": metadata["Arn"], "KeyId": metadata["KeyId"]})


def kms_alias(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    kms = aws.client("kms")
    name = str(props["AliasName"])
    try:
        kms.describe_key(KeyId=name)
    except kms.exceptions.NotFoundException:
        kms.create_alias(AliasName=name, TargetKeyId=str(props["TargetKeyId"]))
    return Physical(name, {})
