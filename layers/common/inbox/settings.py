"""The settings of a function, read once from the environment the template gives it.

One model holds every variable. The core ones (table, bucket, key, classify queue) are required of
every function; the rest only some functions get, so each handler names those it needs with
`@needs(...)`. A template that leaves one out then fails on the function's first invocation, naming
the variable, rather than in the middle of whichever request first wants it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

Handler = TypeVar("Handler", bound=Callable[..., Any])


class MissingSettingError(RuntimeError):
    """Variables this function needs are not in its environment: a mistake in template.yaml."""

    def __init__(self, names: list[str]):
        super().__init__(f"{', '.join(names)} not set for this function (see its Environment in template.yaml)")
        self.names = names


class Settings(BaseModel):
    """Field names are the environment variables' names in lower case."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str
    blob_bucket: str
    key_id: str = Field(description="KMS key (id or ARN) that wraps the envelope data keys.")
    classify_queue_url: str
    sync_queue_url: str | None = Field(None, description="Mailbox sync jobs (the API and the scheduler).")
    vonage_queue_url: str | None = Field(
        None, description="What Vonage's webhooks leave for later: files to fetch, long SMS to settle."
    )
    openai_api_key: str | None = Field(None, description="The deployment's key, for tenants without their own.")
    openai_model: str = "gpt-4o-mini"
    ai_timeout_seconds: float = Field(8.0, description="Per model call; five calls fit the classifier's 60 s.")
    openai_base_url: str | None = Field(None, description="Any OpenAI-compatible server (Azure, Ollama, vLLM).")
    autoreply_queue_url: str | None = Field(None, description="Messages for the auto-reply capability.")
    purge_queue_url: str | None = Field(None, description="Deleted conversations whose remains are to remove.")
    event_bus_name: str | None = Field(None, description="The EventBridge bus domain events are published to.")
    search_queue_url: str | None = Field(
        None, description="SearchQueue (FIFO): what the search index is to learn (the stream's reader)."
    )
    webhook_delivery_queue_url: str | None = Field(
        None, description="Outbound webhook deliveries: one job per event and webhook (the publisher, the API)."
    )
    aws_endpoint_url: str | None = Field(None, description="moto or another endpoint; None on AWS.")
    outbound_allow_loopback: bool = Field(
        False, description="Tenants' hosts may be on loopback: the local stack's test servers and fakes, never AWS."
    )
    outbound_allow_private: bool = Field(
        False, description="Tenants' hosts may be private addresses: a business's own mail server on a VPN."
    )
    vonage_api_base_url: str = Field(
        "https://api.nexmo.com", description="Vonage's API, the same for every tenant; a fake in the local stack."
    )
    websocket_endpoint: str | None = Field(
        None, description="The WebSocket API's stage URL (wss://...): live updates are posted to its connections."
    )
    user_pool_id: str | None = Field(None, description="The API's: the tenant's people are read from it.")
    token_issuer: str | None = Field(None, description="The user pool's issuer: $connect checks the ID token's iss.")
    token_audience: str | None = Field(None, description="The web app's client id: $connect checks the token's aud.")
    schedule_group: str | None = Field(None, description="EventBridge Scheduler's group of one-time schedules.")
    schedule_target_arn: str | None = Field(None, description="What a one-time schedule invokes: ScheduledFunction.")
    schedule_role_arn: str | None = Field(None, description="The role the scheduler invokes it as.")
    webhook_max_body_bytes: int = 262_144
    webhook_tolerance_seconds: int = 300
    inline_body_bytes: int = Field(4_096, description="Bodies larger than this live in S3.")
    audit_retention_days: int = Field(
        365, ge=1, description="How long an audit entry is kept (its TTL): the AuditRetentionDays parameter."
    )

    def missing(self, *names: str) -> list[str]:
        """Which of these variables (named as in the environment) this function was not given."""
        return [name for name in names if getattr(self, name.lower()) in (None, "")]

    def require(self, name: str) -> str:
        """The value of a variable only some functions get, which the caller cannot do without."""
        if self.missing(name):
            raise MissingSettingError([name])
        return getattr(self, name.lower())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings.model_validate({name.lower(): value for name, value in os.environ.items()})
    except ValidationError as error:
        missing = [str(e["loc"][0]).upper() for e in error.errors() if e["type"] == "missing"]
        if missing:
            raise MissingSettingError(missing) from error
        raise


def needs(*names: str) -> Callable[[Handler], Handler]:
    """Declares on a Lambda handler the variables it needs beyond the core ones (`@needs()`: the core
    ones alone), all checked before each invocation, a cached read once the settings are read."""
    unknown = [name for name in names if name.lower() not in Settings.model_fields]
    if unknown:
        raise ValueError(f"no such setting: {', '.join(unknown)}")

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def checked(*args: Any, **kwargs: Any) -> Any:
            missing = get_settings().missing(*names)
            if missing:
                raise MissingSettingError(missing)
            return handler(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate
