import { act, useState } from "react";
import { describe, expect, it } from "vitest";
import { render } from "../test/render";
import { ShortcutsHelp } from "./ShortcutsHelp";

// render.tsx unmounts each test's page, so an open dialog's listener on the document goes with its test.

/** A page with a button that opens the list, another control after it, and Escape closing the list as Inbox does. */
function Page() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" id="opener" onClick={() => setOpen(true)}>
        ?
      </button>
      <input id="after" aria-label="after" />
      <div
        onKeyDown={(event) => {
          if (event.key === "Escape") setOpen(false);
        }}
      >
        {open && <ShortcutsHelp onClose={() => setOpen(false)} />}
      </div>
    </>
  );
}

/** The page (it reads no API) with the list opened from its button. */
async function opened() {
  const { container } = await render(<Page />);
  const opener = container.querySelector<HTMLButtonElement>("#opener")!;
  opener.focus();
  act(() => opener.click());
  return { container, opener };
}

/** Tab as a browser would send it; true when the page kept the browser from moving the focus itself. */
function tab(shiftKey = false): boolean {
  const event = new KeyboardEvent("keydown", { key: "Tab", shiftKey, bubbles: true, cancelable: true });
  act(() => void document.activeElement!.dispatchEvent(event));
  return event.defaultPrevented;
}

const closeButton = (container: HTMLElement) =>
  container.querySelector<HTMLButtonElement>('[role="dialog"] button')!;

describe("ShortcutsHelp", () => {
  it("opens with the focus on its close button, and Tab and Shift+Tab cannot leave it", async () => {
    const { container } = await opened();
    const close = closeButton(container);
    expect(document.activeElement).toBe(close);
    expect(tab()).toBe(true);
    expect(document.activeElement).toBe(close);
    expect(tab(true)).toBe(true);
    expect(document.activeElement).toBe(close);
  });

  it("brings back a focus that got outside on the next Tab", async () => {
    const { container } = await opened();
    container.querySelector<HTMLInputElement>("#after")!.focus();
    expect(tab()).toBe(true);
    expect(document.activeElement).toBe(closeButton(container));
  });

  it("gives the focus back to what had it when closed by its button", async () => {
    const { container, opener } = await opened();
    act(() => closeButton(container).click());
    expect(container.querySelector('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it("gives the focus back to what had it when closed by Escape", async () => {
    const { container, opener } = await opened();
    const escape = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    act(() => void closeButton(container).dispatchEvent(escape));
    expect(container.querySelector('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it("leaves Tab alone once closed", async () => {
    const { container } = await opened();
    act(() => closeButton(container).click());
    expect(tab()).toBe(false);
  });
});
