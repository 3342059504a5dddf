import { act, useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { click, render } from "../test/render";
import { ConfirmDelete } from "./ConfirmDelete";

/** A list with a heading to come back to, whose items delete as `outcome` says. */
function List({ outcome }: { outcome: "deleted" | "refused" }) {
  const [items, setItems] = useState(["find_order", "find_booking"]);
  return (
    <section>
      <h2 id="list-title" tabIndex={-1}>
        Lookups
      </h2>
      <ul>
        {items.map((name) => (
          <li key={name}>
            <strong id={`name-${name}`}>{name}</strong>
            <ConfirmDelete
              label="Delete"
              question={`Delete the lookup ${name}?`}
              describedBy={`name-${name}`}
              pending={false}
              onDelete={async () => {
                if (outcome === "refused") throw new Error("409");
                setItems((all) => all.filter((each) => each !== name));
              }}
              focusAfter="list-title"
            />
          </li>
        ))}
      </ul>
    </section>
  );
}

const deleteOf = (container: Element, name: string) =>
  container.querySelector<HTMLButtonElement>(`button[aria-describedby="name-${name}"]`)!;

afterEach(() => vi.restoreAllMocks());

describe("an item's Delete button that asks first", () => {
  it("asks the question naming the item, and deletes nothing when the answer is no", async () => {
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
    const { container } = await render(<List outcome="deleted" />);
    const button = deleteOf(container, "find_booking");
    expect(button.className).toBe("danger"); // what the browser scripts and the styles find
    expect(button.textContent).toBe("Delete");
    act(() => button.focus());
    await click(button);
    expect(confirm).toHaveBeenCalledWith("Delete the lookup find_booking?");
    expect(container.querySelectorAll("li")).toHaveLength(2);
    expect(document.activeElement).toBe(button);
  });

  it("once deleted, moves the focus to the list's heading rather than the page's start", async () => {
    vi.spyOn(window, "confirm").mockReturnValue(true);
    const { container } = await render(<List outcome="deleted" />);
    const button = deleteOf(container, "find_booking");
    act(() => button.focus());
    await click(button);
    expect([...container.querySelectorAll("strong")].map((name) => name.textContent)).toEqual(["find_order"]);
    expect(document.activeElement).toBe(container.querySelector("#list-title"));
  });

  it("leaves the focus on the button when the deletion is refused, and is off while one runs", async () => {
    vi.spyOn(window, "confirm").mockReturnValue(true);
    const { container } = await render(<List outcome="refused" />);
    const button = deleteOf(container, "find_order");
    act(() => button.focus());
    await click(button);
    expect(container.querySelectorAll("li")).toHaveLength(2);
    expect(document.activeElement).toBe(button);

    const pending = await render(
      <ConfirmDelete label="Supprimer" question="?" pending onDelete={async () => undefined} focusAfter="none" />,
      undefined,
      { language: "fr" },
    );
    expect(pending.container.querySelector("button")!.disabled).toBe(true);
  });
});
