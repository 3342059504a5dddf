import { describe, expect, it } from "vitest";
import { dayProblems, overnight, span, timeZones, weekOf, weekReady } from "./businessHours";

describe("business hours", () => {
  it("reads an end at or before the start as the next day's", () => {
    expect(span({ start: "22:00", end: "06:00" })).toEqual([22 * 60, 30 * 60]);
    expect(overnight({ start: "09:00", end: "00:00" })).toBe(true);
    expect(overnight({ start: "09:00", end: "18:00" })).toBe(false);
  });

  it("names the opening that overlaps another, whatever their order", () => {
    const day = [
      { start: "14:00", end: "18:00" },
      { start: "09:00", end: "14:30" },
    ];
    expect([...dayProblems(day)]).toEqual([[0, "overlap"]]);
    expect(dayProblems([{ start: "09:00", end: "12:00" }, { start: "12:00", end: "18:00" }]).size).toBe(0);
  });

  it("refuses an opening of no time and one left blank", () => {
    expect([...dayProblems([{ start: "09:00", end: "09:00" }, { start: "", end: "18:00" }])]).toEqual([
      [0, "same"],
      [1, "empty"],
    ]);
  });

  it("needs the week to open at least once", () => {
    const closed = weekOf(undefined);
    expect(weekReady(closed)).toBe(false);
    expect(weekReady({ ...closed, saturday: [{ start: "10:00", end: "13:00" }] })).toBe(true);
  });

  it("keeps the saved zone among the choices", () => {
    const zones = timeZones("Europe/Paris");
    expect(zones).toContain("Europe/Paris");
    expect(timeZones("Etc/GMT+5")).toContain("Etc/GMT+5");
  });
});
