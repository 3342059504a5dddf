"""WhatsApp templates as Vonage lists them for the account's WhatsApp Business Account (issue 16,
item 5): each with Meta's review status. Kept in the table per integration, read again on demand."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

# Meta's review states as Vonage passes them on; only APPROVED ones can be sent.
TemplateStatus = Literal["APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED", "IN_APPEAL", "OTHER"]


class ListedTemplate(BaseModel):
    """One template in one language, as Vonage's WhatsApp Template Management API lists it."""

    name: str
    locale: str = Field(description="The language it was approved in, as WhatsApp writes it (fr, en_US).")
    status: TemplateStatus
    category: str | None = Field(None, description="UTILITY, MARKETING or AUTHENTICATION.")
    text: str = Field(description="Its BODY, `{{1}}` for the first parameter.")
    parameters: int = Field(0, description="How many parameters its body takes ({{1}} to {{n}}).")


class ListedTemplates(BaseModel):
    """What Vonage listed for one integration, and when."""

    tenant_id: str
    integration_id: str
    waba_id: str
    fetched_at: datetime
    items: list[ListedTemplate] = Field(default_factory=list)
