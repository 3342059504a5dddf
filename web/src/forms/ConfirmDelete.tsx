import { useEffect, useRef, useState } from "react";

/** An item's Delete button that asks first (a lookup's, a webhook's, a channel's, a knowledge document's,
 * a folder's). The question is the browser's own confirmation: modal, read out by screen readers, the
 * focus back on the button when the answer is no. Once deleted, the item goes and its button with it: the focus moves to `focusAfter` (the id of the
 * list's heading, focusable) instead of falling to the page's start. A refusal is the caller's to show
 * (its mutation's error), the focus staying on the button: given back to it if it was lost meanwhile, as a
 * browser moves the focus off a focused button that gets disabled (the focus fixup rule) to <body>. */
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
  // Moved only when lost: a person who went on elsewhere meanwhile keeps their place.
  const focusLost = () => {
    const focused = document.activeElement;
    return focused === null || focused === document.body || !focused.isConnected;
  };
  const deleted = () => {
    if (document.activeElement === button.current || focusLost()) document.getElementById(focusAfter)?.focus();
  };
  // Refused: the focus goes back once the button is on again (a disabled button takes none), whichever of
  // the refusal and the re-render with `pending` false comes first.
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    if (!refused || pending) return;
    setRefused(false);
    if (focusLost()) button.current?.focus();
  }, [refused, pending]);
  return (
    <button
      type="button"
      className="danger"
      ref={button}
      aria-describedby={describedBy}
      disabled={pending}
      onClick={() => {
        if (window.confirm(question)) onDelete().then(deleted, () => setRefused(true));
      }}
    >
      {label}
    </button>
  );
}
