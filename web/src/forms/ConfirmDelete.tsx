import { useRef } from "react";

/** An item's Delete button that asks first (a lookup's, a webhook's). The question is the browser's own
 * confirmation: modal, read out by screen readers, the focus back on the button when the answer is no.
 * Once deleted, the item goes and its button with it: the focus moves to `focusAfter` (the id of the
 * list's heading, focusable) instead of falling to the page's start. A refusal is the caller's to show
 * (its mutation's error), the focus staying on the button. */
export function ConfirmDelete({
  label,
  question,
  describedBy,
  pending,
  onDelete,
  focusAfter,
}: {
  /** The button's text, "Delete" in the reader's language. */
  label: string;
  /** What is asked, naming the item and what deleting it means. */
  question: string;
  /** The id of the item's name, so the button reads "Delete, find_order". */
  describedBy?: string;
  pending: boolean;
  /** Deletes the item; settles once it is gone from the list (a mutation's `mutateAsync`). */
  onDelete: () => Promise<unknown>;
  focusAfter: string;
}) {
  const button = useRef<HTMLButtonElement>(null);
  const deleted = () => {
    const focused = document.activeElement;
    // Moved only when lost: a person who went on elsewhere meanwhile keeps their place.
    if (focused === button.current || focused === null || focused === document.body || !focused.isConnected) {
      document.getElementById(focusAfter)?.focus();
    }
  };
  return (
    <button
      type="button"
      className="danger"
      ref={button}
      aria-describedby={describedBy}
      disabled={pending}
      onClick={() => {
        if (window.confirm(question)) onDelete().then(deleted, () => undefined);
      }}
    >
      {label}
    </button>
  );
}
