"""The statistics page's figures (issue 14 review, statistics items 4, 5, 6, 13): what a user reads."""

from __future__ import annotations

from inbox.domain.stats_figures import ai_figures


def test_the_ai_section_counts_the_ais_classifications_not_the_rules():
    counters = {"classified:rule:orders": 7, "corrected:rule:orders": 3, "classified:ai:billing": 4}
    counters |= {"corrected:ai:billing": 1}
    ai = ai_figures(counters)
    assert (ai["classified"], ai["classification_kept"]) == (4, 3)


def test_the_resolution_rate_is_not_capped_at_one():
    from inbox.domain.stats_figures import figures

    # two conversations created before the period resolved in it, one created: 2 resolutions for 1
    assert figures({"created": 1, "resolved": 2}, False)["resolution_rate"] == 2.0
    assert figures({"created": 4, "resolved": 1}, False)["resolution_rate"] == 0.25
    assert figures({"resolved": 1}, False)["resolution_rate"] is None


def test_a_creation_moved_out_of_a_period_that_never_counted_it_shows_zero_not_minus_one():
    from inbox.domain.stats_figures import figures, shown_breakdown

    # a conversation from before the counters existed, moved: -1 where it was never counted
    counters = {"created": -1, "created:folder:orders": -1, "created:folder:billing": 2, "resolved": 1}
    page = figures(counters, False)
    assert (page["conversations_created"], page["resolution_rate"]) == (0, None)
    assert shown_breakdown(counters)["folder"] == {"billing": 2}


def test_a_single_duration_reads_as_itself():
    from inbox.domain.stats_histogram import durations, increments

    read = durations(increments("frt.person", 1000), "frt.person")
    assert read == {"count": 1, "mean_seconds": 1000.0, "median_seconds": 1000.0, "p90_seconds": 1000.0}


class CountersStore:
    """The counters items as the recorder leaves them, read by period start like the DynamoDB store."""

    def __init__(self, increments):
        from inbox.domain.stats_counting import counter_items

        self.items = counter_items(increments)
        self.queries = 0

    def counters_between(self, tenant_id, granularity, dimension, first, last):
        self.queries += 1
        return {
            at: c
            for (g, d, at, _), c in self.items.items()
            if (g, d) == (granularity, dimension) and first <= at <= last
        }

    def people_between(self, tenant_id, granularity, first, last):
        self.queries += 1
        return {
            (at, person): c
            for (g, d, at, person), c in self.items.items()
            if (g, d) == (granularity, "PEOPLE") and first <= at <= last
        }


def _activity():
    from datetime import date

    from inbox.domain.stats_counting import Increment

    return CountersStore(
        [
            Increment(date(2026, 11, 2), {"in": 5, "created": 2, "created:channel:sms": 2}, ("all",)),
            Increment(date(2026, 11, 25), {"in": 3}, ("all",)),
            Increment(date(2026, 11, 28), {"in": 1, "created": 1, "created:channel:email": 1}, ("all",)),
            Increment(date(2026, 12, 3), {"in": 7}, ("all",)),
            Increment(date(2026, 11, 2), {"replies": 4}, person="ada"),
            Increment(date(2026, 11, 27), {"replies": 1}, person="ada"),
            Increment(date(2026, 11, 2), {"classified:ai:orders": 6}, ("ai",)),
            Increment(date(2026, 11, 26), {"classified:ai:orders": 2}, ("ai",)),
        ]
    )


def test_the_last_7_days_per_month_total_those_7_days_not_the_whole_month():
    from datetime import date

    from inbox.domain.stats_periods import Granularity, StatsQuery
    from inbox.services.stats import Statistics

    store = _activity()
    page = Statistics(store).report("t", StatsQuery(date(2026, 11, 24), date(2026, 11, 30), Granularity.MONTH))
    assert [(p["start"], p["messages_in"]) for p in page["periods"]] == [("2026-11-01", 9)]  # the month, whole
    assert (page["totals"]["messages_in"], page["totals"]["conversations_created"]) == (4, 1)
    assert page["breakdown"]["channel"] == {"email": 1}
    assert [(p["person_id"], p["replies"]) for p in page["people"]] == [("ada", 1)]
    assert page["ai"]["classified"] == 2


def test_by_week_the_totals_are_the_whole_weeks_inside_and_the_days_around_them():
    from datetime import date

    from inbox.domain.stats_periods import Granularity, StatsQuery
    from inbox.services.stats import Statistics

    store = _activity()
    query = StatsQuery(date(2026, 11, 2), date(2026, 12, 2), Granularity.WEEK)  # Monday 2 Nov .. Wednesday
    page = Statistics(store).report("t", query)
    assert (page["periods"][-1]["start"], page["periods"][-1]["messages_in"]) == ("2026-11-30", 7)
    assert page["totals"]["messages_in"] == 9  # 3 December is out of the range, in its last week
    assert page["people"][0]["replies"] == 5
    assert store.queries <= 1 + 2 + 2 + 2  # periods; the weeks and the days after, of people and AI


def test_by_day_a_page_is_one_query_per_partition():
    from datetime import date

    from inbox.domain.stats_periods import Granularity, StatsQuery
    from inbox.services.stats import Statistics

    store = _activity()
    page = Statistics(store).report("t", StatsQuery(date(2026, 9, 2), date(2026, 12, 2), Granularity.DAY))
    assert (page["totals"]["messages_in"], page["people"][0]["replies"], page["ai"]["classified"]) == (9, 5, 8)
    assert store.queries == 3  # the dimension's days, the people's, the AI's


def test_the_csv_keeps_a_4_percent_rate_and_has_the_totals_people_and_ai():
    import csv
    from datetime import date

    from inbox.domain.stats_counting import Increment
    from inbox.domain.stats_periods import Granularity, StatsQuery
    from inbox.services.stats import Statistics

    store = CountersStore(
        [
            Increment(date(2026, 11, 2), {"created": 25, "resolved": 1, "in": 3, "in:sms": 3}, ("all",)),
            Increment(date(2026, 11, 3), {"created": 1, "created:folder:orders": 1}, ("all",)),
            Increment(date(2026, 11, 2), {"replies": 4}, person="ada"),
            Increment(date(2026, 11, 2), {"classified:ai:orders": 6, "tok:gpt-4o-mini:prompt": 10}, ("ai",)),
        ]
    )
    statistics = Statistics(store)
    text = statistics.csv(statistics.report("t", StatsQuery(date(2026, 11, 2), date(2026, 11, 3), Granularity.DAY)))
    table, _, sections = text.partition("\r\n\r\n")
    rows = list(csv.DictReader(table.splitlines()))
    assert [row["start"] for row in rows] == ["2026-11-02", "2026-11-03", "total"]
    assert rows[0]["resolution_rate"] == "0.04"
    assert (rows[2]["conversations_created"], rows[2]["resolution_rate"]) == ("26", "0.038462")
    long = {(r["section"], r["period"], r["name"]): r["value"] for r in csv.DictReader(sections.splitlines())}
    assert long[("by_channel", "2026-11-02", "sms.in")] == "3"
    assert long[("by_channel", "total", "sms.in")] == "3"
    assert long[("breakdown", "total", "folder.orders")] == "1"
    assert long[("people", "total", "ada.replies")] == "4"
    assert long[("ai", "total", "classified")] == "6"
    assert long[("query", "total", "granularity")] == "day"


def test_the_api_says_what_is_counted():
    from inbox.http.schemas.stats import Breakdown, PersonFigures

    assert "resolutions" in PersonFigures.model_fields["conversations_handled"].description.lower()
    assert "now" in Breakdown.model_fields["status"].description  # a creation moves with its status
