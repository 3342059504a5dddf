"""`/inbox/stats`: how the inbox is doing, from the counters kept as things happen (issue 14, item 2),
and the AI's classification accuracy from the day counters."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.domain.stats_periods import Granularity, StatsQuery, range_problem
from inbox.errors import InvalidInputError
from inbox.http.auth import principal_from_claims, require_admin
from inbox.http.schemas.stats import AccuracyOut, ClassificationStats, StatsOut
from inbox.models import Channel

router = APIGatewayHttpRouter()


@router.get(
    "/stats/classification",
    tags=["stats"],
    summary="AI accuracy: the share of rule and AI decisions people kept, per day and folder (admins)",
)
def classification_stats(days: Annotated[int, Query(ge=1, le=90)] = 30) -> ClassificationStats:
    who = require_admin(principal_from_claims(router.current_event.request_context.authorizer.jwt_claim))
    accuracy = wiring.statistics().classification_accuracy(who.tenant_id, days, datetime.now(UTC).date())
    rows = [AccuracyOut(**row.__dict__, kept=row.kept) for row in accuracy]
    return ClassificationStats(days=days, rows=rows)


@router.get(
    "/stats",
    tags=["stats"],
    summary="The inbox's figures per day, ISO week or month, in the tenant's time zone (admins)",
    description="`from` and `to` are local days of the business hours' time zone (UTC until set), both "
    "included, from 2000-01-01 to a year after today; a page spans at most 92 days by day (one Query page: "
    "longer ranges by week or month; 422 naming `granularity`), 5 years by week, 10 by month. At most one of `folder`, "
    "`channel`, `assignee` (a user id or `none`). `business_hours=true`: response and resolution times "
    "counted within business hours only. `format=csv`: the same figures as text/csv: "
    "a row per period and a total row, then the rest in long form (section, period, name, value).",
    responses={
        200: {
            "description": "The figures (JSON), or with `format=csv` as CSV",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StatsOut"}}, "text/csv": {}},
        }
    },
)
def get_stats(
    from_: Annotated[date, Query(alias="from", description="The first local day (YYYY-MM-DD).")],
    to: Annotated[date, Query(description="The last local day, included.")],
    granularity: Annotated[Granularity, Query()] = Granularity.DAY,
    folder: Annotated[str | None, Query(max_length=64, description="A folder id, or `none` (the inbox).")] = None,
    channel: Annotated[Channel | None, Query()] = None,
    assignee: Annotated[str | None, Query(max_length=128, description="A user id, or `none`.")] = None,
    business_hours: Annotated[bool, Query()] = False,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> StatsOut | str:
    who = require_admin(principal_from_claims(router.current_event.request_context.authorizer.jwt_claim))
    problem = range_problem(from_, to, granularity, wiring.clock().now().date())
    if problem:
        raise InvalidInputError(*problem)
    given = [
        (name, value) for name, value in (("folder", folder), ("channel", channel), ("assignee", assignee)) if value
    ]
    if len(given) > 1:
        raise InvalidInputError(given[1][0], f"filter by one of folder, channel or assignee: {given[0][0]} is given")
    dimension = f"{given[0][0]}:{given[0][1]}" if given else "all"
    query = StatsQuery(from_, to, granularity, dimension, business_hours)
    report = wiring.statistics().report(who.tenant_id, query)
    if format == "csv":
        return Response(  # type: ignore[return-value] (the CSV: a string, as the annotation allows)
            status_code=200,
            content_type="text/csv; charset=utf-8",
            body=wiring.statistics().csv(report),
            headers={"Content-Disposition": f'attachment; filename="stats-{from_}-{to}-{granularity.value}.csv"'},
        )
    return StatsOut.model_validate(report)
