import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import type { Conversation } from "../api/client";
import { ApiContext } from "../api/queries";
import type { paths } from "../api/schema";
import { I18nProvider } from "../i18n/i18n";
import type { Language } from "../i18n/messages";
import { ConversationActions } from "./ConversationActions";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const CONVERSATION = { id: "c1", channel: "sms", status: "open", folder_id: null, assignee_id: null, unread: false } as Conversation;
const roots: Root[] = [];

afterEach(() => {
  act(() => roots.splice(0).forEach((root) => root.unmount()));
  document.body.innerHTML = "";
});

/** The actions over a stubbed API whose PATCH answers `patch` (a status and a body, JSON or text). */
async function mount(patch: { status: number; body: unknown }, language: Language = "en") {
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path.endsWith("/me")) return Response.json({ user_id: "u1", tenant_id: "t", role: "agent" });
    if (path.endsWith("/folders")) return Response.json({ items: [] });
    if (request.method === "PATCH") {
      return typeof patch.body === "string"
        ? new Response(patch.body, { status: patch.status, headers: { "content-type": "text/html" } })
        : Response.json(patch.body, { status: patch.status });
    }
    return Response.json({ items: [] });
  };
  const api = createClient<paths>({ baseUrl: "http://api.test", fetch });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const container = document.body.appendChild(document.createElement("div"));
  const root = createRoot(container);
  roots.push(root);
  await act(async () =>
    root.render(
      <QueryClientProvider client={queries}>
        <ApiContext.Provider value={api}>
          <I18nProvider language={language}>
            <ConversationActions conversation={CONVERSATION} onGone={() => undefined} />
          </I18nProvider>
        </ApiContext.Provider>
      </QueryClientProvider>,
    ),
  );
  return container;
}

async function settle() {
  await act(async () => {
    for (let n = 0; n < 5; n++) await new Promise((r) => setTimeout(r, 10));
  });
}

/** Chooses Resolved in the status select, as a person would, and returns the refusal shown. */
async function resolve(container: HTMLElement): Promise<string> {
  const select = container.querySelector<HTMLSelectElement>('select[name="status"]')!;
  await act(async () => {
    select.value = "resolved";
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await settle();
  return container.querySelector('[role="alert"]')?.textContent ?? "";
}

describe("ConversationActions", () => {
  it("says a refused change in the API's words, without the error's class or status", async () => {
    const container = await mount({
      status: 409,
      body: { error: { code: "conflict", message: "the conversation is being changed by someone else" } },
    });
    const shown = await resolve(container);
    expect(shown).toBe("Not possible as things stand: the conversation is being changed by someone else");
    expect(shown).not.toMatch(/ApiError|HTTP/);
  });

  it("says it in French in the French interface", async () => {
    const container = await mount(
      { status: 409, body: { error: { code: "conflict", message: "the conversation is being changed by someone else" } } },
      "fr",
    );
    expect(await resolve(container)).toBe("Impossible en l'état : the conversation is being changed by someone else");
  });

  it("words an answer without the API's body by its status", async () => {
    const container = await mount({ status: 503, body: "<html>Service Unavailable</html>" });
    const shown = await resolve(container);
    expect(shown).toBe("The service is unavailable right now: try again in a moment.");
    expect(shown).not.toMatch(/ApiError|HTTP/);
  });
});
