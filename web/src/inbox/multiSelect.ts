/** Which conversations are ticked after a click on `id`'s box: a plain click toggles it; with Shift,
 * every row from the last clicked one to this one takes this one's new state. */
export function toggleSelection(
  selected: ReadonlySet<string>,
  order: readonly string[],
  id: string,
  anchor: string | null,
  range: boolean,
): Set<string> {
  const next = new Set(selected);
  const on = !selected.has(id);
  const from = anchor === null ? -1 : order.indexOf(anchor);
  const to = order.indexOf(id);
  const ids = range && from !== -1 && to !== -1 ? order.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
  for (const one of ids) {
    if (on) next.add(one);
    else next.delete(one);
  }
  return next;
}

/** The selection kept to the conversations still listed (a filter or a change may drop some). */
export function keepListed(selected: ReadonlySet<string>, order: readonly string[]): Set<string> {
  const listed = new Set(order);
  return new Set([...selected].filter((id) => listed.has(id)));
}
