import { act } from "react";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { en, fr } from "../i18n/messages";
import { render } from "../test/render";
import { NudgeFieldset, type Nudge } from "./NudgeSettings";
import { saidByNudge } from "./nudgeRefusal";

// The folder's save refused a nudge's placeholder (issue 16, second session): a nudge has no sender, so
// `agent.*` is a 422 on the field, said next to that field in the reader's language.
const refused = (message: string) => new ApiError(422, { error: { code: "invalid_field", message } });
const SENDER = "has placeholders a nudge cannot fill, nobody sends it: {{agent.name}}";
const NUDGE: Nudge = {
  enabled: true,
  after_hours: 48,
  max_nudges: 2,
  mode: "automatic",
  text: "Cordialement, {{agent.name}}",
  template: { name: "suivi_demande", locale: "fr", parameters: ["{{agent.name}}", "D-77"] },
};
const noTemplates = async () => Response.json([]);

async function settled(container: HTMLElement) {
  await act(async () => {
    for (let n = 0; n < 100 && !container.querySelector("[name=nudge_template]"); n++) {
      await new Promise((r) => setTimeout(r, 10));
    }
  });
}

describe("NudgeFieldset: placeholders the API refused", () => {
  it.each([
    ["en", en["settings.nudge.refused.sender"]],
    ["fr", fr["settings.nudge.refused.sender"]],
  ] as const)("says an agent placeholder of the text next to the text (%s)", async (language, words) => {
    const { container } = await render(
      <NudgeFieldset value={NUDGE} onChange={() => {}} error={refused(`nudge.text: ${SENDER}`)} />,
      noTemplates,
      { language },
    );
    await settled(container);
    const text = container.querySelector<HTMLTextAreaElement>("[name=nudge_text]")!;
    expect(text.getAttribute("aria-invalid")).toBe("true");
    const said = document.getElementById(text.getAttribute("aria-describedby")!)!;
    expect(said.getAttribute("role")).toBe("alert");
    expect(said.textContent).toBe(words.replace("{names}", "{{agent.name}}"));
    // The label holds only the field's name (the refusal, after it, is its description, not part of its name).
    const label = text.closest("label")!;
    expect(label.contains(said)).toBe(false);
    expect(label.nextElementSibling).toBe(said);
    const named = [...label.childNodes].filter((node) => node !== text).map((node) => node.textContent);
    expect(named.join("").trim()).toBe((language === "en" ? en : fr)["settings.nudge.text"]);
    expect(container.querySelector(".template-parameter [aria-invalid=true]")).toBeNull();
  });

  it.each([
    ["en", en["settings.nudge.refused.sender"]],
    ["fr", fr["settings.nudge.refused.sender"]],
  ] as const)("says it after the template parameter it names (%s)", async (language, words) => {
    const error = refused(`nudge.template.parameters.0: ${SENDER}`);
    const { container } = await render(<NudgeFieldset value={NUDGE} onChange={() => {}} error={error} />, noTemplates, {
      language,
    });
    await settled(container);
    const [first, second] = container.querySelectorAll<HTMLInputElement>(".template-parameter input");
    expect(first!.getAttribute("aria-invalid")).toBe("true");
    expect(second!.getAttribute("aria-invalid")).toBe("false");
    const said = document.getElementById(first!.getAttribute("aria-describedby")!)!;
    expect(said.textContent).toBe(words.replace("{names}", "{{agent.name}}"));
    expect(container.querySelector<HTMLTextAreaElement>("[name=nudge_text]")!.getAttribute("aria-invalid")).toBe("false");
    expect(saidByNudge(error, NUDGE)).toBe(true);
  });

  it("words a placeholder we do not know, and leaves any other error to the form", async () => {
    const typo = refused("nudge.text: has placeholders we do not know: {{contact.frist_name}}");
    const { container } = await render(<NudgeFieldset value={NUDGE} onChange={() => {}} error={typo} />, noTemplates);
    await settled(container);
    expect(container.querySelector("#nudge-text-refused")!.textContent).toBe(
      en["settings.nudge.refused.unknown"].replace("{names}", "{{contact.frist_name}}"),
    );
    const other = refused("nudge.after_hours: Input should be less than or equal to 720");
    expect(saidByNudge(other, NUDGE)).toBe(false);
    // A refused parameter of a template no longer on screen is said by the form, not lost.
    const parameter = refused(`nudge.template.parameters.1: ${SENDER}`);
    expect(saidByNudge(parameter, { ...NUDGE, mode: "validation", template: null })).toBe(false);
  });
});
