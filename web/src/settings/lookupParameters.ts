// A lookup's parameters (issue 16, item 1) as a person edits them, one row each (name, type, required,
// description), and the small JSON schema the API stores and the model reads: an object whose
// properties are strings, integers, numbers or booleans.

export const PARAMETER_TYPES = ["string", "integer", "number", "boolean"] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export interface ParameterRow {
  /** The row's own key for React, kept while its name is typed. */
  key: string;
  name: string;
  type: ParameterType;
  required: boolean;
  description: string;
  /** The values allowed, when the API was given some (the screen keeps them, it does not edit them). */
  enum?: unknown[];
}

export interface ParameterSchema {
  type: "object";
  properties: Record<string, { type: ParameterType; description?: string; enum?: unknown[] }>;
  required: string[];
  additionalProperties: false;
}

/** The name a parameter may have: what the model's function calling takes (letters, digits, `_`). */
export const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;

let rowCount = 0;

export function newRow(fields: Partial<Omit<ParameterRow, "key">> = {}): ParameterRow {
  rowCount += 1;
  return { key: `row-${rowCount}`, name: "", type: "string", required: true, description: "", ...fields };
}

/** The schema of the rows, in their order; the names trimmed, descriptions left out when empty. */
export function schemaOf(rows: readonly ParameterRow[]): ParameterSchema {
  const properties: ParameterSchema["properties"] = {};
  for (const row of rows) {
    const description = row.description.trim();
    properties[row.name.trim()] = {
      type: row.type,
      ...(description ? { description } : {}),
      ...(row.enum ? { enum: row.enum } : {}),
    };
  }
  const required = rows.filter((row) => row.required).map((row) => row.name.trim());
  return { type: "object", properties, required, additionalProperties: false };
}

/** The rows of a stored schema; a property of another type (written to the API by hand) reads as a string. */
export function rowsOf(schema: unknown): ParameterRow[] {
  const object = (schema ?? {}) as {
    properties?: Record<string, { type?: unknown; description?: unknown; enum?: unknown }>;
    required?: unknown;
  };
  const required = new Set(Array.isArray(object.required) ? object.required.map(String) : []);
  return Object.entries(object.properties ?? {}).map(([name, property]) =>
    newRow({
      name,
      type: (PARAMETER_TYPES as readonly unknown[]).includes(property?.type) ? (property.type as ParameterType) : "string",
      required: required.has(name),
      description: typeof property?.description === "string" ? property.description : "",
      ...(Array.isArray(property?.enum) ? { enum: property.enum as unknown[] } : {}),
    }),
  );
}

export type RowProblem = "name" | "duplicate";

/** What is wrong with each row before anything is sent: a name that is empty or not of letters, digits
 * and `_`, or a name already used above. Keyed by the row's key. */
export function rowProblems(rows: readonly ParameterRow[]): Map<string, RowProblem> {
  const problems = new Map<string, RowProblem>();
  const seen = new Set<string>();
  for (const row of rows) {
    const name = row.name.trim();
    if (!PARAMETER_NAME.test(name)) problems.set(row.key, "name");
    else if (seen.has(name)) problems.set(row.key, "duplicate");
    seen.add(name);
  }
  return problems;
}

/** The arguments of a test call, typed as the schema says, from what was typed in its fields ("" left out). */
export function typedArguments(rows: readonly ParameterRow[], typed: Record<string, string>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const row of rows) {
    const value = (typed[row.name] ?? "").trim();
    if (row.type === "boolean") {
      if (value) args[row.name] = value === "true";
    } else if (value) {
      args[row.name] = row.type === "string" ? value : Number(value);
    }
  }
  return args;
}
