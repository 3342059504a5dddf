import { useEffect, type RefObject } from "react";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The elements Tab stops at inside `container`, in order. */
export function focusablesIn(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE));
}

/** Keeps Tab and Shift+Tab inside a modal dialog while it is open (wrapping at its ends), puts focus on
 * `initial` when it opens, and gives it back to what had it before when it closes, however it closes. */
export function useFocusTrap(dialog: RefObject<HTMLElement | null>, initial: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    initial.current?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      const container = dialog.current;
      if (event.key !== "Tab" || !container) return;
      const stops = focusablesIn(container);
      const first = stops[0];
      const last = stops[stops.length - 1];
      if (!first || !last) return;
      const active = document.activeElement;
      const inside = active instanceof Node && container.contains(active);
      if (!inside || (event.shiftKey && active === first) || (!event.shiftKey && active === last)) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      }
    };
    // On the document, in the capture phase: focus that got out somehow is brought back too.
    document.addEventListener("keydown", onKeyDown, true);
    return () => {
      document.removeEventListener("keydown", onKeyDown, true);
      if (before?.isConnected) before.focus();
    };
  }, [dialog, initial]);
}
