import type { Folder, Status } from "../api/client";
import type { ListFilter } from "../api/queries";

/** What the left pane can select: a folder, a view over the assignee, or a status. */
export type Selection =
  | { kind: "folder"; id: string }
  | { kind: "view"; view: "mine" | "unassigned" | "all" | "snoozed" }
  | { kind: "status"; status: Status };

export const DEFAULT_SELECTION: Selection = { kind: "folder", id: "inbox" };

export function filterOf(selection: Selection): ListFilter {
  switch (selection.kind) {
    case "folder":
      return { folder: selection.id };
    case "status":
      return { status: selection.status };
    case "view":
      if (selection.view === "mine") return { assignee: "me" };
      if (selection.view === "unassigned") return { assignee: "none" };
      if (selection.view === "snoozed") return { snoozed: true }; // no other list shows them (issue 13)
      return {};
  }
}

export function sameSelection(a: Selection, b: Selection): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The system folders first (Inbox, then Automated), then the tenant's folders in their order. */
export function orderFolders(folders: readonly Folder[]): Folder[] {
  const system = ["inbox", "automated"];
  const rank = (folder: Folder) => (folder.system ? system.indexOf(folder.id) : system.length);
  return [...folders].sort((a, b) => rank(a) - rank(b) || a.position - b.position);
}
