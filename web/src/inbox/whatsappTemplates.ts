// WhatsApp's approved templates in the composer: the only replies WhatsApp takes once the customer's
// 24-hour window is closed. {{1}} is the first parameter, as WhatsApp writes it (no spaces).
import type { Schemas } from "../api/client";

export type WhatsAppTemplate = Schemas["WhatsAppTemplateOut"];

const PLACEHOLDER = /\{\{(\d{1,2})\}\}/g;

/** The template's text in pieces: literal text, and each placeholder with the parameter it shows
 * (null while that parameter is still empty), so a preview can mark what was filled in. */
export type Piece = { text: string } | { parameter: number; value: string | null };

export function templatePieces(text: string, parameters: readonly string[]): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const start = match.index ?? 0;
    if (start > last) pieces.push({ text: text.slice(last, start) });
    const number = Number(match[1]);
    const given = parameters[number - 1];
    const value = given !== undefined && given.trim() ? given : null;
    pieces.push({ parameter: number, value });
    last = start + match[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last) });
  return pieces;
}

/** The text the customer reads, as the API stores it: each {{n}} replaced by the n-th parameter. */
export function renderTemplate(text: string, parameters: readonly string[]): string {
  return templatePieces(text, parameters)
    .map((piece) => ("text" in piece ? piece.text : (piece.value ?? `{{${piece.parameter}}}`)))
    .join("");
}

/** How many parameters a template's text asks for: its highest {{n}}. */
export function parameterCount(text: string): number {
  return Math.max(0, ...[...text.matchAll(PLACEHOLDER)].map((match) => Number(match[1])));
}

/** Why WhatsApp would refuse a parameter (the API says the same), or null: one line, no tabs, at
 * most 4 spaces in a row, not empty. */
export function parameterProblem(value: string): "empty" | "lines" | "spaces" | null {
  if (!value.trim()) return "empty";
  if (/[\r\n\t]/.test(value)) return "lines";
  if (value.includes("     ")) return "spaces";
  return null;
}

/** A template's label in a list: its name, and its locale when the name exists in several. */
export function templateLabel(template: WhatsAppTemplate, all: readonly WhatsAppTemplate[]): string {
  const twins = all.filter((other) => other.name === template.name).length;
  return twins > 1 ? `${template.name} (${template.locale})` : template.name;
}
