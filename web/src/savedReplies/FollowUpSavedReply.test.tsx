import { act } from "react";
import { describe, expect, it } from "vitest";
import type { Conversation } from "../api/client";
import { FollowUps } from "../followups/FollowUps";
import { click, render, settle, type } from "../test/render";

const SMS = { id: "c1", channel: "sms", snoozed_until: null } as Conversation;
const reply = (id: string, title: string, text: string) => ({
  id,
  scope: "team",
  owner_id: "u1",
  title,
  text,
  created_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
});

/** The follow-up form of an SMS conversation, "send" chosen, over an API that lists two saved replies. */
async function mount() {
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path.endsWith("/saved-replies")) {
      return Response.json({
        items: [reply("r1", "Relance", "Bonjour {{contact.first_name}}, avez-vous pu voir ?"), reply("r2", "Merci", "Merci !")],
        placeholders: ["contact.first_name"],
      });
    }
    return Response.json({ items: [] });
  };
  const { container } = await render(<FollowUps conversation={SMS} />, fetch);
  await settle();
  await click([...container.querySelectorAll("button")].find((b) => b.textContent === "Follow up"));
  const form = container.querySelector<HTMLFormElement>("#follow-up-form")!;
  await type(form.querySelector("select[name=action]")!, "send");
  const select = form.querySelector<HTMLSelectElement>(".follow-up-saved-reply select")!;
  await act(async () => select.focus()); // focused or pressed: the list is read then
  await settle();
  return { form, select, text: form.querySelector("textarea")!, use: form.querySelector(".follow-up-saved-reply button")! };
}

describe("a saved reply as a follow-up's message", () => {
  it("is used by its button, not by choosing (arrow keys change a select as they go)", async () => {
    const { select, text, use } = await mount();
    expect(use.textContent).toBe("Use this reply");
    expect(use.hasAttribute("disabled")).toBe(true);
    await type(select, "r2");
    await type(select, "r1");
    expect(text.value).toBe("");
    await click(use);
    expect(text.value).toBe("Bonjour {{contact.first_name}}, avez-vous pu voir ?");
  });

  it("goes after what was typed, which is kept", async () => {
    const { select, text, use } = await mount();
    await type(text, "Petit rappel.");
    await type(select, "r2");
    await click(use);
    expect(text.value).toBe("Petit rappel.\n\nMerci !");
  });
});

describe("a WhatsApp follow-up's template refused by the API", () => {
  it("says a refused parameter after that parameter, which is marked", async () => {
    const WHATSAPP = { id: "c2", channel: "whatsapp", snoozed_until: null } as Conversation;
    const fetch = async (request: Request) => {
      const path = new URL(request.url).pathname;
      if (path.endsWith("/whatsapp-templates")) {
        return Response.json({ items: [{ name: "suivi", locale: "fr", parameters: 2, text: "Bonjour {{1}}, {{2}}" }] });
      }
      if (request.method === "POST") {
        return Response.json(
          { error: { code: "invalid_field", message: "template.parameters.1: unknown placeholder {{contact.nom}}" } },
          { status: 422 },
        );
      }
      return Response.json({ items: [] });
    };
    const { container } = await render(<FollowUps conversation={WHATSAPP} />, fetch);
    await settle();
    await click([...container.querySelectorAll("button")].find((b) => b.textContent === "Follow up"));
    const form = container.querySelector<HTMLFormElement>("#follow-up-form")!;
    await type(form.querySelector("select[name=action]")!, "send");
    await settle();
    await type(form.querySelector("select[name=follow_up_template]")!, "0");
    await type(form.querySelector("input[name=follow_up_template_parameter_1]")!, "Léa");
    await type(form.querySelector("input[name=follow_up_template_parameter_2]")!, "{{contact.nom}}");
    await act(async () => form.requestSubmit());
    await settle();
    const second = form.querySelector("input[name=follow_up_template_parameter_2]")!;
    expect(second.getAttribute("aria-invalid")).toBe("true");
    const said = document.getElementById(second.getAttribute("aria-describedby")!)!;
    expect(said.getAttribute("role")).toBe("alert");
    expect(said.closest("label")).toBe(second.closest("label"));
    expect(said.textContent).toContain("unknown placeholder");
    expect(form.querySelector("input[name=follow_up_template_parameter_1]")!.getAttribute("aria-invalid")).toBe("false");
    expect(form.querySelectorAll("[role=alert]")).toHaveLength(1); // not said twice, under the form too
  });
});
