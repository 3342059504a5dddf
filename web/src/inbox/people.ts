import type { Schemas } from "../api/client";

/** A person of the tenant, as GET /inbox/users answers (`id` is what a conversation's assignee_id holds). */
export type Person = Schemas["UserOut"];

/** What the assignee picker offers, in order: me first, then nobody, then the others (the API's order, by
 * name). A disabled person is not offered (the API refuses them), but is still named where assigned. */
export interface Choice {
  id: string | null;
  kind: "me" | "nobody" | "person";
  person?: Person;
}

export function pickerChoices(people: readonly Person[] | undefined, meId: string | undefined): Choice[] {
  const choices: Choice[] = [];
  if (meId !== undefined) choices.push({ id: meId, kind: "me", person: people?.find((p) => p.id === meId) });
  choices.push({ id: null, kind: "nobody" });
  for (const person of people ?? []) {
    if (person.id !== meId && person.enabled) choices.push({ id: person.id, kind: "person", person });
  }
  return choices;
}

/** How a person is called: their name, else their email, else their id. */
export function personLabel(person: Pick<Person, "id" | "name" | "email">): string {
  return person.name || person.email || person.id;
}

/** The choice a key press jumps to (type-ahead): the next one after `from` whose label starts with `key`. */
export function choiceStartingWith(labels: readonly string[], key: string, from: number): number {
  const wanted = key.toLocaleLowerCase();
  for (let step = 1; step <= labels.length; step += 1) {
    const index = (from + step) % labels.length;
    if (labels[index]!.toLocaleLowerCase().startsWith(wanted)) return index;
  }
  return from;
}
