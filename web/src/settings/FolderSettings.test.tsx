import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { click, render, settle, until } from "../test/render";
import { FolderSettings } from "./FolderSettings";

afterEach(() => vi.restoreAllMocks());

const folder = (id: string, name: string, position: number) => ({
  id,
  name,
  position,
  system: false,
  color: null,
  rules: null,
  ai_filter: null,
  ai_examples: [],
  auto_reply: { enabled: false, mode: "validation" },
  unread: 0,
});

describe("the folders' settings", () => {
  it("keeps another folder's editor open when a delete started before ends", async () => {
    vi.spyOn(window, "confirm").mockReturnValue(true);
    let answerDelete: ((response: Response) => void) | undefined;
    const fetch = (request: Request) => {
      if (request.method === "DELETE") return new Promise<Response>((resolve) => (answerDelete = resolve));
      return Response.json({ items: [folder("f1", "Devis", 0), folder("f2", "Factures", 1)] });
    };
    const { container } = await render(<FolderSettings />, fetch);
    const edit = (name: string) => container.querySelector<HTMLButtonElement>(`button[aria-label="Edit ${name}"]`)!;
    const editorTitle = () => container.querySelector("#folder-editor-title")?.textContent;
    await until(() => expect(edit("Devis")).not.toBeNull());

    await click(edit("Devis"));
    // Not click(): it settles until every request is answered, and the DELETE is held here.
    await act(async () => container.querySelector<HTMLButtonElement>("form button.danger")!.click());
    await until(() => expect(answerDelete).toBeDefined());
    await act(async () => edit("Factures").click()); // another folder opened while the delete runs
    expect(editorTitle()).toBe("Folder “Factures”");
    answerDelete!(new Response(null, { status: 204 }));
    await settle();

    expect(editorTitle()).toBe("Folder “Factures”");
  });
});
