"""`/inbox/stats`: how the inbox is doing, from the day counters."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims
from inbox.http.schemas.stats import AccuracyOut, ClassificationStats

router = APIGatewayHttpRouter()


@router.get(
    "/stats/classification",
    tags=["stats"],
    summary="AI accuracy: the share of rule and AI decisions people kept, per day and folder",
)
def classification_stats(days: Annotated[int, Query(ge=1, le=90)] = 30) -> ClassificationStats:
    who = principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)
    accuracy = wiring.statistics().classification_accuracy(who.tenant_id, days, datetime.now(UTC).date())
    rows = [AccuracyOut(**row.__dict__, kept=row.kept) for row in accuracy]
    return ClassificationStats(days=days, rows=rows)
