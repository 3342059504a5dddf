"""`/settings/ai`: the tenant's AI model, URL and key, its company prompt and its auto-reply caps."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from inbox.domain.autoreply.limits import AutoReplyLimits
from inbox.domain.reply_prompt import MAX_COMPANY_PROMPT_CHARS
from inbox.http.schemas.shared import tenant_url


class AiSettingsIn(BaseModel):
    """What changes; `api_key: ""` goes back to the deployment's key (if any)."""

    model_config = ConfigDict(extra="forbid")

    api_key: SecretStr | None = Field(None, max_length=500, description="Write-only.")
    model: str | None = Field(None, min_length=1, max_length=100, description="e.g. gpt-4o-mini, llama3.1")
    base_url: str | None = Field(None, max_length=300, description="An OpenAI-compatible server; null for OpenAI.")
    company_prompt: str | None = Field(
        None,
        max_length=MAX_COMPANY_PROMPT_CHARS,
        description="What the AI must know to answer for the company (tone, policies, contacts). Required by "
        'auto-replies; "" removes it.',
    )
    autoreply_limits: AutoReplyLimits | None = Field(None, description="Caps on auto-replies to one recipient.")

    @field_validator("base_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        return tenant_url(value).rstrip("/") if value else None


class AiSettingsOut(BaseModel):
    model: str
    base_url: str | None
    api_key_set: bool = Field(description="The tenant has its own key.")
    deployment_key: bool = Field(description="The deployment provides a key for tenants without one.")
    configured: bool = Field(description="False: AI filters are skipped and conversations say so.")
    company_prompt: str = Field(description='The company prompt; "" when not written (auto-replies say so).')
    autoreply_limits: AutoReplyLimits
