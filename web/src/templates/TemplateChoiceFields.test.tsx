import { act, useState } from "react";
import { describe, expect, it } from "vitest";
import { TemplatePicker } from "../inbox/TemplatePicker";
import { render, type } from "../test/render";
import type { TemplateChoice } from "./queries";
import { TemplateChoiceFields } from "./TemplateChoiceFields";
import { NudgeTemplate } from "./NudgeTemplate";
import { NudgeFieldset, type Nudge } from "../settings/NudgeSettings";

const TEMPLATES = [
  { name: "suivi_demande", locale: "fr", parameters: 2, text: "Bonjour {{1}}, votre demande {{2}}." },
  { name: "welcome_back", locale: "en_GB", parameters: 0, text: "Hello again!" },
];

function Harness({ seen }: { seen: (choice: TemplateChoice | null) => void }) {
  const [value, setValue] = useState<TemplateChoice | null>(null);
  return (
    <TemplateChoiceFields
      templates={TEMPLATES}
      value={value}
      idPrefix="test"
      onChange={(choice) => {
        setValue(choice);
        seen(choice);
      }}
    />
  );
}

describe("TemplateChoiceFields", () => {
  it("chooses a template with as many parameters as it takes, and shows what will be sent", async () => {
    const choices: (TemplateChoice | null)[] = [];
    const { container } = await render(<Harness seen={(choice) => choices.push(choice)} />);
    const select = container.querySelector("select")!;
    expect([...select.options].map((option) => option.text)).toEqual(["None", "suivi_demande", "welcome_back"]);
    await type(select, "0");
    const inputs = container.querySelectorAll<HTMLInputElement>(".template-parameter input");
    expect(inputs).toHaveLength(2);
    await type(inputs[0]!, "Karim");
    await type(container.querySelectorAll<HTMLInputElement>(".template-parameter input")[1]!, "D-77");
    expect(choices.at(-1)).toEqual({ name: "suivi_demande", locale: "fr", parameters: ["Karim", "D-77"] });
    expect(container.querySelector(".template-choice-preview")!.textContent).toBe(
      "Sent as (fr): Bonjour Karim, votre demande D-77.",
    );
    await type(container.querySelector("select")!, "");
    expect(choices.at(-1)).toBeNull();
    expect(container.querySelectorAll(".template-parameter input")).toHaveLength(0);
  });
});

describe("a template kept that the list no longer has", () => {
  it("is shown as kept, not as None, and None clears it", async () => {
    const choices: (TemplateChoice | null)[] = [];
    const { container } = await render(
      <TemplateChoiceFields
        templates={TEMPLATES}
        value={{ name: "gone", locale: "fr", parameters: ["x"] }}
        idPrefix="test"
        onChange={(choice) => choices.push(choice)}
      />,
    );
    const select = container.querySelector("select")!;
    expect(select.selectedOptions[0]!.text).not.toBe("None");
    expect(select.selectedOptions[0]!.text).toContain("gone");
    expect(container.querySelector(".template-choice-kept")!.textContent).toContain("gone");
    await type(select, "");
    expect(choices.at(-1)).toBeNull();
  });

  it("says when Vonage's list could not be read, for a nudge", async () => {
    const vonage = {
      id: "i1",
      kind: "vonage",
      name: "Vonage",
      settings: { whatsapp_numbers: ["+33612345678"], whatsapp_business_account_id: "11111" },
      secrets_set: {},
      created_at: "2026-12-01T10:00:00Z",
    };
    const fetch = async (request: Request) =>
      new URL(request.url).pathname.endsWith("/whatsapp-templates")
        ? Response.json({ error: { code: "unavailable", message: "Vonage did not answer" } }, { status: 503 })
        : Response.json([vonage]);
    const { container } = await render(<NudgeTemplate value={null} onChange={() => {}} />, fetch);
    await act(async () => {
      for (let n = 0; n < 100 && !container.querySelector(".template-list-error"); n++) await new Promise((r) => setTimeout(r, 20));
    });
    expect(container.querySelector(".template-list-error")!.textContent).toContain("Vonage");
  });

  it("is dropped when the nudge leaves automatic mode", async () => {
    const seen: Nudge[] = [];
    const nudge: Nudge = {
      enabled: true,
      after_hours: 48,
      max_nudges: 2,
      mode: "automatic",
      text: "Bonjour",
      template: { name: "suivi_demande", locale: "fr", parameters: ["a", "b"] },
    };
    const { container } = await render(<NudgeFieldset value={nudge} onChange={(next) => seen.push(next)} />, async () =>
      Response.json([]),
    );
    await type(container.querySelector<HTMLSelectElement>("[name=nudge_mode]")!, "validation");
    expect(seen.at(-1)!.mode).toBe("validation");
    expect(seen.at(-1)!.template ?? null).toBeNull();
  });
});

describe("TemplatePicker's refresh", () => {
  it("asks Vonage again with refresh=true and offers what it lists now", async () => {
    const asked: string[] = [];
    const fetch = async (request: Request) => {
      asked.push(new URL(request.url).search);
      const refreshed = new URL(request.url).searchParams.get("refresh") === "true";
      return Response.json({ items: refreshed ? TEMPLATES : TEMPLATES.slice(1) });
    };
    const { container } = await render(<TemplatePicker conversationId="c1" windowOpen={false} />, fetch);
    const options = () => [...container.querySelectorAll("option")].map((option) => option.text);
    await act(async () => {
      for (let n = 0; n < 20 && !container.querySelector("select"); n++) await new Promise((r) => setTimeout(r, 10));
    });
    expect(options()).toEqual(["Choose a template…", "welcome_back"]);
    const refresh = [...container.querySelectorAll("button")].find((b) => b.textContent === "Refresh from Vonage")!;
    await act(async () => refresh.click());
    await act(async () => new Promise((r) => setTimeout(r, 20)));
    expect(asked).toEqual(["", "?refresh=true"]);
    expect(options()).toEqual(["Choose a template…", "suivi_demande", "welcome_back"]);
  });
});
