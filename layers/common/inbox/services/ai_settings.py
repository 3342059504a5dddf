"""Which model a tenant's AI features use: the tenant's own key and model, else the deployment's,
else none (and the features say so rather than pretend)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from inbox.adapters.cipher import context_for
from inbox.domain.autoreply.limits import AutoReplyLimits
from inbox.errors import InvalidInputError
from inbox.models import Principal


class Store(Protocol):
    def get_ai_settings(self, tenant_id: str) -> dict[str, Any] | None: ...
    def save_ai_settings(self, tenant_id: str, settings: dict[str, Any]) -> None: ...


class Cipher(Protocol):
    def encrypt(self, plaintext: str, context: dict[str, str]) -> str: ...
    def decrypt(self, envelope: str, context: dict[str, str]) -> str: ...


@dataclass(frozen=True)
class AiConfig:
    api_key: str
    model: str
    base_url: str | None
    source: str  # "tenant" or "deployment"


_KEY_CONTEXT = ("settings", "ai_api_key")


class AiSettings:
    CACHE_SECONDS = 60  # a warm classifier does not read the settings for every message

    def __init__(
        self, store: Store, cipher: Cipher, default_key: str | None, default_model: str, default_url: str | None
    ):
        self._store = store
        self._cipher = cipher
        self._default = (default_key, default_model, default_url)
        self._cache: dict[str, tuple[float, AiConfig | None]] = {}
        self._stored_cache: dict[str, tuple[float, dict[str, Any]]] = {}

    def config(self, tenant_id: str) -> AiConfig | None:
        cached = self._cache.get(tenant_id)
        if cached and time.monotonic() - cached[0] < self.CACHE_SECONDS:
            return cached[1]
        stored = self._store.get_ai_settings(tenant_id) or {}
        key, model, url = self._default
        config = None
        if stored.get("api_key"):
            plaintext = self._cipher.decrypt(stored["api_key"], context_for(tenant_id, *_KEY_CONTEXT))
            config = AiConfig(plaintext, stored.get("model") or model, stored.get("base_url") or url, "tenant")
        elif key:  # the deployment pays: its model, not one a tenant picks
            config = AiConfig(key, model, url, "deployment")
        self._cache[tenant_id] = (time.monotonic(), config)
        return config

    def company_prompt(self, tenant_id: str) -> str | None:
        """What the tenant tells the AI about itself (tone, policies, contacts); None until written,
        and auto-replies are not configured until it is."""
        return (self._stored(tenant_id).get("company_prompt") or "").strip() or None

    def autoreply_limits(self, tenant_id: str) -> AutoReplyLimits:
        """The tenant's caps on auto-replies to one recipient (the defaults until an admin sets them)."""
        return _limits(self._stored(tenant_id))

    def _stored(self, tenant_id: str) -> dict[str, Any]:
        cached = self._stored_cache.get(tenant_id)
        if cached and time.monotonic() - cached[0] < self.CACHE_SECONDS:
            return cached[1]
        stored = self._store.get_ai_settings(tenant_id) or {}
        self._stored_cache[tenant_id] = (time.monotonic(), stored)
        return stored

    def describe(self, who: Principal) -> dict[str, Any]:
        stored = self._store.get_ai_settings(who.tenant_id) or {}
        key, model, url = self._default
        return {
            "model": (stored.get("model") or model) if stored.get("api_key") else model,
            "base_url": stored.get("base_url") or url,
            "api_key_set": bool(stored.get("api_key")),
            "deployment_key": bool(key),
            "configured": bool(stored.get("api_key") or key),
            "company_prompt": stored.get("company_prompt") or "",
            "autoreply_limits": _limits(stored).model_dump(),
        }

    def update(self, who: Principal, changes: dict[str, Any]) -> dict[str, Any]:
        """Set what is given; `api_key: ""` removes the tenant's own key. The key is bound to the URL
        it was given with: another URL without the key again would send it there."""
        stored = dict(self._store.get_ai_settings(who.tenant_id) or {})
        moved = "base_url" in changes and (changes["base_url"] or None) != (stored.get("base_url") or None)
        if moved and stored.get("api_key") and "api_key" not in changes:
            raise InvalidInputError("api_key", "give it again: a stored key only goes to the URL it was given for")
        for name in ("model", "base_url", "company_prompt"):
            if name in changes:
                stored[name] = changes[name]
        if "autoreply_limits" in changes:  # null: back to the defaults
            limits = changes["autoreply_limits"]
            stored["autoreply_limits"] = AutoReplyLimits.model_validate(limits).model_dump() if limits else None
        if "api_key" in changes:
            key = changes["api_key"]
            stored["api_key"] = self._cipher.encrypt(key, context_for(who.tenant_id, *_KEY_CONTEXT)) if key else None
        stored["updated_at"] = datetime.now(UTC).isoformat()
        self._store.save_ai_settings(who.tenant_id, stored)
        self._cache.pop(who.tenant_id, None)
        self._stored_cache.pop(who.tenant_id, None)
        return self.describe(who)


def _limits(stored: dict[str, Any]) -> AutoReplyLimits:
    saved = stored.get("autoreply_limits")
    return AutoReplyLimits.model_validate({k: int(v) for k, v in saved.items()}) if saved else AutoReplyLimits()
