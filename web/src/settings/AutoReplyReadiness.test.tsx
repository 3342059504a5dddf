import { describe, expect, it } from "vitest";
import { render, settle } from "../test/render";
import { AutoReplyReadiness } from "./AutoReplyReadiness";

async function shown(settings: { configured: boolean; company_prompt: string }, enabled = true) {
  const fetch = () => Response.json({ model: "gpt-4o-mini", base_url: null, api_key_set: false, deployment_key: true, ...settings });
  const { container } = await render(<AutoReplyReadiness enabled={enabled} />, fetch);
  await settle();
  return container.textContent;
}

describe("AutoReplyReadiness", () => {
  it("says why a folder's auto-reply will send nothing yet, and nothing once it can", async () => {
    expect(await shown({ configured: true, company_prompt: " " })).toBe(
      "Auto-reply is not configured: add a company prompt in Settings → AI. Until then nothing is sent. Open Settings → AI",
    );
    expect(await shown({ configured: false, company_prompt: "We are…" })).toContain("the AI has no model yet");
    expect(await shown({ configured: true, company_prompt: "We are…" })).toBe("");
    expect(await shown({ configured: false, company_prompt: "" }, false)).toBe("");
  });
});
