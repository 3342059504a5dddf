import { act } from "react";
import { describe, expect, it, vi } from "vitest";
import { DraftLookups } from "../inbox/DraftLookups";
import { en, fr } from "../i18n/messages";
import { click, render, settle, type } from "../test/render";
import { AiLookups } from "./AiLookups";
import type { AiLookup } from "./aiLookups";

const NOW = "2026-12-01T10:00:00Z";
const FIND_ORDER: AiLookup = {
  id: "l1",
  name: "find_order",
  description: "Finds an order by its number.",
  parameters: {
    type: "object",
    properties: { order_number: { type: "string", description: "digits" } },
    required: ["order_number"],
    additionalProperties: false,
  },
  endpoint: "https://shop.example.com/lookups/order",
  enabled: true,
  created_at: NOW,
  updated_at: NOW,
};

/** The screen over an API holding `lookups`, answering as the real one does (a 422 naming `endpoint`, a 409
 * naming `name` when it is taken); `answerFirst` may answer a request otherwise (undefined: as usual). */
async function mount(
  lookups: AiLookup[],
  language: "en" | "fr" = "en",
  answerFirst: (request: Request) => Promise<Response> | undefined = () => undefined,
) {
  const requests: { method: string; path: string; body: unknown }[] = [];
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    const sent = ["POST", "PATCH"].includes(request.method) ? await request.text() : "";
    const body = sent ? JSON.parse(sent) : null; // a new secret's POST has no body
    requests.push({ method: request.method, path, body });
    const otherwise = answerFirst(request);
    if (otherwise) return otherwise;
    if (request.method === "POST" && path === "/inbox/ai/lookups") {
      const fields = body as AiLookup;
      if (!fields.endpoint.startsWith("https://"))
        return Response.json({ error: { code: "invalid_field", message: "endpoint: must be an https URL" } }, { status: 422 });
      if (lookups.some((each) => each.name === fields.name))
        return Response.json(
          { error: { code: "conflict", message: `name: another lookup is named ${fields.name}` } },
          { status: 409 },
        );
      const made = { ...fields, id: `l${lookups.length + 1}`, created_at: NOW, updated_at: NOW };
      lookups.push(made);
      return Response.json({ ...made, secret: "lksec_shown_once" }, { status: 201 });
    }
    if (request.method === "POST" && path.endsWith("/secret")) {
      const lookup = lookups.find((each) => path.includes(`/${each.id}/`))!;
      return Response.json({ ...lookup, secret: "lksec_new_one" });
    }
    if (request.method === "POST" && path.endsWith("/test"))
      return Response.json({
        name: "find_order",
        arguments: (body as { arguments: object }).arguments,
        ok: true,
        answer: { status: "shipped" },
        summary: "find_order order_number 12345: status shipped",
        duration_ms: 12,
      });
    if (request.method === "PATCH") {
      const lookup = lookups.find((each) => path.endsWith(`/${each.id}`))!;
      Object.assign(lookup, body);
      return Response.json(lookup);
    }
    if (request.method === "DELETE") {
      lookups.splice(lookups.findIndex((each) => path.endsWith(`/${each.id}`)), 1);
      return new Response(null, { status: 204 });
    }
    return Response.json({ items: lookups });
  };
  const { container } = await render(<AiLookups />, fetch, { language });
  await settle();
  return { container, requests };
}

const button = (root: ParentNode, text: string) =>
  [...root.querySelectorAll("button")].find((each) => each.textContent === text)!;

async function submit(form: HTMLFormElement) {
  await act(async () => void form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true })));
  await settle();
}

async function fillAdd(container: HTMLElement, endpoint: string) {
  const form = container.querySelector<HTMLFormElement>("form.lookup-form")!;
  await type(form.querySelector("[name=name]")!, "find_order");
  await type(form.querySelector("[name=description]")!, "Finds an order by its number.");
  await type(form.querySelector("[name=endpoint]")!, endpoint);
  const row = form.querySelector(".lookup-parameter")!;
  await type(row.querySelector("input:not([type=checkbox])")!, "order_number");
  return form;
}

describe("Settings → AI → Lookups", () => {
  it("adds a lookup with its parameters as a schema, and shows its secret once", async () => {
    const { container, requests } = await mount([]);
    expect(container.textContent).toContain("No lookup yet.");
    const form = await fillAdd(container, "https://shop.example.com/lookups/order");
    await submit(form);
    const post = requests.find((each) => each.method === "POST")!;
    expect(post.body).toEqual({
      name: "find_order",
      description: "Finds an order by its number.",
      endpoint: "https://shop.example.com/lookups/order",
      parameters: {
        type: "object",
        properties: { order_number: { type: "string" } },
        required: ["order_number"],
        additionalProperties: false,
      },
      enabled: true,
    });
    expect(container.querySelector<HTMLInputElement>(".copy-field input")!.value).toBe("lksec_shown_once");
    expect(container.querySelector(".lookup-name")!.textContent).toBe("find_order");
    expect(container.querySelector(".lookup-summary")!.textContent).toContain("On · order_number (Text)");
    // The notice takes the focus: it shows above the list, the form's button may be far below.
    expect(container.querySelector(".lookup-secret")!.contains(document.activeElement)).toBe(true);
    await click(button(container, "I have copied it"));
    expect(container.textContent).not.toContain("lksec_shown_once");
  });

  it("shows the API's refusal next to the field it names, in French too", async () => {
    const { container } = await mount([], "fr");
    const form = await fillAdd(container, "http://shop.example.com/lookups/order");
    await submit(form);
    const endpoint = form.querySelector<HTMLInputElement>("[name=endpoint]")!;
    expect(endpoint.getAttribute("aria-invalid")).toBe("true");
    // Described by its hint and, now, by the refusal.
    const [hint, refusal] = endpoint.getAttribute("aria-describedby")!.split(" ");
    expect(document.getElementById(hint!)!.textContent).toContain("POST");
    const said = document.getElementById(refusal!)!;
    // Worded in French by the reason's code; the API's English only as the technical detail after it.
    expect(said.textContent).toBe(fr["settings.lookups.refused.https"]);
    expect(said.textContent).not.toContain("must be an https URL");
    expect(said.nextElementSibling!.querySelector("[lang=en]")!.textContent).toBe("endpoint: must be an https URL");
    // Right after the endpoint's label, not under the whole form.
    expect(endpoint.closest("label")!.nextElementSibling).toBe(said);
    expect(form.querySelector("[name=name]")!.hasAttribute("aria-invalid")).toBe(false);
    // A field's accessible name is its label alone, its hint apart.
    expect(form.querySelector("[name=name]")!.closest("label")!.textContent).toBe("Nom");
  });

  it.each([
    ["en", en],
    ["fr", fr],
  ] as const)("says a name taken (the API's 409) next to the name field, worded (%s)", async (language, words) => {
    const { container } = await mount([{ ...FIND_ORDER }], language);
    const form = await fillAdd(container, "https://shop.example.com/lookups/order"); // named find_order too
    await submit(form);
    const name = form.querySelector<HTMLInputElement>("[name=name]")!;
    expect(name.getAttribute("aria-invalid")).toBe("true");
    // Right after the name's label, in the reader's words, and what the field is described by.
    const said = name.closest("label")!.nextElementSibling!;
    expect(said.getAttribute("role")).toBe("alert");
    expect(said.textContent).toBe(words["settings.lookups.refused.nameTaken"]);
    expect(name.getAttribute("aria-describedby")!.split(" ")).toContain(said.id);
    // The API's English only as the technical detail after it.
    expect(said.nextElementSibling!.textContent).toContain(words["settings.webhooks.technicalDetail"]);
    expect(said.nextElementSibling!.querySelector("[lang=en]")!.textContent).toBe("name: another lookup is named find_order");
    // Said once: no general alert under the form, and nothing added.
    expect(form.querySelectorAll("[role=alert]")).toHaveLength(1);
    expect(form.querySelector("[name=endpoint]")!.hasAttribute("aria-invalid")).toBe(false);
    expect(container.querySelectorAll(".lookup-name")).toHaveLength(1);
  });

  it.each([
    ["en", en],
    ["fr", fr],
  ] as const)("says a name busy with another save (the API's other 409) next to the name, and a second save adds it (%s)", async (language, words) => {
    let busy = true;
    const { container, requests } = await mount([], language, (request) => {
      if (request.method !== "POST" || !busy) return undefined;
      busy = false;
      const message = "name: another change of this name was being saved at the same moment: try again";
      return Promise.resolve(Response.json({ error: { code: "conflict", message } }, { status: 409 }));
    });
    const form = await fillAdd(container, "https://shop.example.com/lookups/order");
    await submit(form);
    const name = form.querySelector<HTMLInputElement>("[name=name]")!;
    const said = name.closest("label")!.nextElementSibling!;
    expect(said.getAttribute("role")).toBe("alert");
    expect(said.textContent).toBe(words["settings.lookups.refused.nameBusy"]);
    expect(form.querySelectorAll("[role=alert]")).toHaveLength(1);

    await submit(form);
    expect(requests.filter((each) => each.method === "POST")).toHaveLength(2);
    expect(container.querySelectorAll(".lookup-name")).toHaveLength(1);
  });

  it("asks for a parameter's name before anything is sent", async () => {
    const { container, requests } = await mount([]);
    const form = await fillAdd(container, "https://shop.example.com/lookups/order");
    await click(button(form, "Add a parameter"));
    await submit(form);
    expect(form.querySelector(".lookup-parameter:nth-of-type(2) [role=alert]")!.textContent).toContain("letters, digits and _");
    expect(requests.some((each) => each.method === "POST")).toBe(false);
    await click(button(form, "Remove"));
    await click(form.querySelector<HTMLButtonElement>('[aria-label="Remove Parameter 1"]'));
    await submit(form);
    expect((requests.find((each) => each.method === "POST")!.body as AiLookup).parameters).toMatchObject({ properties: {} });
  });

  it("changes, turns off, tries and deletes a lookup", async () => {
    const { container, requests } = await mount([{ ...FIND_ORDER }]);
    await click(button(container, "Change"));
    const edit = container.querySelector<HTMLFormElement>(".lookup form.lookup-form")!;
    expect(edit.querySelector<HTMLInputElement>(".lookup-parameter input")!.value).toBe("order_number");
    await type(edit.querySelector("[name=description]")!, "Finds an order, with its tracking.");
    await submit(edit);
    const patch = requests.find((each) => each.method === "PATCH")!;
    expect(patch.path).toBe("/inbox/ai/lookups/l1");
    expect(patch.body).toMatchObject({ description: "Finds an order, with its tracking." });
    // The box was not changed: `enabled` is not sent, so it cannot undo a Turn off/on made meanwhile.
    expect(patch.body).not.toHaveProperty("enabled");
    expect(container.querySelector(".lookup form.lookup-form")).toBeNull();

    await click(button(container, "Turn off"));
    expect(requests.at(-2)).toMatchObject({ method: "PATCH", body: { enabled: false } });
    expect(container.querySelector(".lookup-summary")!.textContent).toMatch(/^Off/);

    await click(button(container, "Try a call"));
    const trial = container.querySelector<HTMLFormElement>("form.lookup-test")!;
    await type(trial.querySelector("[name=arg-order_number]")!, "12345");
    await submit(trial);
    expect(requests.find((each) => each.path.endsWith("/test"))!.body).toEqual({ arguments: { order_number: "12345" } });
    expect(trial.querySelector("[role=status]")!.textContent).toContain("find_order order_number 12345: status shipped");

    vi.spyOn(window, "confirm").mockReturnValue(true);
    await click(button(container, "Delete"));
    expect(requests.some((each) => each.method === "DELETE" && each.path === "/inbox/ai/lookups/l1")).toBe(true);
    expect(container.textContent).toContain("No lookup yet.");
    // Its button gone with it, the focus is on the list's heading, not the page's start.
    expect(document.activeElement).toBe(container.querySelector("#lookups-title"));
  });

  it("gives the focus back to Delete when the deletion is refused, the button having been off while it ran", async () => {
    let answer: ((response: Response) => void) | undefined;
    const { container } = await mount([{ ...FIND_ORDER }], "en", (request) =>
      request.method === "DELETE" ? new Promise<Response>((resolve) => (answer = resolve)) : undefined,
    );
    const remove = button(container, "Delete");
    // A browser applying the focus fixup rule moves the focus off a focused button that gets disabled, to
    // <body>; jsdom does not (and its blur() ignores a disabled element), so it is done here as a browser does.
    const fixup = new MutationObserver(() => {
      if (!remove.disabled || document.activeElement !== remove) return;
      remove.disabled = false;
      remove.blur();
      remove.disabled = true;
    });
    fixup.observe(remove, { attributes: true, attributeFilter: ["disabled"] });
    vi.spyOn(window, "confirm").mockReturnValue(true);
    act(() => remove.focus());
    // Not click(): it would wait for the DELETE, held unanswered here to see the button while it runs.
    await act(async () => {
      remove.click();
      for (let waited = 0; waited < 2000 && !(answer && remove.disabled); waited += 10)
        await new Promise((resolve) => setTimeout(resolve, 10));
    });
    expect(remove.disabled).toBe(true);
    expect(document.activeElement).toBe(document.body);

    const refusal = "the item exists already or was changed";
    answer!(Response.json({ error: { code: "conflict", message: refusal } }, { status: 409 }));
    await settle();
    fixup.disconnect();
    expect(remove.disabled).toBe(false);
    expect(container.querySelectorAll(".lookup-name")).toHaveLength(1);
    expect(container.querySelector(".lookup [role=alert]")!.textContent).toBe(`Not possible as things stand: ${refusal}`);
    expect(document.activeElement).toBe(remove);
  });

  it("keeps a Turn off made while the edit form is open (the form sends `enabled` only when its box changed)", async () => {
    const { container, requests } = await mount([{ ...FIND_ORDER }]);
    await click(button(container, "Change"));
    await click(button(container, "Turn off"));
    expect(requests.at(-2)).toMatchObject({ method: "PATCH", body: { enabled: false } });
    const edit = container.querySelector<HTMLFormElement>(".lookup form.lookup-form")!;
    await type(edit.querySelector("[name=description]")!, "Finds an order, with its tracking.");
    await submit(edit);
    const patches = requests.filter((each) => each.method === "PATCH");
    expect(patches).toHaveLength(2);
    expect(patches[1]!.body).toMatchObject({ description: "Finds an order, with its tracking." });
    expect(patches[1]!.body).not.toHaveProperty("enabled");
    expect(container.querySelector(".lookup-summary")!.textContent).toMatch(/^Off/);
  });

  it("gives a new secret after a confirmation, shown once with the focus on it", async () => {
    const { container, requests } = await mount([{ ...FIND_ORDER }]);
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
    await click(button(container, "New secret"));
    expect(requests.some((each) => each.path.endsWith("/secret"))).toBe(false);
    confirm.mockReturnValue(true);
    await click(button(container, "New secret"));
    expect(requests.find((each) => each.path.endsWith("/secret"))).toMatchObject({ method: "POST", path: "/inbox/ai/lookups/l1/secret" });
    const notice = container.querySelector(".lookup-secret")!;
    expect(notice.querySelector<HTMLInputElement>(".copy-field input")!.value).toBe("lksec_new_one");
    expect(notice.contains(document.activeElement)).toBe(true);
    await click(button(container, "I have copied it"));
    expect(container.textContent).not.toContain("lksec_new_one");
    confirm.mockRestore();
  });
});

describe("the lookups a draft used", () => {
  it("shows what each answered, and why a failed one failed", async () => {
    const { container } = await render(
      <DraftLookups
        lookups={[
          { name: "find_order", arguments: { order_number: "12345" }, ok: true, summary: "find_order order_number 12345: status shipped" },
          { name: "find_order", arguments: { order_number: "999" }, ok: false, error: "no complete answer within 5 s" },
        ]}
      />,
      undefined,
      { language: "fr" },
    );
    const lines = [...container.querySelectorAll("li")].map((li) => li.textContent);
    expect(container.textContent).toContain("Recherches utilisées (2)");
    expect(lines).toEqual([
      "find_order order_number 12345: status shipped",
      "find_order 999: échec, l'adresse n'a pas répondu à temps",
    ]);
  });
});
