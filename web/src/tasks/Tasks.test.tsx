import { act } from "react";
import { describe, expect, it } from "vitest";
import type { Language } from "../i18n/messages";
import { render, settle } from "../test/render";
import { MyTasks } from "./MyTasks";
import { isOverdue, type Task } from "./queries";
import { Tasks } from "./Tasks";

const ME = "u-me";
const DAY = 24 * 3600 * 1000;

function task(fields: Partial<Task>): Task {
  return {
    id: "k1",
    conversation_id: "c1",
    title: "Call the customer back",
    due_at: new Date(Date.now() + DAY).toISOString(),
    assignee_id: ME,
    done: false,
    done_at: null,
    done_by: null,
    created_by: ME,
    created_at: "2026-12-01T10:00:00Z",
    updated_at: "2026-12-01T10:00:00Z",
    ...fields,
  };
}

type Recorded = { method: string; path: string; query: string; body: unknown };

/** The component over a stubbed API: the conversation's and my tasks answer `listed`, /me and /users a
 * team of two, writes answer the task changed; every request is recorded. */
async function mount(listed: Task[], { language = "en" as Language, mine = false, opened = [] as string[] } = {}) {
  const requests: Recorded[] = [];
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    const body = ["POST", "PATCH"].includes(request.method) ? await request.json().catch(() => null) : null;
    requests.push({ method: request.method, path: url.pathname, query: url.search, body });
    if (url.pathname === "/inbox/me") return Response.json({ user_id: ME, tenant_id: "t", role: "admin" });
    if (url.pathname === "/inbox/users") {
      const person = (id: string, name: string) => ({ id, name, email: `${id}@x.test`, role: "agent", enabled: true });
      return Response.json({ items: [person(ME, "Me Myself"), person("u-nour", "Nour")] });
    }
    if (request.method === "GET") return Response.json(mine ? { items: listed, next_cursor: null } : { items: listed });
    if (request.method === "DELETE") return new Response(null, { status: 204 });
    return Response.json(task({ ...(body as object), title: (body as { title?: string })?.title ?? "Call the customer back" }), {
      status: request.method === "POST" ? 201 : 200,
    });
  };
  const { container } = await render(
    mine ? <MyTasks openId={null} onOpen={(id) => opened.push(id)} /> : <Tasks conversationId="c1" />,
    fetch,
    { language },
  );
  await settle();
  return { container, requests };
}

function set(input: HTMLInputElement | HTMLSelectElement, value: string) {
  const prototype = input instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  act(() => {
    Object.getOwnPropertyDescriptor(prototype, "value")!.set!.call(input, value);
    input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
}

describe("a conversation's tasks", () => {
  it("lists them with their due date, marks the overdue ones and says who they are for", async () => {
    const late = task({ id: "k2", title: "Send the invoice", due_at: new Date(Date.now() - DAY).toISOString() });
    const { container } = await mount([late, task({ assignee_id: "u-nour" })]);
    const rows = [...container.querySelectorAll<HTMLElement>(".task")];
    expect(rows.map((row) => row.querySelector(".task-title")?.textContent)).toEqual([
      "Send the invoice",
      "Call the customer back",
    ]);
    expect(rows[0]!.classList.contains("task-overdue")).toBe(true);
    expect(rows[0]!.textContent).toContain("overdue");
    expect(rows[0]!.textContent).toContain("for me");
    expect(rows[1]!.textContent).toContain("for Nour");
  });

  it("completes, reopens and deletes a task", async () => {
    const { container, requests } = await mount([task({}), task({ id: "k2", title: "Done already", done: true })]);
    const [open, done] = [...container.querySelectorAll<HTMLInputElement>('.task input[name="done"]')];
    expect([open!.checked, done!.checked]).toEqual([false, true]);
    await act(async () => open!.click());
    await act(async () => done!.click());
    await settle();
    const patches = requests.filter((r) => r.method === "PATCH");
    expect(patches.map((r) => [r.path, r.body])).toEqual([
      ["/inbox/tasks/k1", { done: true }],
      ["/inbox/tasks/k2", { done: false }],
    ]);
    const remove = container.querySelector<HTMLButtonElement>('button[aria-label="Delete the task Done already"]')!;
    await act(async () => remove.click());
    await settle();
    expect(requests.some((r) => r.method === "DELETE" && r.path === "/inbox/tasks/k2")).toBe(true);
  });

  it("adds a task with a title, a due date and an assignee, sent in UTC", async () => {
    const { container, requests } = await mount([]);
    expect(container.textContent).toContain("No task yet.");
    await act(async () => container.querySelector<HTMLButtonElement>('button[name="add-task"]')!.click());
    await settle();
    const form = container.querySelector("form")!;
    set(form.querySelector<HTMLInputElement>('input[name="title"]')!, "  Ship the parcel ");
    set(form.querySelector<HTMLInputElement>('input[name="due_at"]')!, "2031-05-06T09:30");
    set(form.querySelector<HTMLSelectElement>('select[name="assignee_id"]')!, "u-nour");
    await act(async () => form.requestSubmit());
    await settle();
    const post = requests.find((r) => r.method === "POST")!;
    expect(post.path).toBe("/inbox/conversations/c1/tasks");
    expect(post.body).toEqual({
      title: "Ship the parcel",
      due_at: new Date("2031-05-06T09:30").toISOString(),
      assignee_id: "u-nour",
    });
    expect(container.querySelector('[role="status"]')?.textContent).toBe("Task added: Ship the parcel.");
  });

  it("refuses a due date in the past before asking the API, in French too", async () => {
    const { container, requests } = await mount([], { language: "fr" });
    await act(async () => container.querySelector<HTMLButtonElement>('button[name="add-task"]')!.click());
    await settle();
    const form = container.querySelector("form")!;
    set(form.querySelector<HTMLInputElement>('input[name="title"]')!, "Rappeler");
    set(form.querySelector<HTMLInputElement>('input[name="due_at"]')!, "2020-01-01T09:00");
    await act(async () => form.requestSubmit());
    expect(container.querySelector('[role="alert"]')?.textContent).toBe("L'échéance est déjà passée.");
    expect(requests.some((r) => r.method === "POST")).toBe(false);
    expect(container.querySelector("h3")?.textContent).toBe("Tâches");
  });
});

describe("my tasks", () => {
  it("lists my open tasks as the API orders them, each opening its conversation, and completes one", async () => {
    const opened: string[] = [];
    const first = task({ id: "k1", title: "First", conversation_id: "c7" });
    const { container, requests } = await mount([first, task({ id: "k2", title: "Second" })], { mine: true, opened });
    expect(requests.find((r) => r.path === "/inbox/tasks")?.query).toBe("?assignee=me&status=open&limit=50");
    const titles = [...container.querySelectorAll(".my-task .task-title")].map((e) => e.textContent);
    expect(titles).toEqual(["First", "Second"]);
    await act(async () => container.querySelector<HTMLButtonElement>(".my-task-open")!.click());
    expect(opened).toEqual(["c7"]);
    await act(async () => container.querySelector<HTMLInputElement>('input[aria-label="Mark done: First"]')!.click());
    await settle();
    expect(requests.filter((r) => r.method === "PATCH").map((r) => [r.path, r.body])).toEqual([
      ["/inbox/tasks/k1", { done: true }],
    ]);
  });

  it("says when there is nothing to do, in French", async () => {
    const { container } = await mount([], { mine: true, language: "fr" });
    expect(container.textContent).toContain("Aucune tâche ouverte pour vous.");
    expect(container.querySelector("h2")?.textContent).toBe("Mes tâches");
  });
});

it("a task is overdue when open and past its due date", () => {
  const now = new Date("2026-12-01T12:00:00Z");
  expect(isOverdue({ done: false, due_at: "2026-12-01T11:59:00Z" }, now)).toBe(true);
  expect(isOverdue({ done: true, due_at: "2026-12-01T11:59:00Z" }, now)).toBe(false);
  expect(isOverdue({ done: false, due_at: "2026-12-01T12:01:00Z" }, now)).toBe(false);
});
