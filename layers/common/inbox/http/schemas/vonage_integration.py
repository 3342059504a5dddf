"""A Vonage integration as the API takes it: numbers for SMS and WhatsApp, keys and secrets, and the
approved WhatsApp templates (`whatsapp_templates`) that answer once the 24-hour window has closed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from inbox.adapters.dynamodb import MAX_NUMBERS  # what one transaction can write
from inbox.domain.whatsapp_templates import MAX_PARAMETERS, placeholder_problem
from inbox.domain.whatsapp_templates import MAX_TEXT as MAX_TEMPLATE_TEXT
from inbox.errors import InvalidInputError
from inbox.models.integration_settings import VonageSettings


class WhatsAppTemplateIn(BaseModel):
    """A template approved in WhatsApp Business, as written there: the replies it allows once the
    24-hour window is closed."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        min_length=1,
        max_length=512,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="As approved (lower case and underscores), after `namespace:` if Vonage asks for one.",
    )
    locale: str = Field(
        min_length=2, max_length=35, pattern=r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$", description="e.g. fr, en-GB."
    )
    parameters: int = Field(0, ge=0, le=MAX_PARAMETERS, description="How many: {{1}} to {{n}} in `text`.")
    text: str = Field(min_length=1, max_length=MAX_TEMPLATE_TEXT, description="Its body as approved, for previews.")

    @field_validator("text")
    @classmethod
    def _placeholders(cls, value: str, info) -> str:
        problem = placeholder_problem(value, info.data.get("parameters", 0))
        if problem:
            raise ValueError(problem)
        return value


def one_of_each(templates: list[WhatsAppTemplateIn] | None) -> list[WhatsAppTemplateIn] | None:
    seen: set[tuple[str, str]] = set()
    for template in templates or ():  # None: an update that leaves the templates as they are
        key = (template.name, template.locale.lower())
        if key in seen:
            raise ValueError(f"{template.name} in {template.locale} is listed twice")
        seen.add(key)
    return templates


Templates = Annotated[list[WhatsAppTemplateIn], Field(max_length=50)]


def _e164(field: str) -> Callable[[str], str]:
    from inbox.domain.contacts import normalize_phone

    def check(value: str) -> str:
        return normalize_phone(value, field) or ""

    return check


Number = Annotated[str, Field(min_length=3, max_length=32, description="E.164, e.g. +33612345678.")]
VONAGE_WEBHOOKS = {
    "sms_inbound": "/inbox/webhooks/sms",
    "messages_inbound": "/inbox/webhooks/whatsapp",
    "messages_status": "/inbox/webhooks/status",
}


class VonageIntegrationIn(BaseModel):
    """A Vonage account: SMS numbers and WhatsApp senders, one webhook URL for every tenant."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["vonage"]
    name: str = Field(min_length=1, max_length=100)
    sms_numbers: list[Number] = Field(default_factory=list, max_length=50)
    whatsapp_numbers: list[Number] = Field(default_factory=list, max_length=50)
    api_key: str = Field(min_length=1, max_length=64)
    api_secret: SecretStr = Field(min_length=1, max_length=256)
    application_id: str | None = Field(None, min_length=1, max_length=64, description="For Messages API JWTs.")
    private_key: SecretStr | None = Field(None, max_length=10_000, description="The application's PEM key.")
    signature_secret: SecretStr = Field(min_length=16, max_length=256, description="Signs Vonage's webhooks.")
    signature_method: Literal["md5hash", "md5", "sha1", "sha256", "sha512"] = Field(
        "md5hash", description="The SMS signature method chosen in the Vonage dashboard."
    )
    whatsapp_templates: Templates = Field(
        default_factory=list, description="The WhatsApp templates approved for these numbers."
    )

    whatsapp_business_account_id: str | None = Field(
        None,
        pattern=r"^\d{5,20}$",
        description="The WhatsApp Business Account (WABA) id: its approved templates are then listed from Vonage.",
    )

    _templates = field_validator("whatsapp_templates")(one_of_each)

    @field_validator("sms_numbers", "whatsapp_numbers")
    @classmethod
    def _numbers(cls, values: list[str], info) -> list[str]:
        numbers = [_e164(f"{info.field_name}.{n}")(value) for n, value in enumerate(values)]
        return list(dict.fromkeys(numbers))

    @field_validator("private_key")
    @classmethod
    def _private_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            from cryptography.hazmat.primitives.serialization import load_pem_private_key

            try:
                load_pem_private_key(value.get_secret_value().encode(), None)
            except (ValueError, TypeError) as error:
                raise ValueError("is not an unencrypted PEM private key") from error
        return value

    @model_validator(mode="after")
    def _usable(self) -> Self:
        if not (self.sms_numbers or self.whatsapp_numbers):
            raise ValueError("give at least one number in sms_numbers or whatsapp_numbers")
        if len(self.sms_numbers) + len(self.whatsapp_numbers) > MAX_NUMBERS:
            raise ValueError(f"at most {MAX_NUMBERS} numbers per integration (one for SMS and WhatsApp counts twice)")
        if (self.application_id is None) != (self.private_key is None):
            raise ValueError("application_id and private_key go together")
        if self.whatsapp_numbers and self.application_id is None:
            raise ValueError("WhatsApp needs application_id and private_key (Messages API)")
        return self

    def settings(self) -> VonageSettings:
        # No templates is not stored: an integration made without them reads as those made before them.
        fields = set(VonageSettings.model_fields) - (set() if self.whatsapp_templates else {"whatsapp_templates"})
        fields -= set() if self.whatsapp_business_account_id else {"whatsapp_business_account_id"}
        return VonageSettings.model_validate(self.model_dump(include=fields))

    def secrets(self) -> dict[str, str]:
        given = {
            "api_secret": self.api_secret,
            "private_key": self.private_key,
            "signature_secret": self.signature_secret,
        }
        return {name: value.get_secret_value() for name, value in given.items() if value}


class VonageUpdate(BaseModel):
    """Only what is given changes; a secret left out keeps its value."""

    model_config = ConfigDict(extra="forbid")

    sms_numbers: list[Number] | None = Field(None, max_length=50)
    whatsapp_numbers: list[Number] | None = Field(None, max_length=50)
    api_key: str | None = Field(None, min_length=1, max_length=64)
    api_secret: SecretStr | None = Field(None, min_length=1, max_length=256)
    application_id: str | None = Field(None, min_length=1, max_length=64)
    private_key: SecretStr | None = Field(None, max_length=10_000)
    signature_secret: SecretStr | None = Field(None, min_length=16, max_length=256)
    signature_method: Literal["md5hash", "md5", "sha1", "sha256", "sha512"] | None = None
    whatsapp_templates: Templates | None = Field(None, description="The approved templates, in full; [] removes them.")
    whatsapp_business_account_id: str | None = Field(
        None, pattern=r"^\d{5,20}$", description="The WABA id whose approved templates Vonage lists."
    )

    _templates = field_validator("whatsapp_templates")(one_of_each)
    _numbers = field_validator("sms_numbers", "whatsapp_numbers")(VonageIntegrationIn._numbers.__func__)
    _private_key = field_validator("private_key")(VonageIntegrationIn._private_key.__func__)

    @field_validator("sms_numbers", "whatsapp_numbers", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:  # left out keeps the numbers, [] removes them; null says neither
            raise ValueError("cannot be null: leave it out to keep the numbers, or give []")
        return value

    def changes(self, current: VonageSettings) -> tuple[dict, dict[str, str]]:
        given = self.model_dump(exclude_none=True, exclude={"api_secret", "private_key", "signature_secret"})
        numbers = current.with_changes(given)
        if not (numbers.sms_numbers or numbers.whatsapp_numbers):
            raise InvalidInputError("vonage.sms_numbers", "an integration keeps at least one number")
        if len(numbers.sms_numbers) + len(numbers.whatsapp_numbers) > MAX_NUMBERS:
            raise InvalidInputError(
                "vonage.sms_numbers",
                f"at most {MAX_NUMBERS} numbers per integration (one for SMS and WhatsApp counts twice)",
            )
        secrets = {
            name: value.get_secret_value()
            for name in ("api_secret", "private_key", "signature_secret")
            if (value := getattr(self, name)) is not None
        }
        return given, secrets
