import { describe, expect, it } from "vitest";
import type { Folder } from "../api/client";
import { filterOf, orderFolders } from "./views";

const folder = (id: string, position: number, system = false): Folder =>
  ({ id, name: id, position, system, ai_examples: [], auto_reply: {} }) as unknown as Folder;

describe("views", () => {
  it("turn into the list's query filters", () => {
    expect(filterOf({ kind: "folder", id: "inbox" })).toEqual({ folder: "inbox" });
    expect(filterOf({ kind: "view", view: "mine" })).toEqual({ assignee: "me" });
    expect(filterOf({ kind: "view", view: "unassigned" })).toEqual({ assignee: "none" });
    expect(filterOf({ kind: "view", view: "all" })).toEqual({});
    expect(filterOf({ kind: "status", status: "urgent" })).toEqual({ status: "urgent" });
  });

  it("put Inbox and Automated first, then the tenant's folders in order", () => {
    const ordered = orderFolders([folder("inbox", 0, true), folder("b", 2), folder("a", 1), folder("automated", 99, true)]);
    expect(ordered.map((f) => f.id)).toEqual(["inbox", "automated", "a", "b"]);
  });
});
