import { act } from "react";
import { describe, expect, it } from "vitest";
import { render, type } from "../test/render";
import { TemplatePicker } from "./TemplatePicker";

const TEMPLATES = [
  { name: "order_ready", locale: "fr-FR", parameters: 2, text: "Bonjour {{1}}, votre commande {{2}} est prête." },
  { name: "welcome_back", locale: "en-GB", parameters: 0, text: "Hello again!" },
];

/** The picker over an API that lists TEMPLATES and records the replies posted. */
async function mount(windowOpen: boolean) {
  const posted: unknown[] = [];
  const fetch = async (request: Request) => {
    if (request.method === "POST") {
      posted.push(await request.json());
      return Response.json({ id: "m1", delivery: "sent" }, { status: 201 });
    }
    return Response.json({ items: TEMPLATES });
  };
  const { container } = await render(<TemplatePicker conversationId="c1" windowOpen={windowOpen} />, fetch);
  await act(async () => {
    for (let n = 0; n < 20 && !container.querySelector("select"); n++) await new Promise((r) => setTimeout(r, 10));
  });
  return { container, posted };
}

describe("TemplatePicker", () => {
  it("shows the chosen template rendered with its parameters, and sends it by name, locale and parameters", async () => {
    const { container, posted } = await mount(false);
    const select = container.querySelector("select")!;
    expect([...select.options].map((option) => option.text)).toEqual([
      "Choose a template…",
      "order_ready",
      "welcome_back",
    ]);
    await type(select, "0");
    const [first, second] = container.querySelectorAll<HTMLInputElement>(".template-parameter input");
    expect(container.querySelectorAll(".template-parameter input")).toHaveLength(2);
    await type(first!, "Karim");
    const preview = () => container.querySelector(".template-preview p")!;
    expect(preview().textContent).toBe("Bonjour Karim, votre commande {{2}} est prête.");
    expect(preview().querySelector(".template-missing")!.textContent).toBe("{{2}}");
    const send = [...container.querySelectorAll("button")].find((b) => b.textContent === "Send template")!;
    expect(send.disabled).toBe(true); // a parameter is still empty
    await type(second!, "48213");
    expect(preview().textContent).toBe("Bonjour Karim, votre commande 48213 est prête.");
    expect([...preview().querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["Karim", "48213"]);

    await act(async () => send.click());
    await act(async () => new Promise((r) => setTimeout(r, 20)));
    expect(posted).toEqual([
      { template: { name: "order_ready", locale: "fr-FR", parameters: ["Karim", "48213"] }, reply_all: false },
    ]);
  });

  it("refuses a parameter WhatsApp would refuse, and folds itself under the text while the window is open", async () => {
    const { container } = await mount(true);
    expect(container.querySelector("details.composer-templates summary")!.textContent).toBe(
      "Send an approved template instead",
    );
    await type(container.querySelector("select")!, "0");
    const first = container.querySelector<HTMLInputElement>(".template-parameter input")!;
    await type(first, "deux\tcolonnes"); // an input drops line breaks itself, not tabs
    expect(first.getAttribute("aria-invalid")).toBe("true");
    expect(container.querySelector(".template-parameter .error")!.textContent).toContain("One line");
  });
});
