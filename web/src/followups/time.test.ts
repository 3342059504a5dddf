import { describe, expect, it } from "vitest";
import { filterOf } from "../inbox/views";
import { fromLocalInput, presetTime, toLocalInput } from "./time";

// Local times: the test runs in the machine's time zone, as the browser would.
const at = (text: string) => new Date(text);

describe("snooze presets", () => {
  it("later today is three hours on, on the hour", () => {
    expect(toLocalInput(presetTime("laterToday", at("2026-12-01T10:20:00")))).toBe("2026-12-01T14:00");
    expect(toLocalInput(presetTime("laterToday", at("2026-12-01T10:00:00")))).toBe("2026-12-01T13:00");
  });

  it("tomorrow is 9:00 the next day, across a month's end", () => {
    expect(toLocalInput(presetTime("tomorrow", at("2026-11-30T22:45:00")))).toBe("2026-12-01T09:00");
  });

  it("next week is the next Monday at 9:00, a week on from a Monday", () => {
    expect(toLocalInput(presetTime("nextWeek", at("2026-12-02T16:00:00")))).toBe("2026-12-07T09:00"); // a Wednesday
    expect(toLocalInput(presetTime("nextWeek", at("2026-12-06T08:00:00")))).toBe("2026-12-07T09:00"); // a Sunday
    expect(toLocalInput(presetTime("nextWeek", at("2026-12-07T08:00:00")))).toBe("2026-12-14T09:00"); // a Monday
  });
});

describe("datetime-local values", () => {
  it("are read as local time and sent as UTC", () => {
    expect(fromLocalInput("2026-12-01T09:30")).toBe(at("2026-12-01T09:30:00").toISOString());
    expect(fromLocalInput(toLocalInput(at("2027-03-05T18:05:00")))).toBe(at("2027-03-05T18:05:00").toISOString());
  });

  it("are null when empty or not a date-time", () => {
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("tomorrow")).toBeNull();
  });
});

describe("the Snoozed view", () => {
  it("lists the snoozed conversations only", () => {
    expect(filterOf({ kind: "view", view: "snoozed" })).toEqual({ snoozed: true });
  });
});
