// What the statistics screen asks GET /inbox/stats for (issue 14, item 2): the period (the last 7, 30
// or 90 days, or from/to), the granularity, at most one filter, business hours. Pure: the screen and
// the CSV download build the same query from here.
import type { Channel } from "../api/client";

export const PRESETS = [7, 30, 90] as const;
export type Preset = (typeof PRESETS)[number];
export const GRANULARITIES = ["day", "week", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];
export const FILTER_KINDS = ["folder", "channel", "assignee"] as const;
export type FilterKind = (typeof FILTER_KINDS)[number];

export type PeriodChoice = { kind: "last"; days: Preset } | { kind: "range"; from: string; to: string };
export type FilterChoice = { kind: FilterKind; value: string } | null;

export interface StatsChoice {
  period: PeriodChoice;
  granularity: Granularity;
  filter: FilterChoice;
  businessHours: boolean;
}

export const DEFAULT_CHOICE: StatsChoice = {
  period: { kind: "last", days: 30 },
  granularity: "day",
  filter: null,
  businessHours: false,
};

/** The longest period asked for at once, by granularity: the API's own limits (domain/stats_periods.py
 * MAX_DAYS; by day what one Query page holds, so a page's requests stay constant). */
export const MAX_DAYS: Record<Granularity, number> = { day: 92, week: 5 * 366, month: 10 * 366 };

/** The query GET /inbox/stats takes (`format=csv` added for the download). */
export interface StatsQuery {
  from: string;
  to: string;
  granularity: Granularity;
  folder?: string;
  channel?: Channel;
  assignee?: string;
  business_hours?: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The zone the API counts a tenant's days in: its business hours' once an admin set them, UTC until
 * then (GET /inbox/settings/business-hours answers its defaults, `configured: false`, before). */
export function statsZone(hours: { time_zone: string; configured: boolean }): string {
  return hours.configured ? hours.time_zone : "UTC";
}

/** Today's date (YYYY-MM-DD) in `timeZone`: the API counts days in the tenant's zone, not the browser's. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(now);
  } catch {
    return now.toISOString().slice(0, 10); // a zone this browser does not know: UTC, the API's default
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** A valid calendar date, as `<input type=date>` gives it. */
export function isDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function addDays(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both counted. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

export type RangeProblem = "missing" | "order" | "tooLong";

/** Why a from/to range cannot be asked for at this granularity, or null. */
export function rangeProblem(from: string, to: string, granularity: Granularity): RangeProblem | null {
  if (!isDate(from) || !isDate(to)) return "missing";
  if (from > to) return "order";
  if (daysBetween(from, to) > MAX_DAYS[granularity]) return "tooLong";
  return null;
}

/** The first and last day of the period, `today` being the tenant's: the last N days end today. */
export function rangeOf(period: PeriodChoice, today: string): { from: string; to: string } {
  if (period.kind === "range") return { from: period.from, to: period.to };
  return { from: addDays(today, 1 - period.days), to: today };
}

/** The API's query for a choice, or null while its range is not valid. */
export function statsQuery(choice: StatsChoice, today: string): StatsQuery | null {
  const { from, to } = rangeOf(choice.period, today);
  if (rangeProblem(from, to, choice.granularity)) return null;
  const query: StatsQuery = { from, to, granularity: choice.granularity };
  if (choice.filter?.kind === "channel") query.channel = choice.filter.value as Channel;
  else if (choice.filter) query[choice.filter.kind] = choice.filter.value;
  if (choice.businessHours) query.business_hours = true;
  return query;
}

/** The filter as one <select> value, `kind:value` ("" for none), and back. */
export function filterValue(filter: FilterChoice): string {
  return filter ? `${filter.kind}:${filter.value}` : "";
}

export function parseFilter(value: string): FilterChoice {
  const colon = value.indexOf(":");
  const kind = value.slice(0, colon);
  const rest = value.slice(colon + 1);
  if (colon < 0 || !rest || !(FILTER_KINDS as readonly string[]).includes(kind)) return null;
  return { kind: kind as FilterKind, value: rest };
}

/** The downloaded file's name: what it holds, e.g. `statistics-2026-11-01-to-2026-11-30-week-channel-sms.csv`. */
export function csvFileName(query: StatsQuery): string {
  const parts = ["statistics", query.from, "to", query.to, query.granularity];
  for (const kind of FILTER_KINDS) {
    const value = query[kind];
    if (value) parts.push(kind, value.replace(/[^A-Za-z0-9_-]+/g, "_"));
  }
  if (query.business_hours) parts.push("business-hours");
  return `${parts.join("-")}.csv`;
}

/** The choice as the screen's address keeps it (`#stats?last=90&per=week&channel=sms`), so a reload
 * or a shared link shows the same figures; the defaults are left out. */
export function choiceToSearch(choice: StatsChoice): string {
  const params = new URLSearchParams();
  const { period } = choice;
  if (period.kind === "range") {
    params.set("from", period.from);
    params.set("to", period.to);
  } else if (period.days !== 30) {
    params.set("last", String(period.days)); // the default period, the last 30 days, is left out
  }
  if (choice.granularity !== DEFAULT_CHOICE.granularity) params.set("per", choice.granularity);
  if (choice.filter) params.set(choice.filter.kind, choice.filter.value);
  if (choice.businessHours) params.set("business_hours", "true");
  return params.toString();
}

/** The choice an address holds; what it does not say, or says wrong, is the default. */
export function choiceFromSearch(search: string): StatsChoice {
  const params = new URLSearchParams(search);
  const last = Number(params.get("last"));
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const per = params.get("per") ?? "";
  const kind = FILTER_KINDS.find((name) => params.get(name));
  return {
    period:
      isDate(from) && isDate(to)
        ? { kind: "range", from, to }
        : (PRESETS as readonly number[]).includes(last)
          ? { kind: "last", days: last as Preset }
          : DEFAULT_CHOICE.period,
    granularity: (GRANULARITIES as readonly string[]).includes(per) ? (per as Granularity) : DEFAULT_CHOICE.granularity,
    filter: kind ? { kind, value: params.get(kind)! } : null,
    businessHours: params.get("business_hours") === "true",
  };
}
