import { describe, expect, it } from "vitest";
import { shortcutOf } from "./shortcuts";

const press = (key: string, target: Element = document.body, mods: Partial<KeyboardEvent> = {}) =>
  shortcutOf({ key, target, ctrlKey: false, altKey: false, metaKey: false, ...mods });

describe("shortcuts", () => {
  it("read the inbox's keys", () => {
    expect(press("j")).toBe("next");
    expect(press("ArrowDown")).toBe("next");
    expect(press("k")).toBe("previous");
    expect(press("r")).toBe("reply");
    expect(press("e")).toBe("resolve");
    expect(press("?")).toBe("help");
    expect(press("/")).toBe("search");
    expect(press("x")).toBeNull();
  });

  it("leave typing alone, but Escape leaves the field", () => {
    const textarea = document.createElement("textarea");
    expect(press("j", textarea)).toBeNull();
    expect(press("e", document.createElement("input"))).toBeNull();
    expect(press("Escape", textarea)).toBe("leave");
  });

  it("leave the browser's own shortcuts alone", () => {
    expect(press("r", document.body, { ctrlKey: true })).toBeNull();
    expect(press("k", document.body, { metaKey: true })).toBeNull();
  });
});
