"""`/inbox/search` (issue 14, item 1): conversations found by words, a phrase or a phone number, and
the same reading for `q` on the conversation list (http/conversations.py)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.domain.search_text import MAX_TERMS
from inbox.http.auth import principal_from_claims
from inbox.http.schemas.conversations import ConversationPage, ListedConversation
from inbox.http.schemas.search import MAX_QUERY, SearchMatch
from inbox.models import ConversationFilter, Principal

router = APIGatewayHttpRouter()

QUERY_HELP = (
    "Words (accents and case ignored, each the start of a word: `commande` finds `commandes`), "
    '"quoted phrases", a phone number\'s digits with or without spaces. Anything else is read as text. '
    f"1 to {MAX_QUERY} characters, at most {MAX_TERMS} words, numbers or phrases; nothing searchable in it, "
    "or more words, is a 422 on `q`."
)


def found(who: Principal, q: str, where: ConversationFilter | None, limit: int, cursor: str | None) -> ConversationPage:
    """A page of what the tenant's index finds for `q` among the conversations `where` lists, best
    first, each with the passage that matched. The reader reads only `who`'s tenant's index and
    gives each hit's conversation as stored now, so a conversation deleted since it was indexed,
    or moved out of the filters, is not listed."""
    hits, next_cursor = wiring.search().search(who, q, limit, cursor, where)
    return ConversationPage(
        items=[
            ListedConversation.of(hit.conversation).model_copy(update={"match": SearchMatch.of(hit)})
            for hit in hits
            if hit.conversation.tenant_id == who.tenant_id  # never another's, whatever an index held
        ],
        next_cursor=next_cursor,
    )


@router.get(
    "/search",
    tags=["search"],
    summary="Conversations found by their words, best first",
    description="Subjects, message text (an HTML email's text too), contact names, emails and phone numbers. "
    "Ranked by relevance, then recency; each item carries `match`, the passage that matched with its found words "
    "marked. `GET /conversations?q=` does the same within the list's filters.",
)
def search(
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description=QUERY_HELP)],
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> ConversationPage:
    who = principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)
    return found(who, q, None, limit, cursor)
