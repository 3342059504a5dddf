"""The WhatsApp templates Vonage lists for an integration, as the API shows them (issue 16, item 5)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from inbox.models.whatsapp_template import ListedTemplate, ListedTemplates


class ListedTemplatesOut(BaseModel):
    listed: bool = Field(description="False when the integration names no WhatsApp Business Account.")
    fetched_at: datetime | None = Field(None, description="When Vonage was last asked.")
    items: list[ListedTemplate] = Field(default_factory=list, description="Every language and review status.")

    @classmethod
    def of(cls, listed: ListedTemplates | None) -> ListedTemplatesOut:
        if listed is None:
            return cls(listed=False)
        return cls(listed=True, fetched_at=listed.fetched_at, items=listed.items)
