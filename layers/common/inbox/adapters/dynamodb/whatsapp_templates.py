"""The WhatsApp templates Vonage listed for an integration (issue 16, item 5).

Stored form: WATEMPLATES#<integration> under the tenant is the ListedTemplates, nothing more; written
again at each refresh. An integration deleted leaves it behind unread: the service reads it only for
an integration that exists, with the same WhatsApp Business Account."""

from __future__ import annotations

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import Table, fields_of, item_of, put
from inbox.models.whatsapp_template import ListedTemplates

TEMPLATES_TYPE = "whatsapp_templates"


class WhatsAppTemplateStore(Table):
    def get_listed_templates(self, tenant_id: str, integration_id: str) -> ListedTemplates | None:
        item = self._get(keys.tenant(tenant_id), keys.whatsapp_templates_sk(integration_id))
        return ListedTemplates.model_validate(fields_of(item)) if item else None

    def save_listed_templates(self, listed: ListedTemplates) -> None:
        sk = keys.whatsapp_templates_sk(listed.integration_id)
        item = item_of(keys.tenant(listed.tenant_id), sk, TEMPLATES_TYPE, listed)
        self._call("put_item", **put(self._table, item)["Put"])
