import { describe, expect, it } from "vitest";
import type { Conversation } from "../api/client";
import type { Language } from "../i18n/messages";
import { render, settle, type } from "../test/render";
import { ConversationActions } from "./ConversationActions";

const CONVERSATION = { id: "c1", channel: "sms", status: "open", folder_id: null, assignee_id: null, unread: false } as Conversation;

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
  const { container } = await render(
    <ConversationActions conversation={CONVERSATION} onGone={() => undefined} />,
    fetch,
    { language },
  );
  return container;
}

/** Chooses Resolved in the status select, as a person would, and returns the refusal shown. */
async function resolve(container: HTMLElement): Promise<string> {
  await type(container.querySelector<HTMLSelectElement>('select[name="status"]')!, "resolved");
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
