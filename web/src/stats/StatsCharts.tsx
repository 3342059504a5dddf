// The statistics' charts over the periods (issue 14, item 2): messages in and out, new, resolved and
// reopened conversations, first response and reply times (a person's and automatic replies apart,
// median and 90th percentile), the resolution rate.
import { useMemo } from "react";
import { useI18n } from "../i18n/i18n";
import { StatsChart, type Series } from "./Chart";
import type { StatsFormat } from "./format";
import type { Granularity } from "./period";
import type { PeriodFigures, Stats } from "./queries";

type Times = PeriodFigures["first_response"];

export function StatsCharts({ stats, format }: { stats: Stats; format: StatsFormat }) {
  const { t } = useI18n();
  const periods = stats.periods;
  const labels = useMemo(
    () => periods.map((period) => format.period(period.start, stats.granularity as Granularity)),
    [periods, format, stats.granularity],
  );
  const charts = useMemo(() => {
    const of = (pick: (period: PeriodFigures) => number | null | undefined) => periods.map((p) => pick(p) ?? null);
    const times = (pick: (period: PeriodFigures) => Times): Series[] => [
      { label: t("stats.series.personMedian"), values: of((p) => pick(p).person.median_seconds) },
      { label: t("stats.series.personP90"), values: of((p) => pick(p).person.p90_seconds), dashed: true },
      { label: t("stats.series.autoMedian"), values: of((p) => pick(p).auto.median_seconds) },
      { label: t("stats.series.autoP90"), values: of((p) => pick(p).auto.p90_seconds), dashed: true },
    ];
    const count = (value: number | null) => (value === null ? "—" : format.count(value));
    return {
      messages: [
        { label: t("stats.series.in"), values: of((p) => p.messages_in) },
        { label: t("stats.series.out"), values: of((p) => p.messages_out) },
      ],
      conversations: [
        { label: t("stats.series.created"), values: of((p) => p.conversations_created) },
        { label: t("stats.series.resolved"), values: of((p) => p.resolved) },
        { label: t("stats.series.reopened"), values: of((p) => p.reopened) },
      ],
      firstResponse: times((p) => p.first_response),
      replyTime: times((p) => p.reply_time),
      resolutionRate: [{ label: t("stats.series.resolutionRate"), values: of((p) => p.resolution_rate) }],
      count,
    };
  }, [periods, t, format]);

  return (
    <div className="stats-charts">
      <StatsChart kind="bar" title={t("stats.chart.messages")} labels={labels} series={charts.messages} format={charts.count} />
      <StatsChart
        kind="bar"
        title={t("stats.chart.conversations")}
        labels={labels}
        series={charts.conversations}
        format={charts.count}
      />
      <StatsChart
        kind="line"
        title={t("stats.chart.firstResponse")}
        labels={labels}
        series={charts.firstResponse}
        format={format.duration}
      />
      <StatsChart kind="line" title={t("stats.chart.replyTime")} labels={labels} series={charts.replyTime} format={format.duration} />
      <StatsChart
        kind="line"
        title={t("stats.chart.resolutionRate")}
        labels={labels}
        series={charts.resolutionRate}
        format={format.percent}
        share
      />
    </div>
  );
}
