import { describe, expect, it } from "vitest";
import { keepListed, toggleSelection } from "./multiSelect";

const order = ["a", "b", "c", "d", "e"];

describe("ticking conversations", () => {
  it("toggles one, or a range with Shift in either direction", () => {
    expect([...toggleSelection(new Set(), order, "b", null, false)]).toEqual(["b"]);
    expect([...toggleSelection(new Set(["b"]), order, "b", "b", false)]).toEqual([]);
    expect([...toggleSelection(new Set(["b"]), order, "d", "b", true)].sort()).toEqual(["b", "c", "d"]);
    expect([...toggleSelection(new Set(["d"]), order, "a", "d", true)].sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("unticks a range when the clicked box was ticked", () => {
    expect([...toggleSelection(new Set(order), order, "c", "e", true)].sort()).toEqual(["a", "b"]);
  });

  it("keeps only what is still listed", () => {
    expect([...keepListed(new Set(["a", "z"]), order)]).toEqual(["a"]);
  });
});
