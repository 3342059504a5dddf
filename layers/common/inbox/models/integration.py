"""Integrations: a tenant's connected channels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, FieldSerializationInfo, field_serializer, model_validator

from inbox.models.core import Channel
from inbox.models.integration_settings import (
    SETTINGS_OF_KIND,
    IntegrationKind,
    IntegrationSettings,
    StoredSettings,
)

# What a phone number is connected for (sms or whatsapp) and the number (E.164): a Vonage webhook
# finds its integration by the pair, so a claim on a number for one kind never touches the other.
type NumberRoute = tuple[Channel, str]


class Integration(BaseModel):
    id: str
    tenant_id: str
    kind: IntegrationKind
    name: str
    settings: IntegrationSettings = Field(description="Everything that is not secret, as the kind has it.")
    secrets: dict[str, str] = Field(
        default_factory=dict, description="Field name -> envelope ciphertext; never leaves the service."
    )
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="before")
    @classmethod
    def _settings_of_its_kind(cls, data: Any) -> Any:
        """The settings are read as the model of the integration's kind, never another's."""
        if isinstance(data, dict) and data.get("kind") in SETTINGS_OF_KIND:
            settings = SETTINGS_OF_KIND[data["kind"]].model_validate(data.get("settings") or {})
            data = {**data, "settings": settings}
        return data

    @field_serializer("settings")
    def _settings_as_given(self, settings: StoredSettings, info: FieldSerializationInfo) -> dict[str, Any]:
        return settings.model_dump(mode=info.mode, exclude_unset=True)
