// The settings' Delete buttons ask first and, once the item is gone, leave the focus on the screen's title
// rather than on the page's start (forms/ConfirmDelete): a keyboard or screen reader user goes on from there.
import { afterEach, describe, expect, it, vi } from "vitest";
import { click, render, settle, until } from "../test/render";
import { IntegrationSettings } from "./IntegrationSettings";
import { KnowledgeSettings } from "./KnowledgeSettings";

afterEach(() => vi.restoreAllMocks());

const AT = "2026-12-01T10:00:00Z";

/** An API holding `items` at `path` (a list answered as `{items, ...extra}`, or bare without `extra`) that
 * deletes them. */
function listApi(path: string, items: { id: string }[], extra: object | null = null) {
  const deleted: string[] = [];
  const fetch = (request: Request) => {
    const url = new URL(request.url).pathname;
    if (request.method === "DELETE") {
      deleted.push(url.split("/").at(-1)!);
      return new Response(null, { status: 204 });
    }
    const left = items.filter((each) => !deleted.includes(each.id));
    if (url.endsWith(path)) return Response.json(extra ? { items: left, ...extra } : left);
    return Response.json({ items: [] });
  };
  return { fetch, deleted };
}

async function deleteAndSeeFocus(button: HTMLButtonElement, title: string) {
  const confirm = vi.spyOn(window, "confirm").mockReturnValue(true);
  button.focus();
  await click(button);
  await until(() => expect(document.activeElement?.id).toBe(title));
  await settle();
  return confirm;
}

describe("the settings' Delete buttons", () => {
  it("delete a knowledge document after asking, and leave the focus on the knowledge base's title", async () => {
    const document_ = {
      id: "k1",
      title: "Tarifs 2026",
      kind: "text",
      format: "text",
      size: 1200,
      passages: 3,
      filename: null,
      created_at: AT,
      updated_at: AT,
      updated_by: "admin",
    };
    const api = listApi("/inbox/knowledge", [document_], { limits: { documents: 50, upload_bytes: 10_000_000 } });
    const { container } = await render(<KnowledgeSettings />, api.fetch);
    await until(() => expect(container.querySelector(".knowledge-document")).not.toBeNull());
    const button = container.querySelector<HTMLButtonElement>(".knowledge-document button.danger")!;
    expect(button.getAttribute("aria-describedby")).toBe("knowledge-k1");

    const confirm = await deleteAndSeeFocus(button, "knowledge-title");

    expect(confirm).toHaveBeenCalledWith(expect.stringContaining("Tarifs 2026"));
    expect(api.deleted).toEqual(["k1"]);
    expect(container.querySelector(".knowledge-document")).toBeNull();
  });

  it("delete a channel after asking, and leave the focus on the channels' title", async () => {
    const integration = {
      id: "i1",
      name: "Support mailbox",
      kind: "email",
      settings: {},
      secrets_set: {},
      enabled: true,
      created_at: AT,
      updated_at: AT,
    };
    const api = listApi("/inbox/integrations", [integration]);
    const { container } = await render(<IntegrationSettings apiBaseUrl="" />, api.fetch);
    await until(() => expect(container.querySelector(".integration")).not.toBeNull());
    const button = container.querySelector<HTMLButtonElement>(".integration button.danger")!;
    expect(button.getAttribute("aria-describedby")).toBe("int-i1");

    const confirm = await deleteAndSeeFocus(button, "integrations-title");

    expect(confirm).toHaveBeenCalledWith(expect.stringContaining("Support mailbox"));
    expect(api.deleted).toEqual(["i1"]);
    expect(container.querySelector(".integration")).toBeNull();
  });
});
