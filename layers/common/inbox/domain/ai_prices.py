"""What the AI's tokens cost, to estimate a tenant's model spend (issue 14, item 2): one table of
list prices in US dollars per million tokens, and the date they were read. A model not listed is
priced as the default (the most common: gpt-4o-mini); an estimate, not an invoice. Pure."""

from __future__ import annotations

PRICES_AS_OF = "2026-11-01"

# model prefix -> (prompt, cached prompt, completion) USD per 1M tokens
PRICES: dict[str, tuple[float, float, float]] = {
    "gpt-4o-mini": (0.15, 0.075, 0.60),
    "gpt-4o": (2.50, 1.25, 10.00),
    "gpt-4.1-nano": (0.10, 0.025, 0.40),
    "gpt-4.1-mini": (0.40, 0.10, 1.60),
    "gpt-4.1": (2.00, 0.50, 8.00),
    "gpt-5-nano": (0.05, 0.005, 0.40),
    "gpt-5-mini": (0.25, 0.025, 2.00),
    "gpt-5": (1.25, 0.125, 10.00),
}
DEFAULT_MODEL = "gpt-4o-mini"


def price_of(model: str) -> tuple[float, float, float]:
    """The longest listed prefix of the model's name (gpt-4o-mini-2024-07-18 is gpt-4o-mini)."""
    for name in sorted(PRICES, key=len, reverse=True):
        if model.startswith(name):
            return PRICES[name]
    return PRICES[DEFAULT_MODEL]


def estimated_cost(model: str, prompt: int, cached: int, completion: int) -> float:
    """Cached prompt tokens are part of the prompt tokens, billed at the cached price."""
    prompt_price, cached_price, completion_price = price_of(model)
    cached = min(cached, prompt)
    return ((prompt - cached) * prompt_price + cached * cached_price + completion * completion_price) / 1_000_000
