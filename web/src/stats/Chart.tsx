// One Chart.js chart over the periods, with its figures as a table in a disclosure beside it: the
// canvas is a picture (role img, named), the table is what a screen reader or a keyboard user reads.
// Only the parts used are registered, so the lazy chunk carries bar and line charts and nothing else.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJs,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";
import { useEffect, useId, useRef } from "react";
import { useI18n } from "../i18n/i18n";

ChartJs.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

/** Each series' colour, told apart by lightness as well as hue (and by the legend's words). */
const COLOURS = ["#1f5fbf", "#c2571a", "#2e7d32", "#7b3fa0", "#9e9e9e"];

export interface Series {
  label: string;
  values: (number | null)[];
  /** Drawn dashed: a 90th percentile beside its median. */
  dashed?: boolean;
}

export interface ChartProps {
  title: string;
  kind: "bar" | "line";
  /** The periods' names, one per value of each series. */
  labels: string[];
  series: Series[];
  /** A value as the axis, the tooltips and the table say it (a count, a duration, a share). */
  format: (value: number | null) => string;
  /** Line charts of a share: the axis runs from 0 to 1. */
  share?: boolean;
}

/** A heading, the chart and "Show the figures as a table". */
export function StatsChart({ title, kind, labels, series, format, share }: ChartProps) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const headingId = useId();

  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (!context) return; // no canvas (jsdom): the table still says it all
    const config: ChartConfiguration<"bar" | "line", (number | null)[], string> = {
      type: kind,
      data: {
        labels,
        datasets: series.map((one, n) => ({
          label: one.label,
          data: one.values,
          backgroundColor: COLOURS[n % COLOURS.length],
          borderColor: COLOURS[n % COLOURS.length],
          borderDash: one.dashed ? [6, 4] : undefined,
          spanGaps: true,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          y: {
            beginAtZero: true,
            max: share ? 1 : undefined,
            ticks: { callback: (value) => format(Number(value)), precision: share ? undefined : 0 },
          },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format(item.parsed.y)}` } },
        },
      },
    };
    const chart = new ChartJs(context, config);
    return () => chart.destroy();
  }, [kind, labels, series, format, share]);

  return (
    <section className="stats-chart" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <div className="stats-canvas">
        <canvas ref={canvas} role="img" aria-label={t("stats.chart.label", { title })} />
      </div>
      <details className="stats-table">
        <summary>{t("stats.table.show")}</summary>
        <table>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t("stats.table.period")}</th>
              {series.map((one) => (
                <th scope="col" key={one.label}>
                  {one.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, row) => (
              // the periods' order is their identity: two may share a label (a month's part periods)
              <tr key={row}>
                <th scope="row">{label}</th>
                {series.map((one) => (
                  <td key={one.label}>{format(one.values[row] ?? null)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
