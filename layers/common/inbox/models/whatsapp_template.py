"""WhatsApp templates as Vonage lists them for the account's WhatsApp Business Account (issue 16,
item 5): each with Meta's review status. Kept in the table per integration, read again on demand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

if TYPE_CHECKING:
    from inbox.domain.saved_replies import Filled
    from inbox.domain.whatsapp_templates import TemplateRequest

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


class TemplateChoice(BaseModel):
    """A WhatsApp template chosen ahead, with its parameters: what a follow-up or a folder's nudge sends
    once the customer's 24-hour window is closed. Checked against the approved ones when chosen, and
    again by the send path when it goes out."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=512, pattern=r"^[A-Za-z0-9_.:-]+$")
    locale: str | None = Field(
        None, min_length=2, max_length=35, pattern=r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$", description="e.g. fr."
    )
    parameters: list[str] = Field(default_factory=list, max_length=20, description="{{1}} first.")

    @field_validator("parameters")
    @classmethod
    def _sendable(cls, values: list[str]) -> list[str]:
        from inbox.domain.whatsapp_templates import parameter_problem  # the domain imports these models

        for n, value in enumerate(values):
            problem = parameter_problem(value)
            if problem:
                raise ValueError(f"{n}: {problem}")
        return values

    def request(self) -> TemplateRequest:
        from inbox.domain.whatsapp_templates import TemplateRequest

        return TemplateRequest(name=self.name, locale=self.locale, parameters=list(self.parameters))

    def check_placeholders(self, field: str = "template") -> None:
        """A parameter may hold placeholders (`{{contact.first_name}}`), filled when it goes out as a
        saved reply's are: one we would never fill (a typo) is a 422 on `<field>.parameters.<n>` now."""
        from inbox.domain.saved_replies import unknown_placeholders
        from inbox.errors import InvalidInputError

        for n, value in enumerate(self.parameters):
            unknown = unknown_placeholders(value)
            if unknown:
                names = ", ".join(f"{{{{{name}}}}}" for name in unknown)
                raise InvalidInputError(f"{field}.parameters.{n}", f"has placeholders we do not know: {names}")

    def filled(self, fill: Callable[[str], Filled]) -> tuple[TemplateChoice, list[str]]:
        """The choice with each parameter that holds a placeholder filled by `fill`, and the placeholders
        left without a value (never sent as typed: a customer never reads "Bonjour {{contact.first_name}}")."""
        from inbox.domain.saved_replies import PLACEHOLDER

        parameters: list[str] = []
        left: list[str] = []
        for value in self.parameters:
            if not PLACEHOLDER.search(value):
                parameters.append(value)
                continue
            done = fill(value)
            parameters.append(done.text)
            left += [name for name in done.missing + done.unknown if name not in left]
        return self.model_copy(update={"parameters": parameters}), left
