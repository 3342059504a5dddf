// Numbers, shares, durations, costs and period names in the interface's language (Intl), for the
// statistics screen's charts, tables and key figures. Pure, so Vitest checks each language.
import { translate } from "../i18n/i18n";
import type { Language } from "../i18n/messages";
import type { Granularity } from "./period";

export const NO_VALUE = "—";

const LOCALES: Record<Language, string> = { en: "en-GB", fr: "fr-FR" };

// Each unit with its length in seconds, largest first: a duration is said in its two largest units.
const UNITS = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
] as const;

export interface StatsFormat {
  locale: string;
  count: (value: number) => string;
  /** A share (0.42) as a percentage ("42 %" in French). */
  percent: (value: number | null | undefined) => string;
  /** Seconds as a duration in its two largest units: "2 hrs 5 mins", "2 h 5 min". */
  duration: (seconds: number | null | undefined) => string;
  /** An estimated cost, in US dollars (what model providers bill in). */
  cost: (usd: number) => string;
  /** The name of a period from its first day: "3 Nov", "Week of 27 Oct", "Nov 2026". */
  period: (start: string, granularity: Granularity) => string;
  /** A day in full: "1 Nov 2026". */
  day: (date: string) => string;
}

/** The formatters of one language. Dates are the API's calendar dates (in the tenant's zone): shown as
 * such, read and written in UTC so no time zone moves them to another day. */
export function statsFormat(language: Language): StatsFormat {
  const locale = LOCALES[language];
  const counts = new Intl.NumberFormat(locale);
  const shares = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const money = new Intl.NumberFormat(locale, { style: "currency", currency: "USD", maximumFractionDigits: 2 });
  const smallMoney = new Intl.NumberFormat(locale, { style: "currency", currency: "USD", maximumSignificantDigits: 2 });
  const units = Object.fromEntries(
    UNITS.map(([unit]) => [unit, new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short" })]),
  ) as Record<(typeof UNITS)[number][0], Intl.NumberFormat>;
  const list = new Intl.ListFormat(locale, { style: "narrow", type: "unit" });
  const dates = {
    day: new Intl.DateTimeFormat(locale, { timeZone: "UTC", day: "numeric", month: "short" }),
    full: new Intl.DateTimeFormat(locale, { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" }),
    month: new Intl.DateTimeFormat(locale, { timeZone: "UTC", month: "short", year: "numeric" }),
  };
  const asDate = (date: string) => new Date(`${date}T00:00:00Z`);

  return {
    locale,
    count: (value) => counts.format(value),
    percent: (value) => (value === null || value === undefined ? NO_VALUE : shares.format(value)),
    duration: function duration(seconds): string {
      if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return NO_VALUE;
      const at = UNITS.findIndex(([, size]) => seconds >= size);
      if (at < 0 || at === UNITS.length - 1) {
        const whole = Math.round(Math.max(seconds, 0));
        return whole >= 60 ? duration(whole) : units.second.format(whole);
      }
      const [big, bigSize] = UNITS[at]!;
      const [small, smallSize] = UNITS[at + 1]!;
      const total = Math.round(seconds / smallSize); // in the smaller unit, rounded once
      // 3599.6 s rounds to 60 min: said as 1 hr
      if (at > 0 && total * smallSize >= UNITS[at - 1]![1]) return duration(total * smallSize);
      const ratio = bigSize / smallSize;
      const said = [units[big].format(Math.floor(total / ratio))];
      if (total % ratio) said.push(units[small].format(total % ratio));
      return list.format(said);
    },
    cost: (usd) => (usd > 0 && usd < 1 ? smallMoney : money).format(usd),
    period: (start, granularity) => {
      if (granularity === "month") return dates.month.format(asDate(start));
      if (granularity === "week") return translate(language, "stats.weekOf", { day: dates.day.format(asDate(start)) });
      return dates.day.format(asDate(start));
    },
    day: (date) => dates.full.format(asDate(date)),
  };
}
