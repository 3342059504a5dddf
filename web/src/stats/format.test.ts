import { describe, expect, it } from "vitest";
import { statsFormat } from "./format";

// Intl puts a narrow no-break space before "%" and between thousands in French: compared as spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("the statistics' formats", () => {
  const en = statsFormat("en");
  const fr = statsFormat("fr");

  it("says a duration in its two largest units, in each language", () => {
    expect(plain(en.duration(45))).toBe("45 secs");
    expect(plain(fr.duration(45))).toBe("45 s");
    expect(plain(en.duration(0))).toBe("0 secs");
    expect(plain(en.duration(90))).toBe("1 min 30 secs");
    expect(plain(fr.duration(5430))).toBe("1 h 31 min"); // 90.5 minutes, rounded once
    expect(plain(en.duration(7200))).toBe("2 hrs");
    expect(plain(fr.duration(3 * 86_400 + 4 * 3_600 + 10))).toBe("3 j 4 h");
    expect(plain(en.duration(3599.6))).toBe("1 hr"); // rounds up into the larger unit
    expect(plain(en.duration(59.7))).toBe("1 min");
    expect(plain(en.duration(null))).toBe("—");
    expect(plain(fr.duration(undefined))).toBe("—");
  });

  it("writes counts, shares and costs as the language does", () => {
    expect(plain(en.count(12345))).toBe("12,345");
    expect(plain(fr.count(12345))).toBe("12 345");
    expect(plain(en.percent(0.425))).toBe("42.5%");
    expect(plain(fr.percent(0.425))).toBe("42,5 %");
    expect(plain(en.percent(null))).toBe("—");
    expect(plain(en.cost(12.345))).toBe("US$12.35");
    expect(plain(en.cost(0.0123))).toBe("US$0.012");
    expect(plain(fr.cost(3))).toBe("3,00 $US");
  });

  it("names each period from its first day, the API's calendar day whatever the browser's zone", () => {
    expect(plain(en.period("2026-11-03", "day"))).toBe("3 Nov");
    expect(plain(fr.period("2026-11-03", "day"))).toBe("3 nov.");
    expect(plain(en.period("2026-10-26", "week"))).toBe("Week of 26 Oct");
    expect(plain(fr.period("2026-10-26", "week"))).toBe("Sem. du 26 oct.");
    expect(plain(en.period("2026-11-01", "month"))).toBe("Nov 2026");
    expect(plain(fr.period("2026-11-01", "month"))).toBe("nov. 2026");
    expect(plain(fr.day("2026-12-01"))).toBe("1 déc. 2026");
  });
});
