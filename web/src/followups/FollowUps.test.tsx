import { act } from "react";
import { describe, expect, it } from "vitest";
import type { Conversation } from "../api/client";
import type { Language } from "../i18n/messages";
import { render, settle } from "../test/render";
import { FollowUps } from "./FollowUps";
import type { FollowUp } from "./queries";
import { Snooze } from "./Snooze";

const CONVERSATION = { id: "c1", channel: "sms", snoozed_until: null } as Conversation;

function followUp(fields: Partial<FollowUp>): FollowUp {
  return {
    id: "f1",
    conversation_id: "c1",
    created_by: "u1",
    created_at: "2026-12-01T10:00:00Z",
    due_at: "2026-12-02T09:00:00Z",
    action: "remind",
    text: null,
    only_if_no_answer: true,
    state: "scheduled",
    outcome: null,
    detail: null,
    fired_at: null,
    message_id: null,
    draft_id: null,
    ...fields,
  };
}

type Answer = { status: number; body: unknown };

/** The panel (or the snooze control) over a stubbed API: GETs answer `listed`, the others `answers` by
 * method; every request is recorded. */
async function mount(
  listed: FollowUp[],
  { language = "en" as Language, answers = {} as Record<string, Answer>, snooze = false, conversation = CONVERSATION } = {},
) {
  const requests: { method: string; path: string; body: unknown }[] = [];
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    const body = request.method === "POST" ? await request.json().catch(() => null) : null;
    requests.push({ method: request.method, path, body });
    if (request.method === "GET") return Response.json({ items: listed });
    const answer = answers[request.method] ?? { status: 200, body: followUp({}) };
    return Response.json(answer.body, { status: answer.status });
  };
  const { container } = await render(
    snooze ? <Snooze conversation={conversation} /> : <FollowUps conversation={conversation} />,
    fetch,
    { language },
  );
  await settle();
  return { container, requests };
}

async function click(element: Element | null) {
  await act(async () => (element as HTMLElement).click());
  await settle();
}

async function fill(element: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string) {
  await act(async () => {
    const prototype = Object.getPrototypeOf(element) as object;
    Object.getOwnPropertyDescriptor(prototype, "value")!.set!.call(element, value);
    element.dispatchEvent(new Event(element instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
}

describe("FollowUps", () => {
  it("list the scheduled ones with a cancel button, and what became of the others", async () => {
    const { container, requests } = await mount([
      followUp({}),
      followUp({ id: "f2", action: "send", state: "done", outcome: "template_needed", only_if_no_answer: false }),
      followUp({ id: "f3", state: "cancelled", outcome: "customer_answered" }),
    ]);
    const items = [...container.querySelectorAll(".follow-up")];
    expect(items.map((item) => item.querySelector(".follow-up-state")!.textContent)).toEqual([
      "Scheduled",
      "Not sent: WhatsApp's 24-hour window was closed, a template is needed",
      "Cancelled: the customer answered",
    ]);
    expect(items[0]!.textContent).toContain("if no answer");
    expect(items.map((item) => item.querySelector("button") !== null)).toEqual([true, false, false]);

    await click(items[0]!.querySelector("button"));

    expect(requests.at(-2)).toMatchObject({ method: "DELETE", path: "/inbox/conversations/c1/follow-ups/f1" });
  });

  it("schedule one: when, what, the text and 'only if no answer', sent in UTC", async () => {
    const { container, requests } = await mount([]);
    await click(container.querySelector('button[name="follow-up"]'));
    const form = container.querySelector("form")!;
    await fill(form.querySelector('input[name="due_at"]')!, "2026-12-03T09:30");
    await fill(form.querySelector('select[name="action"]')!, "send");
    expect(form.textContent).toContain("Message to send");
    await fill(form.querySelector('textarea[name="text"]')!, "Avez-vous reçu le colis ?");

    await act(async () => form.requestSubmit());
    await settle();

    const posted = requests.find((request) => request.method === "POST")!;
    expect(posted.path).toBe("/inbox/conversations/c1/follow-ups");
    expect(posted.body).toEqual({
      due_at: new Date("2026-12-03T09:30:00").toISOString(),
      action: "send",
      text: "Avez-vous reçu le colis ?",
      only_if_no_answer: true,
    });
    expect(container.querySelector('[role="status"]')!.textContent).toMatch(/^Follow-up scheduled for /);
  });

  it("say the API's refusal naming the field, in French", async () => {
    const refusal = { status: 422, body: { error: { code: "invalid_input", message: "due_at: is in the past" } } };
    const { container } = await mount([], { language: "fr", answers: { POST: refusal } });
    await click(container.querySelector('button[name="follow-up"]'));
    expect(container.querySelector("h3")!.textContent).toBe("Relances");

    await act(async () => container.querySelector("form")!.requestSubmit());
    await settle();

    expect(container.querySelector('[role="alert"]')!.textContent).toContain("due_at");
  });
});

describe("Snooze", () => {
  it("offer later today, tomorrow and next week, and snooze until the one chosen", async () => {
    const { container, requests } = await mount([], { snooze: true, answers: { POST: { status: 200, body: CONVERSATION } } });
    await click(container.querySelector('button[name="snooze"]'));
    const presets = [...container.querySelectorAll(".snooze-menu > button")].map((b) => b.textContent);
    expect(presets.map((text) => text!.replace(/ \(.*\)$/, ""))).toEqual(["Later today", "Tomorrow", "Next week"]);

    await click(container.querySelector('button[name="snooze-tomorrow"]'));

    const posted = requests.find((request) => request.method === "POST")!;
    expect(posted.path).toBe("/inbox/conversations/c1/snooze");
    const until = new Date((posted.body as { until: string }).until);
    expect([until.getHours(), until.getMinutes()]).toEqual([9, 0]);
  });

  it("say until when a snoozed conversation sleeps, and wake it", async () => {
    const sleeping = { ...CONVERSATION, snoozed_until: "2026-12-07T08:00:00Z" } as Conversation;
    const { container, requests } = await mount([], {
      snooze: true,
      language: "fr",
      conversation: sleeping,
      answers: { DELETE: { status: 200, body: CONVERSATION } },
    });
    expect(container.querySelector(".snoozed-until")!.textContent).toMatch(/^En attente jusqu'au /);

    await click(container.querySelector('button[name="unsnooze"]'));

    expect(requests.at(-1)).toMatchObject({ method: "DELETE", path: "/inbox/conversations/c1/snooze" });
  });
});
