import { describe, expect, it } from "vitest";
import { choiceStartingWith, personLabel, pickerChoices, type Person } from "./people";

const person = (id: string, name: string | null, enabled = true): Person =>
  ({ id, name, email: `${id}@example.com`, role: "agent", enabled }) as Person;

describe("assignee picker", () => {
  it("offers me first, then nobody, then the others, leaving disabled people out", () => {
    const people = [person("u-lea", "Léa"), person("u-me", "Nadia"), person("u-gone", "Gone", false)];
    expect(pickerChoices(people, "u-me").map((c) => [c.kind, c.id])).toEqual([
      ["me", "u-me"],
      ["nobody", null],
      ["person", "u-lea"],
    ]);
  });

  it("offers me and nobody before the people are read", () => {
    expect(pickerChoices(undefined, "u-me").map((c) => c.kind)).toEqual(["me", "nobody"]);
  });

  it("names a person by name, else email, else id", () => {
    expect(personLabel(person("u1", "Léa"))).toBe("Léa");
    expect(personLabel(person("u1", null))).toBe("u1@example.com");
    expect(personLabel({ id: "u1", name: null, email: null })).toBe("u1");
  });

  it("jumps to the next label starting with a typed letter, wrapping round", () => {
    const labels = ["Me", "Nobody", "Léa", "Louis"];
    expect(choiceStartingWith(labels, "l", 0)).toBe(2);
    expect(choiceStartingWith(labels, "L", 2)).toBe(3);
    expect(choiceStartingWith(labels, "l", 3)).toBe(2);
    expect(choiceStartingWith(labels, "z", 1)).toBe(1);
  });
});
