import { describe, expect, it } from "vitest";
import { newRow, rowProblems, rowsOf, schemaOf, typedArguments } from "./lookupParameters";

describe("a lookup's parameters as rows", () => {
  it("turns rows into the JSON schema the API takes, and back", () => {
    const rows = [
      newRow({ name: " order_number ", type: "string", required: true, description: "The order's number" }),
      newRow({ name: "include_items", type: "boolean", required: false, description: "  " }),
    ];
    const schema = schemaOf(rows);
    expect(schema).toEqual({
      type: "object",
      properties: {
        order_number: { type: "string", description: "The order's number" },
        include_items: { type: "boolean" },
      },
      required: ["order_number"],
      additionalProperties: false,
    });
    const back = rowsOf(schema).map(({ key: _key, ...row }) => row);
    expect(back).toEqual([
      { name: "order_number", type: "string", required: true, description: "The order's number" },
      { name: "include_items", type: "boolean", required: false, description: "" },
    ]);
  });

  it("keeps the values an enum allows through an edit, and reads an unknown type as text", () => {
    const rows = rowsOf({
      type: "object",
      properties: { country: { type: "string", enum: ["FR", "BE"] }, odd: { type: "array" } },
      required: ["country"],
    });
    expect(rows.map((row) => row.type)).toEqual(["string", "string"]);
    expect(schemaOf(rows).properties.country).toEqual({ type: "string", enum: ["FR", "BE"] });
    expect(rowsOf(null)).toEqual([]);
  });

  it("finds names that are not letters, digits and _, or used twice", () => {
    const rows = [newRow({ name: "order_number" }), newRow({ name: "order_number" }), newRow({ name: "2x" }), newRow()];
    const problems = rowProblems(rows);
    expect([...problems.values()]).toEqual(["duplicate", "name", "name"]);
    expect(problems.has(rows[0]!.key)).toBe(false);
  });

  it("types a test call's arguments as the schema says, leaving out what was not typed", () => {
    const rows = [
      newRow({ name: "order_number", type: "string" }),
      newRow({ name: "count", type: "integer" }),
      newRow({ name: "ratio", type: "number" }),
      newRow({ name: "gift", type: "boolean" }),
      newRow({ name: "note", type: "string" }),
    ];
    expect(typedArguments(rows, { order_number: " 12345 ", count: "3", ratio: "0.5", gift: "false", note: "" })).toEqual({
      order_number: "12345",
      count: 3,
      ratio: 0.5,
      gift: false,
    });
  });
});
