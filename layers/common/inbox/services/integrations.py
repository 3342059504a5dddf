"""A tenant's integrations; secrets are encrypted on the way in and never come out."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from inbox.adapters.cipher import context_for
from inbox.domain.ids import new_id
from inbox.errors import InvalidInputError, NotFoundError
from inbox.models import Channel, Integration, NumberRoute, Principal, SyncState
from inbox.models.integration_settings import IntegrationSettings, VonageSettings
from inbox.models.jobs import SyncJob


class Store(Protocol):
    def create_integration(self, integration: Integration, numbers: Iterable[NumberRoute] = ()) -> None: ...
    def replace_integration(
        self,
        integration: Integration,
        add_numbers: Iterable[NumberRoute] = (),
        remove_numbers: Iterable[NumberRoute] = (),
    ) -> None: ...
    def delete_integration(self, tenant_id: str, integration_id: str, numbers: Iterable[NumberRoute] = ()) -> None: ...
    def get_integration(self, tenant_id: str, integration_id: str) -> Integration | None: ...
    def list_integrations(self, tenant_id: str) -> list[Integration]: ...
    def schedule_sync(self, state: SyncState) -> None: ...
    def get_sync_state(self, tenant_id: str, integration_id: str) -> SyncState | None: ...
    def reschedule_sync(self, tenant_id: str, integration_id: str, at: datetime) -> None: ...


class Queue(Protocol):
    def send(self, jobs: Sequence[SyncJob]) -> None: ...


class Cipher(Protocol):
    def encrypt(self, plaintext: str, context: dict[str, str]) -> str: ...
    def decrypt(self, envelope: str, context: dict[str, str]) -> str: ...


class Integrations:
    SECRET_CACHE_SECONDS = 300  # a warm function verifies webhooks without a KMS call each time

    def __init__(self, store: Store, cipher: Cipher, sync_queue: Callable[[], Queue] | None = None):
        self._store = store
        self._cipher = cipher
        self._sync_queue = sync_queue
        self._opened: dict[tuple[str, str, str], tuple[float, str]] = {}

    def create(
        self, who: Principal, kind: str, name: str, settings: IntegrationSettings, secrets: dict[str, str]
    ) -> Integration:
        now = datetime.now(UTC)
        integration = Integration(
            id=new_id(),
            tenant_id=who.tenant_id,
            kind=kind,
            name=name,
            settings=settings,
            created_at=now,
            updated_at=now,
        )
        integration.secrets = self.seal(integration, secrets)
        self._store.create_integration(integration, numbers_of(integration))
        if kind == "email":  # its first sync is due at once
            self._store.schedule_sync(
                SyncState(tenant_id=who.tenant_id, integration_id=integration.id, next_sync_at=now)
            )
        return integration

    def sync_state(self, integration: Integration) -> SyncState | None:
        if integration.kind != "email":
            return None
        return self._store.get_sync_state(integration.tenant_id, integration.id)

    def request_sync(self, who: Principal, integration_id: str) -> None:
        """Queue a sync now; the lease keeps it from overlapping a scheduled one."""
        integration = self.get(who, integration_id)
        if integration.kind != "email" or self._sync_queue is None:
            raise InvalidInputError("integration_id", "only a mailbox can be synced")
        self._sync_queue().send([SyncJob(tenant_id=who.tenant_id, integration_id=integration_id)])

    def update(
        self, who: Principal, integration_id: str, name: str | None, settings: dict[str, Any], secrets: dict[str, str]
    ) -> Integration:
        """Change what is given (`settings`: whole fields of the kind's settings, `{"imap": ...}`); a
        secret left out keeps its value, unless where it goes changes."""
        current = self.get(who, integration_id)
        check_bound(current, settings, secrets)
        kept = dict(current.secrets)
        if "oauth" in settings or "oauth_refresh_token" in secrets:
            kept.pop("oauth_access_token", None)  # a token of the authorisation before must not reach the servers after
        updated = current.model_copy(
            update={
                "name": name or current.name,
                "settings": current.settings.with_changes(settings),
                "secrets": {**kept, **self.seal(current, secrets)},
                "updated_at": datetime.now(UTC),
            }
        )
        before, after = set(numbers_of(current)), set(numbers_of(updated))
        self._store.replace_integration(updated, sorted(after - before), sorted(before - after))
        if current.kind == "email" and (settings or secrets):
            # New settings deserve a try now, not after the backoff the old ones earned.
            self._store.reschedule_sync(current.tenant_id, current.id, datetime.now(UTC))
        return updated

    def get(self, who: Principal, integration_id: str) -> Integration:
        integration = self._store.get_integration(who.tenant_id, integration_id)
        if integration is None:
            raise NotFoundError(f"integration {integration_id}")
        return integration

    def list(self, who: Principal) -> list[Integration]:
        return self._store.list_integrations(who.tenant_id)

    def delete(self, who: Principal, integration_id: str) -> None:
        integration = self.get(who, integration_id)
        self._store.delete_integration(who.tenant_id, integration_id, numbers_of(integration))

    def secret(self, integration: Integration, field: str) -> str:
        """The plaintext of one secret, for the code that uses it (never for a response)."""
        envelope = integration.secrets[field]
        key = (integration.tenant_id, integration.id, envelope)
        cached = self._opened.get(key)
        if cached and time.monotonic() - cached[0] < self.SECRET_CACHE_SECONDS:
            return cached[1]
        plaintext = self._cipher.decrypt(envelope, context_for(integration.tenant_id, integration.id, field))
        if len(self._opened) >= 1000:  # a warm function serving many integrations: start afresh
            self._opened.clear()
        self._opened[key] = (time.monotonic(), plaintext)
        return plaintext

    def seal(self, integration: Integration, secrets: dict[str, str]) -> dict[str, str]:
        return {
            field: self._cipher.encrypt(value, context_for(integration.tenant_id, integration.id, field))
            for field, value in secrets.items()
        }


# What a stored secret is bound to: change one of these and the secret has to be given again, or
# an admin (or whoever holds an admin's session) could send it to a server of their own.
SERVER_DESTINATION = ("host", "port", "username", "tls", "ca_cert")
OAUTH_DESTINATION = ("token_url", "client_id")


def secret_to_give_again(current: Integration, settings: dict[str, Any], secrets: dict[str, str]) -> str | None:
    """The field of a stored secret that `settings` would send somewhere new without it being given
    again (`imap.password`, `oauth.refresh_token`, ...); None when every secret stays where it was."""
    stored, before, after = set(current.secrets), current.settings, current.settings.with_changes(settings)

    def moved(part: str, fields: tuple[str, ...]) -> bool:
        old, new = getattr(before, part), getattr(after, part)
        return any(getattr(old, field, None) != getattr(new, field, None) for field in fields)

    for server in ("imap", "smtp"):
        if server not in settings or not moved(server, SERVER_DESTINATION):
            continue
        if getattr(after, server).auth == "xoauth2":
            if "oauth_refresh_token" not in secrets:
                return "oauth.refresh_token"
        elif f"{server}_password" in stored and f"{server}_password" not in secrets:
            return f"{server}.password"
    if "oauth" in settings and moved("oauth", OAUTH_DESTINATION):
        for name in ("oauth_refresh_token", "oauth_client_secret"):
            if name in stored and name not in secrets:
                return name.replace("_", ".", 1)
    if isinstance(before, VonageSettings) and after.api_key != before.api_key and "api_secret" not in secrets:
        return "vonage.api_secret"
    return None


def check_bound(current: Integration, settings: dict[str, Any], secrets: dict[str, str]) -> None:
    """A 422 naming the secret to give again when `settings` would send a stored one somewhere new;
    run before anything uses a stored secret with the new settings."""
    unbound = secret_to_give_again(current, settings, secrets)
    if unbound:
        raise InvalidInputError(
            unbound, "give it again: a stored secret only goes to the server, URL and user it was given for"
        )


def numbers_of(integration: Integration) -> list[NumberRoute]:
    """What an integration receives on: (sms, number) and (whatsapp, number), numbers in E.164. Each
    routes that kind of webhook to it, so a WhatsApp claim can never block or take an SMS number."""
    settings = integration.settings
    if not isinstance(settings, VonageSettings):
        return []
    return sorted(
        {
            *((Channel.SMS, number) for number in settings.sms_numbers),
            *((Channel.WHATSAPP, number) for number in settings.whatsapp_numbers),
        }
    )
