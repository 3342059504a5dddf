import { describe, expect, it } from "vitest";
import { MAX_QUERY, searchQuery, withQuery } from "./query";

describe("searchQuery", () => {
  it("sends the words typed, trimmed", () => {
    expect(searchQuery("  probleme  ")).toBe("probleme");
    expect(searchQuery('"bon de commande" 06 12')).toBe('"bon de commande" 06 12');
    expect(searchQuery("Élodie")).toBe("Élodie");
  });

  it("sends nothing for blanks or punctuation alone", () => {
    expect(searchQuery("")).toBeNull();
    expect(searchQuery("   ")).toBeNull();
    expect(searchQuery('" - * ?')).toBeNull();
  });

  it("sends nothing longer than the API takes", () => {
    expect(searchQuery("a".repeat(MAX_QUERY))).toBe("a".repeat(MAX_QUERY));
    expect(searchQuery("a".repeat(MAX_QUERY + 1))).toBeNull();
  });
});

describe("withQuery", () => {
  it("adds q to the list's filters and drops the sort", () => {
    expect(withQuery({ folder: "inbox", status: "new", sort: "urgency" }, "facture")).toEqual({
      folder: "inbox",
      status: "new",
      q: "facture",
    });
  });

  it("leaves the filter as it is without a query", () => {
    const filter = { folder: "inbox", sort: "urgency" };
    expect(withQuery(filter, null)).toBe(filter);
  });
});
