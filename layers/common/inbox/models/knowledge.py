"""The company's knowledge base as the AI reads it: passages of the documents an admin added."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Passage(BaseModel):
    """A piece of a knowledge-base document, small enough to quote; cited by the drafts that used it."""

    document_id: str
    passage_id: str = Field(description="Stable within its document version, e.g. `<document id>:<n>`.")
    title: str = Field(description="The document's title, for the person reading a draft's sources.")
    text: str


class KnowledgeSelection(BaseModel):
    """What goes in a prompt: the whole base when it fits the budget (and the provider caches it as
    part of the stable prefix), else the passages most relevant to the conversation."""

    passages: list[Passage] = Field(default_factory=list)
    whole: bool = Field(description="True when every passage of the base is here, in the base's own order.")
