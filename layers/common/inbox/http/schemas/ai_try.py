"""`POST /inbox/ai/try`: a sample message in, what the AI would do with it out (nothing stored or sent)."""

from __future__ import annotations

from pydantic import ConfigDict

from inbox.models.ai_try import SampleMessage, TryResult


class AiTryIn(SampleMessage):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "channel": "email",
                    "sender": "claire.martin@example.fr",
                    "sender_name": "Claire Martin",
                    "subject": "Commande",
                    "text": "Où est ma commande #12345 ?",
                }
            ]
        },
    )


class AiTryOut(TryResult):
    """The folder and who decided, the intent and urgency, and what the folder's auto-reply would do."""
