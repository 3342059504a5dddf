import { describe, expect, it } from "vitest";
import { DEFAULT_STATE, listFilter, parseListState, searchOf } from "./listParams";

describe("the list's state in the URL", () => {
  it("reads what it wrote, keeping other parameters", () => {
    const state = {
      selection: { kind: "view", view: "mine" } as const,
      bar: { folder: "f-1", status: "open", channel: "sms", project: "p-1" } as const,
      sort: "urgency" as const,
    };
    const search = searchOf(state, "?lang=fr");
    expect(search).toBe("?lang=fr&view=mine&folder=f-1&status=open&channel=sms&project=p-1&sort=urgency");
    expect(parseListState(search)).toEqual(state);
    expect(searchOf(DEFAULT_STATE)).toBe("");
  });

  it("leaves out what is not valid", () => {
    expect(parseListState("?view=status:done&status=bogus&channel=fax&sort=random")).toEqual(DEFAULT_STATE);
    expect(parseListState("?view=status:urgent").selection).toEqual({ kind: "status", status: "urgent" });
    expect(parseListState("?view=folder:orders").selection).toEqual({ kind: "folder", id: "orders" });
  });
});

describe("the API's query", () => {
  it("combines the selection with the bar's other filters, the selection winning on its own", () => {
    const state = {
      selection: { kind: "folder", id: "inbox" } as const,
      bar: { folder: "orders", status: "new", assignee: "me" } as const,
      sort: "status" as const,
    };
    expect(listFilter(state)).toEqual({ folder: "inbox", status: "new", assignee: "me", sort: "status" });
    expect(listFilter({ ...DEFAULT_STATE, selection: { kind: "view", view: "all" }, bar: { channel: "email" } })).toEqual({
      channel: "email",
    });
  });
});
