import { useEffect } from "react";

/** The keys of the inbox, as the `?` list shows them (the label is a message key's suffix). */
export const SHORTCUTS = [
  { keys: ["j", "↓"], action: "next" },
  { keys: ["k", "↑"], action: "previous" },
  { keys: ["Enter"], action: "open" },
  { keys: ["r"], action: "reply" },
  { keys: ["n"], action: "note" },
  { keys: ["e"], action: "resolve" },
  { keys: ["a"], action: "assign" },
  { keys: ["m"], action: "move" },
  { keys: ["u"], action: "unread" },
  { keys: ["g"], action: "suggest" }, // the AI's draft on demand (Drafts.tsx)
  { keys: ["x"], action: "select" }, // the list's own key (ConversationList), listed here for `?`
  { keys: ["/"], action: "search" }, // the search field atop the list (web/src/search)
  { keys: ["Esc"], action: "close" },
  { keys: ["?"], action: "help" },
] as const;

export type ShortcutAction = (typeof SHORTCUTS)[number]["action"];

const KEYS: Record<string, ShortcutAction> = {
  j: "next",
  ArrowDown: "next",
  k: "previous",
  ArrowUp: "previous",
  r: "reply",
  n: "note",
  e: "resolve",
  a: "assign",
  m: "move",
  u: "unread",
  g: "suggest",
  Escape: "close",
  "/": "search",
  "?": "help",
};

/** The action a key press asks for, or null: never while typing, never with Ctrl, Alt or Meta. */
export function shortcutOf(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "altKey" | "metaKey" | "target">) {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  const target = event.target as HTMLElement | null;
  const typing = target?.closest?.("input, textarea, select, [contenteditable='true']");
  if (typing) return event.key === "Escape" ? "leave" : null;
  return KEYS[event.key] ?? null;
}

export function useShortcuts(handle: (action: ShortcutAction | "leave", event: KeyboardEvent) => boolean) {
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      const action = shortcutOf(event);
      if (action && handle(action, event)) event.preventDefault();
    };
    document.addEventListener("keydown", listener);
    return () => document.removeEventListener("keydown", listener);
  }, [handle]);
}

/** Moves the focus to the next or previous conversation of the list (the first when none has it). */
export function moveInList(step: 1 | -1): boolean {
  const rows = [...document.querySelectorAll<HTMLElement>(".conversation-row")];
  if (rows.length === 0) return false;
  const active = document.activeElement as HTMLElement | null;
  let index = rows.findIndex((row) => row === active);
  if (index === -1) index = rows.findIndex((row) => row.getAttribute("aria-current") === "true");
  const next = index === -1 ? 0 : Math.min(rows.length - 1, Math.max(0, index + step));
  rows[next]!.focus();
  rows[next]!.scrollIntoView({ block: "nearest" });
  return true;
}
