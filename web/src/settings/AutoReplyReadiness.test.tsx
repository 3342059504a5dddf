import { act } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import type { paths } from "../api/schema";
import { ApiContext } from "../api/queries";
import { I18nProvider } from "../i18n/i18n";
import { AutoReplyReadiness } from "./AutoReplyReadiness";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  document.body.innerHTML = "";
});

async function shown(settings: { configured: boolean; company_prompt: string }, enabled = true) {
  const fetch = async () => Response.json({ model: "gpt-4o-mini", base_url: null, api_key_set: false, deployment_key: true, ...settings });
  const api = createClient<paths>({ baseUrl: "http://api.test", fetch });
  const container = document.body.appendChild(document.createElement("div"));
  await act(async () =>
    createRoot(container).render(
      <QueryClientProvider client={new QueryClient()}>
        <ApiContext.Provider value={api}>
          <I18nProvider language="en">
            <AutoReplyReadiness enabled={enabled} />
          </I18nProvider>
        </ApiContext.Provider>
      </QueryClientProvider>,
    ),
  );
  await act(async () => new Promise((r) => setTimeout(r, 30)));
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
