"""WhatsApp's approved templates: the only messages WhatsApp takes once the customer's 24-hour window
is closed. Pure functions: which template a reply names, its parameters checked, its text rendered."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from inbox.errors import InvalidInputError
from inbox.models.conversation import SentTemplate
from inbox.models.integration_settings import WhatsAppTemplate
from inbox.models.whatsapp_template import ListedTemplate

PLACEHOLDER = re.compile(r"\{\{(\d{1,2})\}\}")  # WhatsApp's own form: {{1}}, no spaces
MAX_PARAMETERS = 20
MAX_PARAMETER_LENGTH = 1024
MAX_TEXT = 1024  # WhatsApp's limit for a template's body


@dataclass(frozen=True)
class TemplateRequest:
    """A reply as a template: which one (its locale when the name has several) and its parameters."""

    name: str
    locale: str | None = None
    parameters: list[str] = field(default_factory=list)


def placeholders(text: str) -> set[int]:
    return {int(number) for number in PLACEHOLDER.findall(text)}


def placeholder_problem(text: str, parameters: int) -> str | None:
    """Why a template's text does not fit its count of parameters: each of {{1}} to {{n}} must be in it,
    and nothing else."""
    expected = set(range(1, parameters + 1))
    found = placeholders(text)
    if found == expected:
        return None
    wanted = ", ".join(f"{{{{{n}}}}}" for n in sorted(expected)) or "no placeholder"
    return f"must hold {wanted} for {parameters} parameter(s)"


def parameter_problem(value: str) -> str | None:
    """WhatsApp refuses a parameter with a line break or a tab, or more than 4 spaces in a row."""
    if not value.strip():
        return "must not be empty"
    if len(value) > MAX_PARAMETER_LENGTH:
        return f"must be at most {MAX_PARAMETER_LENGTH} characters"
    if any(char in value for char in "\r\n\t"):
        return "must be one line without tabs (WhatsApp refuses them in a parameter)"
    if "     " in value:
        return "must not hold more than 4 spaces in a row (WhatsApp refuses them in a parameter)"
    return None


def render(text: str, parameters: Sequence[str]) -> str:
    """The template's text with {{n}} replaced by the n-th parameter, as the customer reads it."""

    def value(match: re.Match[str]) -> str:
        number = int(match[1])
        return parameters[number - 1] if 1 <= number <= len(parameters) else match[0]

    return PLACEHOLDER.sub(value, text)


def choose(
    templates: Sequence[WhatsAppTemplate], request: TemplateRequest, refused: Mapping[str, str] | None = None
) -> WhatsAppTemplate:
    """The approved template the reply names; a 422 naming the field when it names none, or several.
    `refused`: the names Vonage lists without approval, with their status, for the refusal's words."""
    named = [t for t in templates if t.name == request.name]
    if not named and refused and request.name in refused:
        status = refused[request.name]
        raise InvalidInputError("template.name", f"{request.name!r} is {status} at WhatsApp: only approved ones go out")
    if not named:
        known = ", ".join(sorted({t.name for t in templates})) or "none is set in the Vonage integration's settings"
        raise InvalidInputError("template.name", f"{request.name!r} is not an approved template (known: {known})")
    if request.locale is not None:
        named = [t for t in named if t.locale.lower() == request.locale.lower()]
        if not named:
            raise InvalidInputError("template.locale", f"{request.name!r} is not approved in {request.locale}")
    if len(named) > 1:
        locales = ", ".join(t.locale for t in named)
        raise InvalidInputError("template.locale", f"{request.name!r} exists in {locales}: say which")
    return named[0]


def template_reply(
    templates: Sequence[WhatsAppTemplate], request: TemplateRequest, refused: Mapping[str, str] | None = None
) -> tuple[str, SentTemplate]:
    """The reply's text (the template rendered) and what is sent, once the parameters are checked."""
    template = choose(templates, request, refused)
    given = len(request.parameters)
    if given != template.parameters:
        raise InvalidInputError(
            "template.parameters", f"{template.name!r} takes {template.parameters} parameter(s), {given} given"
        )
    for n, value in enumerate(request.parameters):
        problem = parameter_problem(value)
        if problem:
            raise InvalidInputError(f"template.parameters.{n}", problem)
    sent = SentTemplate(name=template.name, locale=template.locale, parameters=list(request.parameters))
    return render(template.text, request.parameters), sent


# ------------------------------------------------------------------ the list Vonage keeps (issue 16, item 5)

STATUSES = {"APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED", "IN_APPEAL"}


def listed_template(raw: Any) -> ListedTemplate | None:
    """One template of Vonage's list (Meta's shape: name, language, status, category, components);
    None for what cannot be sent as a reply of ours: no text BODY, named parameters ({{first_name}}),
    a body over WhatsApp's limit."""
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not isinstance(raw.get("language"), str):
        return None
    bodies = [c for c in raw.get("components") or [] if isinstance(c, dict) and str(c.get("type")).upper() == "BODY"]
    text = bodies[0].get("text") if bodies else None
    if not isinstance(text, str) or not text or len(text) > MAX_TEXT or re.search(r"\{\{\s*[^\d}\s]", text):
        return None
    numbers = placeholders(text)
    count = max(numbers, default=0)
    if numbers != set(range(1, count + 1)) or count > MAX_PARAMETERS:
        return None  # WhatsApp approves {{1}} to {{n}} in order; anything else we would send wrong
    status = str(raw.get("status") or "").upper()
    category = raw.get("category")
    return ListedTemplate(
        name=raw["name"],
        locale=raw["language"],
        status=status if status in STATUSES else "OTHER",
        category=category if isinstance(category, str) else None,
        text=text,
        parameters=count,
    )


@dataclass(frozen=True)
class TemplateOffer:
    """What a WhatsApp reply may be sent as: the approved templates (Vonage's list, then the typed ones
    it does not name), and the names Vonage lists without approval (name -> status)."""

    usable: list[WhatsAppTemplate]
    refused: dict[str, str]


def offer(typed: Sequence[WhatsAppTemplate], listed: Sequence[ListedTemplate]) -> TemplateOffer:
    """Vonage's word wins: a typed template it lists (same name and language) is its version, and one
    it lists as not approved is refused; a typed one it does not list is kept (see README)."""

    def same(locale: str) -> str:
        return locale.lower().replace("_", "-")

    approved = [
        WhatsAppTemplate(name=t.name, locale=t.locale, parameters=t.parameters, text=t.text)
        for t in listed
        if t.status == "APPROVED"
    ]
    known = {(t.name, same(t.locale)) for t in listed}

    def listed_already(t: WhatsAppTemplate) -> bool:
        # Meta has one French, "fr": a typed fr-FR of the same name is that template.
        return (t.name, same(t.locale)) in known or (t.name, same(t.locale).split("-")[0]) in known

    usable = approved + [t for t in typed if not listed_already(t)]
    names = {t.name for t in usable}
    refused = {t.name: t.status for t in listed if t.status != "APPROVED" and t.name not in names}
    return TemplateOffer(usable=usable, refused=refused)
