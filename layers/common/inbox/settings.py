"""One settings model, read once from the environment the template gives each function."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field


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
    webhook_max_body_bytes: int = 262_144
    webhook_tolerance_seconds: int = 300
    inline_body_bytes: int = Field(4_096, description="Bodies larger than this live in S3.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.model_validate({name.lower(): value for name, value in os.environ.items()})
