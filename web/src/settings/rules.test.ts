import { describe, expect, it } from "vitest";
import {
  addTo,
  fromJson,
  newCondition,
  newGroup,
  problems,
  removeNode,
  replaceNode,
  toJson,
  type ConditionNode,
  type GroupNode,
} from "./rules";

// As GET /inbox/folders gives a rule back: `not` always written, header names lower case.
const nested = {
  any: [
    { field: "subject", op: "contains", value: "facture", not: false },
    {
      all: [
        { field: "from_domain", op: "equals", value: "stripe.com", not: false },
        { field: "header:x-mailer", op: "starts_with", value: "Stripe", not: true },
        { any: [{ field: "body", op: "matches", value: "inv(oice)?\\s+\\d+", not: false }] },
      ],
    },
  ],
};

describe("the rule builder's JSON", () => {
  it("comes back the same from the builder's tree: nested groups, `not`, header fields", () => {
    const tree = fromJson(nested);
    expect(tree.mode).toBe("any");
    const inner = tree.items[1] as GroupNode;
    expect(inner.kind).toBe("group");
    expect(inner.mode).toBe("all");
    expect(inner.items[1]).toMatchObject({ kind: "condition", field: "header:x-mailer", not: true });
    expect((inner.items[2] as GroupNode).items[0]).toMatchObject({ op: "matches", value: "inv(oice)?\\s+\\d+" });
    expect(toJson(tree)).toEqual(nested);
  });

  it("reads a condition without `not` as not negated, and writes `not: false` as the API does", () => {
    const tree = fromJson({ all: [{ field: "channel", op: "equals", value: "sms" }] });
    expect(toJson(tree)).toEqual({ all: [{ field: "channel", op: "equals", value: "sms", not: false }] });
  });

  it("keeps a header's name as written", () => {
    const rule = { all: [{ field: "header:List-Id", op: "contains", value: "news", not: false }] };
    expect(toJson(fromJson(rule))).toEqual(rule);
  });

  it("is null for a folder without rules, both ways", () => {
    const empty = fromJson(null);
    expect(empty).toMatchObject({ kind: "group", mode: "all", items: [] });
    expect(toJson(empty)).toBeNull();
  });

  it("refuses what is not a rule", () => {
    expect(() => fromJson({ all: "x" })).toThrow();
    expect(() => fromJson({ all: [{ field: "subject", op: "like", value: "x" }] })).toThrow();
  });

  it("follows the builder's changes: an OR of two conditions, a nested group, a removal", () => {
    let tree = newGroup("any");
    const first: ConditionNode = { ...newCondition(), field: "subject", value: "RDV" };
    const second: ConditionNode = { ...newCondition(), field: "from_email", op: "ends_with", value: "@clinic.fr" };
    tree = addTo(addTo(tree, tree.id, first), tree.id, second);
    expect(toJson(tree)).toEqual({
      any: [
        { field: "subject", op: "contains", value: "RDV", not: false },
        { field: "from_email", op: "ends_with", value: "@clinic.fr", not: false },
      ],
    });

    const group = newGroup("all");
    tree = addTo(tree, tree.id, group);
    expect(problems(tree)).toEqual(["emptyGroup"]);
    tree = addTo(tree, group.id, { ...newCondition(), field: "header:X-Priority", value: "1", not: true });
    tree = replaceNode(tree, second.id, (node) => ({ ...node, not: true }) as ConditionNode);
    expect(problems(tree)).toEqual([]);
    expect(toJson(fromJson(toJson(tree)))).toEqual(toJson(tree));
    expect((toJson(tree) as { any: unknown[] }).any[2]).toEqual({
      all: [{ field: "header:X-Priority", op: "contains", value: "1", not: true }],
    });

    tree = removeNode(tree, first.id);
    expect((toJson(tree) as { any: unknown[] }).any).toHaveLength(2);
  });

  it("names what the API would refuse", () => {
    const tree = fromJson({ all: [{ field: "header:", op: "equals", value: " " }] });
    expect(problems(tree).sort()).toEqual(["emptyHeader", "emptyValue"]);
    let deep = newGroup("all");
    let inner = deep;
    for (let depth = 0; depth < 5; depth++) {
      const next = newGroup("any", [{ ...newCondition(), value: "x" }]);
      deep = addTo(deep, inner.id, next);
      inner = next;
    }
    expect(problems(deep)).toContain("depth");
  });
});
