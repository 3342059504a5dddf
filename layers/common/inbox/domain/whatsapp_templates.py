"""WhatsApp's approved templates: the only messages WhatsApp takes once the customer's 24-hour window
is closed. Pure functions: which template a reply names, its parameters checked, its text rendered."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from inbox.errors import InvalidInputError
from inbox.models.conversation import SentTemplate
from inbox.models.integration_settings import WhatsAppTemplate

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


def choose(templates: Sequence[WhatsAppTemplate], request: TemplateRequest) -> WhatsAppTemplate:
    """The approved template the reply names; a 422 naming the field when it names none, or several."""
    named = [t for t in templates if t.name == request.name]
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


def template_reply(templates: Sequence[WhatsAppTemplate], request: TemplateRequest) -> tuple[str, SentTemplate]:
    """The reply's text (the template rendered) and what is sent, once the parameters are checked."""
    template = choose(templates, request)
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
