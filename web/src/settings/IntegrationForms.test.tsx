import { act } from "react";
import { describe, expect, it, vi } from "vitest";
import { fr } from "../i18n/messages";
import { click, render, settle, type } from "../test/render";
import { CustomWebhookForm } from "./IntegrationForms";

/** The custom webhook's form over an API that creates it, keeping the secret it was sent. */
async function mount(language: "en" | "fr" = "en") {
  const sent: { secret?: string }[] = [];
  const fetch = async (request: Request) => {
    const body = (await request.json()) as { name: string; secret: string };
    sent.push(body);
    return Response.json(
      { id: "i9", kind: "custom", name: body.name, settings: {}, secrets_set: { secret: true }, webhook_path: "/inbox/webhooks/custom/i9" },
      { status: 201 },
    );
  };
  const onDone = vi.fn();
  const { container } = await render(<CustomWebhookForm onDone={onDone} origin="https://api.example.com" />, fetch, {
    language,
  });
  const form = container.querySelector("form")!;
  await type(form.querySelector("[name=name]")!, "CRM");
  await act(async () => void form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true })));
  await settle();
  return { container, sent, onDone };
}

describe("a custom webhook's secret, shown once", () => {
  it("is the shared secret block: the secret, the URL and how to sign, the focus on it, one button to leave", async () => {
    const { container, sent, onDone } = await mount();
    const panel = container.querySelector("section.settings-form")!;
    expect(panel.querySelector("h2")!.textContent).toBe("“CRM” is ready");
    const notice = panel.querySelector<HTMLElement>(".notice.secret-once[role=status]")!;
    expect(document.activeElement).toBe(notice);
    const fields = [...notice.querySelectorAll(".copy-field")].map((field) => [
      field.querySelector("label")!.textContent,
      field.querySelector<HTMLInputElement | HTMLTextAreaElement>("input, textarea")!.value,
    ]);
    expect(fields[0]).toEqual(["Signing secret", sent[0]!.secret]);
    expect(fields[1]).toEqual(["Webhook URL", "https://api.example.com/inbox/webhooks/custom/i9"]);
    expect(fields[2]![0]).toBe("Example (shell)");
    const buttons = [...panel.querySelectorAll("button")].filter((button) => !button.closest(".copy-field"));
    expect(buttons.map((button) => button.textContent)).toEqual(["I have copied the secret"]);
    await click(buttons[0]);
    expect(onDone).toHaveBeenCalledOnce();
  });

  it("says it in French too", async () => {
    const { container } = await mount("fr");
    const notice = container.querySelector(".secret-once")!;
    expect(notice.querySelector("p")!.textContent).toBe(fr["settings.custom.secretOnce"]);
    expect(notice.querySelector(".copy-field label")!.textContent).toBe("Secret de signature");
    expect(notice.querySelector("button:not(.copy-field button)")!.textContent).toBe("J'ai copié le secret");
  });
});
