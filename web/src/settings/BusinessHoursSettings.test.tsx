import { act } from "react";
import { describe, expect, it } from "vitest";
import { render, settle, type } from "../test/render";
import { BusinessHoursSettings } from "./BusinessHoursSettings";

const office = [{ start: "09:00", end: "18:00" }];
const defaults = {
  time_zone: "Europe/Paris",
  week: { monday: office, tuesday: office, wednesday: office, thursday: office, friday: office, saturday: [], sunday: [] },
  holidays: [],
  configured: false,
  updated_at: null,
};

/** The screen over an API holding the defaults; a PUT is kept and answered as saved (or refused). */
async function mount(language: "en" | "fr" = "en", refuse = false) {
  const puts: unknown[] = [];
  const fetch = async (request: Request) => {
    if (request.method === "PUT") {
      const body = await request.json();
      puts.push(body);
      if (refuse) return Response.json({ error: { code: "invalid_field", message: "time_zone: is not an IANA time zone" } }, { status: 422 });
      return Response.json({ ...body, configured: true, updated_at: "2026-12-01T10:00:00Z" });
    }
    return Response.json(defaults);
  };
  const { container } = await render(<BusinessHoursSettings />, fetch, { language });
  await settle();
  return { container, puts };
}

const click = (element: Element) => act(async () => void (element as HTMLElement).click());
const byLabel = (container: HTMLElement, label: string) =>
  container.querySelector<HTMLInputElement>(`[aria-label="${label}"]`)!;
const save = (container: HTMLElement) =>
  [...container.querySelectorAll("button")].find((b) => b.textContent === "Save") as HTMLButtonElement;

describe("BusinessHoursSettings", { timeout: 20_000 }, () => {
  it("shows the defaults as such, one row a day, the weekend closed", async () => {
    const { container } = await mount();
    expect(container.querySelector(".notice")?.textContent).toContain("Not set yet");
    const rows = [...container.querySelectorAll("tbody tr")].map((row) => row.querySelector("th")?.textContent);
    expect(rows).toEqual(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]);
    expect(container.querySelector('tr[data-day="sunday"] td')?.textContent).toContain("Closed");
  });

  it("refuses an overlap until mended, then saves a split day, a night shift and a holiday", async () => {
    const { container, puts } = await mount();
    await click(byLabel(container, "Add hours on Monday"));
    expect(container.querySelector('tr[data-day="monday"] .error')?.textContent).toBe("Overlaps other hours of this day.");
    expect(save(container).disabled).toBe(true);
    await type(byLabel(container, "Monday, opening 1: to"), "12:30");
    expect(save(container).disabled).toBe(false);
    await click(byLabel(container, "Add hours on Sunday"));
    await type(byLabel(container, "Sunday, opening 1: from"), "22:00");
    await type(byLabel(container, "Sunday, opening 1: to"), "02:00");
    expect(container.querySelector('tr[data-day="sunday"]')?.textContent).toContain("(the next day)");
    await type(container.querySelector<HTMLSelectElement>("select[name=time_zone]")!, "America/New_York");
    await click([...container.querySelectorAll("button")].find((b) => b.textContent === "Add a holiday")!);
    await type(container.querySelector<HTMLInputElement>('input[type="date"]')!, "2026-12-25");
    await act(async () => void container.querySelector("form")!.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true })));
    await settle();
    expect(puts).toEqual([
      {
        time_zone: "America/New_York",
        week: {
          ...defaults.week,
          monday: [
            { start: "09:00", end: "12:30" },
            { start: "14:00", end: "18:00" },
          ],
          sunday: [{ start: "22:00", end: "02:00" }],
        },
        holidays: ["2026-12-25"],
      },
    ]);
    expect(container.querySelector("[role=status]")?.textContent).toBe("Business hours saved.");
  });

  it("says a refusal in the interface's language, naming the field", async () => {
    const { container } = await mount("fr", true);
    expect(container.querySelector("h1")?.textContent).toBe("Horaires d'ouverture");
    await act(async () => void container.querySelector("form")!.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true })));
    await settle();
    expect(container.querySelector("[role=alert]")?.textContent).toContain("time_zone");
  });

  it("cannot save a week that never opens", async () => {
    const { container } = await mount();
    for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]) {
      await click(byLabel(container, `Remove ${day}'s opening 1`));
    }
    expect(container.textContent).toContain("Open at least one day.");
    expect(save(container).disabled).toBe(true);
  });
});
