// When an entry happened, relative to now ("5 minutes ago", "il y a 5 minutes") in the interface's language.
import type { Language } from "../i18n/messages";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** `iso` relative to `now`, in the largest unit it holds at least once (seconds under a minute: "now"). */
export function relativeTime(iso: string, now: Date, language: Language): string {
  const format = new Intl.RelativeTimeFormat(language === "fr" ? "fr-FR" : "en-GB", { numeric: "auto" });
  const seconds = (Date.parse(iso) - now.getTime()) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, "second");
}

/** The API's bound for a day picked in a date field, in the browser's time zone: its start (`from`)
 * or its last millisecond (`to`, which is inclusive). Null for an empty or invalid field. */
export function dayBound(day: string, end: boolean): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const bound = end ? new Date(year, month, date + 1, 0, 0, 0, -1) : new Date(year, month, date);
  return Number.isNaN(bound.getTime()) ? null : bound.toISOString();
}
