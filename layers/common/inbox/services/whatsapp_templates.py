"""WhatsApp templates listed from Vonage (issue 16, item 5).

An integration with a WhatsApp Business Account id (`whatsapp_business_account_id`) has its
templates read from Vonage's WhatsApp Template Management API, through the deployment's Vonage
host and the integration's own application: on the first look, and again whenever a person asks
(`refresh`). The list is kept in the table, so that a reply, a follow-up or a nudge never waits on
Vonage to know what it may send: only APPROVED ones go out, by the one send path. Templates typed
by hand in the integration's settings stay usable beside them (see `domain.whatsapp_templates.offer`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from inbox.adapters.vonage import VonageCredentialsError, VonageRejectedError
from inbox.domain.whatsapp_templates import TemplateOffer, TemplateRequest, listed_template, offer, template_reply
from inbox.errors import InvalidInputError, NotFoundError, PermanentError, TransientError
from inbox.models import Channel, Conversation, Integration, Principal
from inbox.models.integration_settings import VonageSettings
from inbox.models.whatsapp_template import ListedTemplate, ListedTemplates
from inbox.observability import logger

MAX_KEPT = 250  # one item of the table; Meta approves up to 250 templates for a WABA


class Store(Protocol):
    def get_integration(self, tenant_id: str, integration_id: str) -> Integration | None: ...
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def list_integrations(self, tenant_id: str) -> list[Integration]: ...


class ListStore(Protocol):
    def get_listed_templates(self, tenant_id: str, integration_id: str) -> ListedTemplates | None: ...
    def save_listed_templates(self, listed: ListedTemplates) -> None: ...


class TemplateAccount(Protocol):
    def whatsapp_templates(self, waba_id: str) -> list[dict[str, Any]]: ...


class WhatsAppTemplates:
    def __init__(
        self,
        store: Store,
        lists: ListStore,
        account: Callable[[Integration], TemplateAccount],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self._store = store
        self._lists = lists
        self._account = account  # Vonage signed in as the integration (services.vonage_channel.credentials_of)
        self._clock = clock

    def listed(self, who: Principal, integration_id: str, refresh: bool = False) -> ListedTemplates | None:
        """What Vonage lists for the integration (every status), read from Vonage on the first look or
        when `refresh`; None when the integration names no WhatsApp Business Account."""
        integration = self._store.get_integration(who.tenant_id, integration_id)
        if integration is None:
            raise NotFoundError(f"integration {integration_id}")
        waba_id = waba_of(integration)
        if waba_id is None:
            return None
        kept = self._kept(integration)
        if kept is not None and not refresh:
            return kept
        return self._fetch(integration, waba_id)

    def offer(self, integration: Integration) -> TemplateOffer:
        """What a reply on this integration may be sent as (the send path's question): the list as
        kept, never a call to Vonage."""
        settings = integration.settings
        typed = list(settings.whatsapp_templates) if isinstance(settings, VonageSettings) else []
        kept = self._kept(integration)
        return offer(typed, kept.items if kept else [])

    def for_conversation(self, who: Principal, conversation_id: str, refresh: bool = False) -> TemplateOffer:
        """The approved templates a WhatsApp conversation may be answered with (none on other channels)."""
        conversation = self._store.get_conversation(who.tenant_id, conversation_id)
        if conversation is None:
            raise NotFoundError(f"conversation {conversation_id}")
        if conversation.channel is not Channel.WHATSAPP:
            return TemplateOffer(usable=[], refused={})
        integration = self._store.get_integration(who.tenant_id, conversation.integration_id)
        if integration is None:
            return TemplateOffer(usable=[], refused={})
        waba_id = waba_of(integration)
        if waba_id and refresh:
            self._fetch(integration, waba_id)  # a person asked: Vonage's refusal or outage is theirs to read
        else:
            self._first_look(integration)
        return self.offer(integration)

    def check(self, who: Principal, conversation_id: str, request: TemplateRequest) -> None:
        """A template a follow-up will send, checked now as the send path will (422 on `template.*`)."""
        conversation = self._store.get_conversation(who.tenant_id, conversation_id)
        if conversation is None:
            raise NotFoundError(f"conversation {conversation_id}")
        if conversation.channel is not Channel.WHATSAPP:
            raise InvalidInputError("template", f"only WhatsApp takes templates; this is a {conversation.channel}")
        templates = self.for_conversation(who, conversation_id)
        template_reply(templates.usable, request, templates.refused)

    def check_for_tenant(self, who: Principal, request: TemplateRequest) -> None:
        """A template a folder's nudge will send, in whichever WhatsApp conversation: approved on at
        least one of the tenant's Vonage integrations, with as many parameters (422 on `template.*`)."""
        first: InvalidInputError | None = None
        for integration in self._store.list_integrations(who.tenant_id):
            if not isinstance(integration.settings, VonageSettings) or not integration.settings.whatsapp_numbers:
                continue
            self._first_look(integration)
            templates = self.offer(integration)
            try:
                template_reply(templates.usable, request, templates.refused)
                return
            except InvalidInputError as refused:
                first = first or refused
        raise first or InvalidInputError("template.name", "no WhatsApp integration has approved templates")

    # internals

    def _first_look(self, integration: Integration) -> None:
        """A list never read yet (the WABA id was just set) is read now; Vonage down or refusing, the
        typed templates are offered meanwhile (a person's refresh says why)."""
        waba_id = waba_of(integration)
        if waba_id is None or self._kept(integration) is not None:
            return
        try:
            self._fetch(integration, waba_id)
        except (InvalidInputError, TransientError) as error:
            logger.warning("WhatsApp templates not listed", integration_id=integration.id, reason=str(error))

    def _kept(self, integration: Integration) -> ListedTemplates | None:
        waba_id = waba_of(integration)
        if waba_id is None:
            return None
        kept = self._lists.get_listed_templates(integration.tenant_id, integration.id)
        return kept if kept is not None and kept.waba_id == waba_id else None  # another WABA's list is not this one's

    def _fetch(self, integration: Integration, waba_id: str) -> ListedTemplates:
        try:
            raw = self._account(integration).whatsapp_templates(waba_id)
        except VonageCredentialsError as error:
            reason = f"Vonage refused the application's credentials (its id and private key): {error}"
            raise InvalidInputError("application_id", reason) from error
        except VonageRejectedError as error:
            raise InvalidInputError("whatsapp_business_account_id", f"Vonage refused the list: {error}") from error
        except (PermanentError, TransientError) as error:
            raise TransientError(f"Vonage's list of templates is not available now: {error}") from error
        items: list[ListedTemplate] = [t for t in map(listed_template, raw) if t is not None]
        if len(items) < len(raw):
            logger.info("templates Vonage listed that a reply cannot use", skipped=len(raw) - len(items))
        listed = ListedTemplates(
            tenant_id=integration.tenant_id,
            integration_id=integration.id,
            waba_id=waba_id,
            fetched_at=self._clock(),
            items=items[:MAX_KEPT],
        )
        self._lists.save_listed_templates(listed)
        return listed


def waba_of(integration: Integration) -> str | None:
    settings = integration.settings
    return settings.whatsapp_business_account_id if isinstance(settings, VonageSettings) else None
