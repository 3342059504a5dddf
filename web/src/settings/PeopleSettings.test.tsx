import { act } from "react";
import { describe, expect, it } from "vitest";
import { render, settle, type } from "../test/render";
import { PeopleSettings } from "./PeopleSettings";
import type { Person } from "./team";

const error = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status });

/** The screen over an API holding `people` (the signed-in admin is u1), answering as the real one does:
 * 409 for a taken email or a change leaving no enabled admin, 422 naming the field. */
async function mount(people: Person[], refuse: { patch?: boolean } = {}) {
  const requests: string[] = [];
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    requests.push(`${request.method} ${path}`);
    if (path === "/inbox/me") return Response.json({ user_id: "u1", tenant_id: "t1", role: "admin", email: "ada@example.com" });
    if (request.method === "POST") {
      const body = (await request.json()) as { email: string; name: string; role: "admin" | "agent" };
      if (!body.email.includes("@")) return error(422, "invalid_field", "email: not an email address");
      if (people.some((p) => p.email === body.email)) return error(409, "conflict", "email exists");
      people.push({ id: `u${people.length + 1}`, enabled: true, ...body });
      return Response.json(people.at(-1), { status: 201 });
    }
    if (request.method === "PATCH") {
      if (refuse.patch) return error(409, "conflict", "the tenant's last enabled admin");
      const person = people.find((p) => path.endsWith(`/${p.id}`))!;
      Object.assign(person, await request.json());
      return Response.json(person);
    }
    return Response.json({ items: people });
  };
  const { container } = await render(<PeopleSettings />, fetch);
  await settle();
  return { container, requests };
}

const rows = (container: HTMLElement) =>
  [...container.querySelectorAll("tbody tr")].map((row) => [...row.children].map((cell) => cell.textContent));

async function invite(container: HTMLElement, email: string, name: string, role: string) {
  const form = container.querySelector("form")!;
  await type(form.querySelector<HTMLInputElement>("[name=email]")!, email);
  await type(form.querySelector<HTMLInputElement>("[name=name]")!, name);
  await type(form.querySelector<HTMLSelectElement>("[name=role]")!, role);
  await act(async () => void form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true })));
  await settle();
}

const ada: Person = { id: "u1", name: "Ada", email: "ada@example.com", role: "admin", enabled: true };
const bob: Person = { id: "u2", name: "Bob", email: "bob@example.com", role: "agent", enabled: false };

describe("PeopleSettings", () => {
  it("lists the people, and offers no role nor state change on the last enabled admin", async () => {
    const { container } = await mount([{ ...ada }, { ...bob }]);
    expect(rows(container)).toEqual([
      ["Ada (you)", "ada@example.com", "Admin", "Active The only active admin: make someone else admin first."],
      ["Bob", "bob@example.com", "AgentAdmin", "Disabled Enable"],
    ]);
    expect(container.querySelectorAll("tbody tr:first-child select, tbody tr:first-child button")).toHaveLength(0);
  });

  it("invites a person and lists them; a taken email and a refused field are said in words", async () => {
    const { container, requests } = await mount([{ ...ada }]);
    await invite(container, "cleo@example.com", "Cleo", "admin");
    expect(container.querySelector("[role=status]")!.textContent).toContain("cleo@example.com is invited");
    expect(rows(container).map((row) => row[0])).toEqual(["Ada (you)", "Cleo"]);
    expect(requests.filter((r) => r === "GET /inbox/users")).toHaveLength(2); // read again after the change
    // Two admins now: Ada's own controls are offered.
    expect(container.querySelectorAll("tbody tr:first-child select")).toHaveLength(1);

    await invite(container, "cleo@example.com", "Cleo", "agent");
    expect(container.querySelector("[role=alert]")!.textContent).toBe("Someone already signs in with this email.");
    await invite(container, "not-an-email", "X", "agent");
    expect(container.querySelector("[role=alert]")!.textContent).toBe("“email” was not accepted: not an email address");
  });

  it("changes a role and a state, and says why the API refused one", async () => {
    const people = [{ ...ada }, { ...bob }];
    const { container } = await mount(people);
    await type(container.querySelector<HTMLSelectElement>("tbody tr:nth-child(2) select")!, "admin");
    await settle();
    const enable = container.querySelector<HTMLButtonElement>("tbody tr:nth-child(2) button")!;
    await act(async () => enable.click());
    await settle();
    expect(people[1]).toMatchObject({ role: "admin", enabled: true });
    expect(container.querySelector<HTMLSelectElement>("tbody tr:nth-child(2) select")!.value).toBe("admin");
    expect(rows(container)[1]![3]).toBe("Active Disable");

    window.confirm = () => true; // "Disable Ada?" answered yes (see the test below for no)
    const refusing = await mount([{ ...ada }, { ...bob, role: "admin", enabled: true }], { patch: true });
    // Two enabled admins as last read: Ada may disable herself, yet meanwhile Bob was disabled elsewhere.
    const disable = refusing.container.querySelector<HTMLButtonElement>("tbody tr:first-child button")!;
    expect(disable.textContent).toBe("Disable");
    await act(async () => disable.click());
    await settle();
    expect(refusing.container.querySelector("[role=alert]")!.textContent).toBe(
      "Not possible: the team would have no active admin left. Make someone else admin first.",
    );
  });

  it("asks before disabling someone, and changes nothing when the answer is no", async () => {
    const people = [{ ...ada }, { ...bob, enabled: true }];
    const { container, requests } = await mount(people);
    const asked: string[] = [];
    window.confirm = (question?: string) => {
      asked.push(question ?? "");
      return false;
    };
    await act(async () => container.querySelector<HTMLButtonElement>("tbody tr:nth-child(2) button")!.click());
    await settle();
    expect(asked).toEqual(["Disable Bob? They will no longer be able to sign in, and conversations stay assigned to them."]);
    expect(requests.some((r) => r.startsWith("PATCH"))).toBe(false);
    expect(people[1]!.enabled).toBe(true);

    window.confirm = () => true;
    await act(async () => container.querySelector<HTMLButtonElement>("tbody tr:nth-child(2) button")!.click());
    await settle();
    expect(people[1]!.enabled).toBe(false);
  });
});
