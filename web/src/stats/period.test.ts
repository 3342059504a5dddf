import { describe, expect, it } from "vitest";
import {
  addDays,
  choiceFromSearch,
  choiceToSearch,
  csvFileName,
  daysBetween,
  DEFAULT_CHOICE,
  filterValue,
  isDate,
  parseFilter,
  rangeOf,
  rangeProblem,
  statsQuery,
  statsZone,
  todayIn,
} from "./period";

describe("the statistics' period", () => {
  it("is today in the tenant's time zone, not the browser's", () => {
    const lateInUtc = new Date("2026-11-30T23:30:00Z");
    expect(todayIn("UTC", lateInUtc)).toBe("2026-11-30");
    expect(todayIn("Europe/Paris", lateInUtc)).toBe("2026-12-01");
    expect(todayIn("America/New_York", new Date("2026-12-01T03:00:00Z"))).toBe("2026-11-30");
    expect(todayIn("Not/AZone", lateInUtc)).toBe("2026-11-30");
    // The business hours' zone once set; their defaults (not set) are not what the API counts in.
    expect(statsZone({ time_zone: "Europe/Paris", configured: true })).toBe("Europe/Paris");
    expect(statsZone({ time_zone: "Europe/Paris", configured: false })).toBe("UTC");
  });

  it("counts the last N days with today, across months and leap days", () => {
    expect(rangeOf({ kind: "last", days: 7 }, "2026-12-03")).toEqual({ from: "2026-11-27", to: "2026-12-03" });
    expect(rangeOf({ kind: "last", days: 30 }, "2028-03-01")).toEqual({ from: "2028-02-01", to: "2028-03-01" });
    expect(daysBetween("2028-02-01", "2028-03-01")).toBe(30); // February 2028 has 29 days
    expect(daysBetween(...(Object.values(rangeOf({ kind: "last", days: 90 }, "2026-12-01")) as [string, string]))).toBe(90);
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });

  it("takes a from/to range only when both are dates, in order, and not too long", () => {
    expect(isDate("2026-02-29")).toBe(false);
    expect(isDate("2028-02-29")).toBe(true);
    expect(rangeProblem("", "2026-11-30", "day")).toBe("missing");
    expect(rangeProblem("2026-12-01", "2026-11-30", "day")).toBe("order");
    expect(rangeProblem("2025-01-01", "2026-11-30", "day")).toBe("tooLong");
    expect(rangeProblem("2025-01-01", "2026-11-30", "week")).toBeNull(); // by week, up to 5 years
    expect(rangeProblem("2026-11-30", "2026-11-30", "day")).toBeNull();
  });

  it("keeps a range by day within the API's 92 days (one Query page), longer by week", () => {
    expect(rangeProblem("2026-09-01", "2026-12-01", "day")).toBeNull(); // 92 days
    expect(rangeProblem("2026-09-01", "2026-12-02", "day")).toBe("tooLong");
    expect(rangeProblem("2026-09-01", "2026-12-02", "week")).toBeNull();
  });

  it("asks the API with the granularity, one filter and business hours", () => {
    expect(statsQuery(DEFAULT_CHOICE, "2026-11-30")).toEqual({ from: "2026-11-01", to: "2026-11-30", granularity: "day" });
    const choice = {
      period: { kind: "range", from: "2026-10-01", to: "2026-11-30" },
      granularity: "month",
      filter: { kind: "channel", value: "sms" },
      businessHours: true,
    } as const;
    expect(statsQuery(choice, "2026-12-01")).toEqual({
      from: "2026-10-01",
      to: "2026-11-30",
      granularity: "month",
      channel: "sms",
      business_hours: true,
    });
    expect(statsQuery({ ...choice, period: { kind: "range", from: "2026-12-01", to: "2026-11-30" } }, "2026-12-01")).toBeNull();
  });

  it("keeps the filter in one select value", () => {
    expect(filterValue({ kind: "folder", value: "f:1" })).toBe("folder:f:1");
    expect(parseFilter("folder:f:1")).toEqual({ kind: "folder", value: "f:1" });
    expect(parseFilter("assignee:u-1")).toEqual({ kind: "assignee", value: "u-1" });
    expect(parseFilter("")).toBeNull();
    expect(parseFilter("status:open")).toBeNull();
    expect(parseFilter("channel:")).toBeNull();
  });

  it("names the CSV file after what it holds", () => {
    expect(csvFileName({ from: "2026-11-01", to: "2026-11-30", granularity: "week" })).toBe(
      "statistics-2026-11-01-to-2026-11-30-week.csv",
    );
    expect(
      csvFileName({ from: "2026-11-01", to: "2026-11-30", granularity: "day", assignee: "a/b c", business_hours: true }),
    ).toBe("statistics-2026-11-01-to-2026-11-30-day-assignee-a_b_c-business-hours.csv");
  });

  it("keeps the choice in the address, leaving out the defaults and ignoring what is wrong", () => {
    expect(choiceToSearch(DEFAULT_CHOICE)).toBe("");
    const choice = {
      period: { kind: "last", days: 90 },
      granularity: "week",
      filter: { kind: "folder", value: "f 1" },
      businessHours: true,
    } as const;
    expect(choiceToSearch(choice)).toBe("last=90&per=week&folder=f+1&business_hours=true");
    expect(choiceFromSearch(choiceToSearch(choice))).toEqual(choice);
    const range = { ...DEFAULT_CHOICE, period: { kind: "range", from: "2026-10-01", to: "2026-11-30" } } as const;
    expect(choiceFromSearch(choiceToSearch(range))).toEqual(range);
    expect(choiceFromSearch("last=12&per=year&from=2026-02-30&to=2026-03-01&status=open")).toEqual(DEFAULT_CHOICE);
  });
});
