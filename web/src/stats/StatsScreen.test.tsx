import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AuthProvider } from "../auth/AuthProvider";
import { render, settle, type } from "../test/render";
import StatsScreen from "./StatsScreen";

const none = { count: 0, mean_seconds: null, median_seconds: null, p90_seconds: null };
const times = (person: number | null, auto: number | null) => ({
  all: { count: 2, mean_seconds: 600, median_seconds: person, p90_seconds: null },
  person: { count: 1, mean_seconds: person, median_seconds: person, p90_seconds: person === null ? null : person * 2 },
  auto: { count: 1, mean_seconds: auto, median_seconds: auto, p90_seconds: auto },
});
const figures = (messagesIn: number) => ({
  messages_in: messagesIn,
  messages_out: 2,
  conversations_created: 3,
  resolved: 1,
  reopened: 0,
  resolution_rate: 1 / 3,
  resolution_time: { count: 1, mean_seconds: 7200, median_seconds: 7200, p90_seconds: 7200 },
  first_response: times(5430, 30),
  reply_time: times(900, null),
  by_channel: { email: { in: messagesIn, out: 2 } },
});

/** GET /inbox/stats's answer for a query: two days, or nothing at all with `empty`. */
function statsFor(url: URL, empty = false) {
  const zero = { ...figures(0), messages_out: 0, conversations_created: 0, resolved: 0, resolution_rate: null, by_channel: {} };
  return {
    from: url.searchParams.get("from"),
    to: url.searchParams.get("to"),
    granularity: url.searchParams.get("granularity") ?? "day",
    time_zone: "Europe/Paris",
    filter: { folder: null, channel: url.searchParams.get("channel"), assignee: null },
    business_hours: url.searchParams.get("business_hours") === "true",
    periods: empty
      ? []
      : [
          { ...figures(4), start: "2026-11-29" },
          { ...figures(1200), start: "2026-11-30" },
        ],
    totals: empty ? zero : figures(1204),
    breakdown: empty ? {} : { channel: { email: 3 }, folder: { none: 2, f1: 1 }, status: { new: 3 } },
    people: empty
      ? []
      : [{ person_id: "u1", replies: 2, conversations_handled: 2, first_response: none, reply_time: none }],
    ai: {
      classified: 3,
      classification_kept: 2,
      auto_replies_sent: 1,
      drafts_created: 2,
      drafts_sent_unchanged: 1,
      drafts_sent_edited: 1,
      drafts_discarded: 0,
      prompt_tokens: 12000,
      cached_tokens: 3000,
      completion_tokens: 800,
      cached_share: 0.25,
      estimated_cost_usd: 0.0123,
      prices_as_of: "2026-11-01",
    },
  };
}

interface Api {
  role?: "admin" | "agent";
  empty?: boolean;
  refuse?: boolean;
}

/** The screen over a stubbed API; every /inbox/stats query is kept. */
async function mount({ role = "admin", empty = false, refuse = false }: Api = {}, language: "en" | "fr" = "en") {
  const asked: URL[] = [];
  const fetch = (request: Request) => {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/inbox/me":
        return Response.json({ username: "u1", email: "ada@shop.example", role, tenant_id: "t" });
      case "/inbox/settings/business-hours":
        return Response.json({ time_zone: "Europe/Paris", week: {}, holidays: [], configured: true, updated_at: null });
      case "/inbox/folders":
        return Response.json({ items: [{ id: "f1", name: "Orders", position: 0, unread: 0 }] });
      case "/inbox/users":
        return Response.json({ items: [{ id: "u1", name: "Ada Admin", email: "ada@shop.example", role: "admin", enabled: true }] });
      case "/inbox/stats":
        asked.push(url);
        if (refuse) return Response.json({ error: { code: "internal", message: "boom" } }, { status: 500 });
        if (url.searchParams.get("format") === "csv") return new Response("start,messages_in\n2026-11-29,4\n", { headers: { "content-type": "text/csv" } });
        return Response.json(statsFor(url, empty));
    }
    return new Response("{}", { status: 404 });
  };
  const config = { apiBaseUrl: "", region: "", userPoolId: "", userPoolClientId: "c", cognitoEndpoint: "http://cognito.test" };
  const { container } = await render(
    <AuthProvider config={config}>
      <StatsScreen />
    </AuthProvider>,
    fetch,
    { language },
  );
  await settle();
  return { container, asked };
}

const select = (container: HTMLElement, name: string) => container.querySelector<HTMLSelectElement>(`select[name=${name}]`)!;
const headings = (container: HTMLElement) => [...container.querySelectorAll("h2")].map((h) => h.textContent);
const keyFigure = (container: HTMLElement, label: string) =>
  [...container.querySelectorAll(".stats-key-figures > div")].find((d) => d.querySelector("dt")?.textContent === label)
    ?.querySelector("dd")?.textContent;
const plain = (text: string | null | undefined) => text?.replace(/[\u00a0\u202f]/g, " ");

describe("the statistics screen", { timeout: 20_000 }, () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-30T23:30:00Z")); // already 1 December in Paris
    // jsdom draws nothing: the charts are left out (as on a browser without canvas), their tables stay.
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
  });
  afterEach(() => {
    window.history.replaceState(null, "", "#");
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("asks for the last 30 days in the tenant's zone and shows the figures, each chart with its table", async () => {
    const { container, asked } = await mount();
    expect(asked[0]?.searchParams.toString()).toBe("from=2026-11-02&to=2026-12-01&granularity=day");
    expect(keyFigure(container, "Messages received")).toBe("1,204");
    expect(keyFigure(container, "Resolution rate")).toBe("33.3%");
    expect(keyFigure(container, "First response by a person (median)")).toBe("1 hr 31 mins");
    expect(headings(container)).toEqual([
      "Key figures",
      "Messages received and sent",
      "New, resolved and reopened conversations",
      "First response time",
      "Reply time",
      "Resolution rate",
      "New conversations by channel, folder and status",
      "Per person",
      "AI",
    ]);
    const canvas = container.querySelector("canvas");
    expect(canvas?.getAttribute("role")).toBe("img");
    expect(canvas?.getAttribute("aria-label")).toBe("Chart: Messages received and sent. Its figures are in the table below it.");
    const firstTable = container.querySelector(".stats-chart details table")!;
    expect([...firstTable.querySelectorAll("tr")].map((row) => row.textContent)).toEqual([
      "PeriodReceivedSent",
      "29 Nov42",
      "30 Nov1,2002",
    ]);
    const people = container.querySelector(".stats-people tbody tr");
    expect(people?.querySelector("th")?.textContent).toBe("Ada Admin");
    const folders = [...container.querySelectorAll(".stats-breakdown table")][1]!;
    expect([...folders.querySelectorAll("tbody th")].map((th) => th.textContent)).toEqual(["Inbox", "Orders"]);
    expect(container.querySelector(".stats-ai")?.textContent).toContain("US$0.012");
  });

  it("asks again with a granularity, one filter and business hours", async () => {
    const { container, asked } = await mount();
    await type(select(container, "granularity"), "week");
    await type(select(container, "filter"), "channel:sms");
    await act(async () => container.querySelector<HTMLInputElement>("input[name=business_hours]")!.click());
    await settle();
    expect(asked.at(-1)?.searchParams.toString()).toBe(
      "from=2026-11-02&to=2026-12-01&granularity=week&channel=sms&business_hours=true",
    );
    await type(select(container, "filter"), "assignee:none");
    await settle();
    expect(asked.at(-1)?.searchParams.get("assignee")).toBe("none");
    expect(asked.at(-1)?.searchParams.has("channel")).toBe(false);    expect(window.location.hash).toBe("#stats?per=week&assignee=none&business_hours=true");
  });

  it("opens on the choice its address keeps", async () => {
    window.history.replaceState(null, "", "#stats?last=7&per=month&channel=whatsapp");
    const { container, asked } = await mount();
    expect(asked[0]?.searchParams.toString()).toBe("from=2026-11-25&to=2026-12-01&granularity=month&channel=whatsapp");
    expect(select(container, "period").value).toBe("7");
    expect(select(container, "filter").value).toBe("channel:whatsapp");
  });

  it("takes dates of one's choice, and says why it does not ask for a backwards range", async () => {
    const { container, asked } = await mount();
    await type(select(container, "period"), "range");
    const from = container.querySelector<HTMLInputElement>("input[name=from]")!;
    expect(from.value).toBe("2026-11-02");
    const count = asked.length;
    await type(from, "2026-12-05");
    await settle();
    expect(container.querySelector("#stats-range-problem")?.textContent).toBe("The first date comes after the last.");
    expect(from.getAttribute("aria-invalid")).toBe("true");
    expect(asked.length).toBe(count);
    await type(from, "2026-11-20");
    await settle();
    expect(asked.at(-1)?.searchParams.get("from")).toBe("2026-11-20");
  });

  it("downloads the same figures as a CSV file through the API", async () => {
    const created = vi.fn((_: Blob) => "blob:stats");
    const clicked: string[] = [];
    URL.createObjectURL = created;
    URL.revokeObjectURL = () => {};
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const { container, asked } = await mount();
    await type(select(container, "granularity"), "month");
    await settle();
    await act(async () => container.querySelector<HTMLButtonElement>("button[name=csv]")!.click());
    await settle();
    expect(asked.at(-1)?.searchParams.toString()).toBe("from=2026-11-02&to=2026-12-01&granularity=month&format=csv");
    expect(await created.mock.calls[0]![0].text()).toContain("2026-11-29,4");
    expect(clicked).toEqual(["statistics-2026-11-02-to-2026-12-01-month.csv"]);
  });

  it("says when nothing happened, and when the figures cannot be read", async () => {
    const empty = await mount({ empty: true });
    expect(empty.container.querySelector(".notice")?.textContent).toBe(
      "Nothing happened in this period: no message and no new conversation.",
    );
    expect(empty.container.querySelector("canvas")).toBeNull();
    document.body.innerHTML = "";
    const failed = await mount({ refuse: true });
    expect(failed.container.querySelector('[role="alert"]')?.textContent).toContain("The statistics could not be read");
  });

  it("is for admins only", async () => {
    const { container, asked } = await mount({ role: "agent" });
    expect(container.querySelector("main p")?.textContent).toBe("Only admins can see the statistics.");
    expect(asked).toEqual([]);
  });

  it("speaks French, numbers and durations included", async () => {
    const { container } = await mount({}, "fr");
    expect(container.querySelector("h1")?.textContent).toBe("Statistiques");
    expect(plain(keyFigure(container, "Messages reçus"))).toBe("1 204");
    expect(plain(keyFigure(container, "Taux de résolution"))).toBe("33,3 %");
    expect(plain(keyFigure(container, "Première réponse par une personne (médiane)"))).toBe("1 h 31 min");
    expect(container.querySelector(".stats-chart summary")?.textContent).toBe("Voir les chiffres en tableau");
    expect(plain(container.querySelector(".stats-results > p")?.textContent)).toBe(
      "Du 2 nov. 2026 au 1 déc. 2026, jours du fuseau horaire Europe/Paris.",
    );
  });
});
