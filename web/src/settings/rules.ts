// A folder's rule filter (FolderIn.rules) as the builder edits it, and back.
// The JSON is {"all": [...]} or {"any": [...]} of conditions {field, op, value, not} and nested groups,
// as layers/common/inbox/domain/rules.py reads it; the builder's tree adds ids for React's keys.

/** The fields rules.py tests (FIELDS), plus `header:<Name>`. */
export const FIELDS = [
  "from_email",
  "from_name",
  "from_phone",
  "from_domain",
  "to",
  "subject",
  "body",
  "channel",
] as const;
export const OPS = ["equals", "contains", "starts_with", "ends_with", "matches"] as const;
export const MAX_DEPTH = 5; // rules.py's MAX_DEPTH: groups nest at most this deep
export const MAX_CONDITIONS = 50;
export const HEADER_PREFIX = "header:";

export type Op = (typeof OPS)[number];
export type Mode = "all" | "any";

export interface ConditionJson {
  field: string;
  op: Op;
  value: string;
  not?: boolean;
}
export type GroupJson = { all: RuleJson[] } | { any: RuleJson[] };
export type RuleJson = ConditionJson | GroupJson;

export interface ConditionNode {
  kind: "condition";
  id: string;
  field: string;
  op: Op;
  value: string;
  not: boolean;
}
export interface GroupNode {
  kind: "group";
  id: string;
  mode: Mode;
  items: RuleNode[];
}
export type RuleNode = ConditionNode | GroupNode;

let lastId = 0;
const nextId = () => `rule-${++lastId}`;

export function newCondition(): ConditionNode {
  return { kind: "condition", id: nextId(), field: "subject", op: "contains", value: "", not: false };
}

export function newGroup(mode: Mode = "all", items: RuleNode[] = []): GroupNode {
  return { kind: "group", id: nextId(), mode, items };
}

/** The builder's tree of a stored rule; none (null) is an empty AND group. */
export function fromJson(rule: unknown): GroupNode {
  if (rule === null || rule === undefined) return newGroup("all");
  const node = nodeOf(rule);
  return node.kind === "group" ? node : newGroup("all", [node]);
}

function nodeOf(value: unknown): RuleNode {
  if (typeof value !== "object" || value === null) throw new Error("a rule is an object");
  const record = value as Record<string, unknown>;
  if ("all" in record || "any" in record) {
    const mode: Mode = "all" in record ? "all" : "any";
    const items = record[mode];
    if (!Array.isArray(items)) throw new Error(`"${mode}" is a list`);
    return newGroup(mode, items.map(nodeOf));
  }
  const { field, op, value: text } = record;
  if (typeof field !== "string" || typeof text !== "string" || !OPS.includes(op as Op)) {
    throw new Error("a condition has a field, an op and a value");
  }
  return { kind: "condition", id: nextId(), field, op: op as Op, value: text, not: record.not === true };
}

/** The rule JSON of a tree, `not` always written (as the API writes it back); null when empty. */
export function toJson(root: GroupNode): GroupJson | null {
  return root.items.length ? groupJson(root) : null;
}

function groupJson(group: GroupNode): GroupJson {
  const items = group.items.map((item): RuleJson =>
    item.kind === "group"
      ? groupJson(item)
      : { field: item.field, op: item.op, value: item.value, not: item.not },
  );
  return group.mode === "all" ? { all: items } : { any: items };
}

/** What stops a tree from being saved (rules.py would refuse it), as message keys; none: it is valid. */
export function problems(root: GroupNode): RuleProblem[] {
  const found = new Set<RuleProblem>();
  let conditions = 0;
  const walk = (group: GroupNode, depth: number) => {
    if (depth > MAX_DEPTH) found.add("depth");
    if (!group.items.length && group !== root) found.add("emptyGroup");
    for (const item of group.items) {
      if (item.kind === "group") walk(item, depth + 1);
      else {
        conditions += 1;
        if (!item.value.trim()) found.add("emptyValue");
        if (item.field.startsWith(HEADER_PREFIX) && !headerName(item.field)) found.add("emptyHeader");
      }
    }
  };
  walk(root, 1);
  if (conditions > MAX_CONDITIONS) found.add("tooMany");
  return [...found];
}
export type RuleProblem = "depth" | "emptyGroup" | "emptyValue" | "emptyHeader" | "tooMany";

export function headerName(field: string): string {
  return field.startsWith(HEADER_PREFIX) ? field.slice(HEADER_PREFIX.length) : "";
}

export function isHeader(field: string): boolean {
  return field.startsWith(HEADER_PREFIX);
}

// --- changes to the tree (each returns a new tree) ------------------------------------------------

export function replaceNode(root: GroupNode, id: string, change: (node: RuleNode) => RuleNode | null): GroupNode {
  const visit = (group: GroupNode): GroupNode => ({
    ...group,
    items: group.items.flatMap((item) => {
      if (item.id === id) {
        const changed = change(item);
        return changed ? [changed] : [];
      }
      return item.kind === "group" ? [visit(item)] : [item];
    }),
  });
  if (root.id === id) {
    const changed = change(root);
    return changed && changed.kind === "group" ? changed : root;
  }
  return visit(root);
}

export function removeNode(root: GroupNode, id: string): GroupNode {
  return replaceNode(root, id, () => null);
}

export function addTo(root: GroupNode, groupId: string, node: RuleNode): GroupNode {
  return replaceNode(root, groupId, (group) =>
    group.kind === "group" ? { ...group, items: [...group.items, node] } : group,
  );
}
