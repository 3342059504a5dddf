import { useCallback, useEffect, useState } from "react";
import { STATUSES, type Channel, type Status } from "../api/client";
import type { ListFilter } from "../api/queries";
import { DEFAULT_SELECTION, filterOf, type Selection } from "./views";

/** The list's orders, as GET /inbox/conversations takes them in `sort`. */
export const SORTS = ["-activity", "activity", "urgency", "status"] as const;
export type ListSort = (typeof SORTS)[number];
export const CHANNELS: readonly Channel[] = ["email", "sms", "whatsapp", "custom"];

/** The filter bar's choices: each narrows what the left pane's selection shows. */
export interface BarFilter {
  folder?: string;
  status?: Status;
  channel?: Channel;
  /** A user id, `me` or `none`. */
  assignee?: string;
  /** A project's id. */
  project?: string;
}

/** Everything that decides the middle pane's list, as the URL keeps it. */
export interface ListState {
  selection: Selection;
  bar: BarFilter;
  sort: ListSort;
}

export const DEFAULT_STATE: ListState = { selection: DEFAULT_SELECTION, bar: {}, sort: "-activity" };

/** The filters the left pane's selection sets itself: the bar does not offer them. */
export function fixedBy(selection: Selection): (keyof BarFilter)[] {
  return Object.keys(filterOf(selection)) as (keyof BarFilter)[];
}

/** The API's query for a state: the selection's filter, the bar's others, the order unless the default. */
export function listFilter({ selection, bar, sort }: ListState): ListFilter {
  const fixed = fixedBy(selection);
  const kept = Object.fromEntries(
    Object.entries(bar).filter(([name, value]) => value && !fixed.includes(name as keyof BarFilter)),
  );
  return { ...kept, ...filterOf(selection), ...(sort === "-activity" ? {} : { sort }) };
}

const VIEWS = ["mine", "unassigned", "all", "snoozed"] as const;

function selectionOf(view: string | null): Selection {
  if (!view) return DEFAULT_SELECTION;
  if ((VIEWS as readonly string[]).includes(view)) return { kind: "view", view: view as (typeof VIEWS)[number] };
  const [kind, value] = [view.slice(0, view.indexOf(":")), view.slice(view.indexOf(":") + 1)];
  if (kind === "folder" && value && value.length <= 64) return { kind: "folder", id: value };
  if (kind === "status" && (STATUSES as readonly string[]).includes(value)) return { kind: "status", status: value as Status };
  return DEFAULT_SELECTION;
}

function viewOf(selection: Selection): string {
  if (selection.kind === "view") return selection.view;
  return selection.kind === "folder" ? `folder:${selection.id}` : `status:${selection.status}`;
}

/** Reads a location's query string (`view`, `folder`, `status`, `channel`, `assignee`, `project`, `sort`); what
 * is not valid is left out, so an edited URL shows the inbox rather than an error. */
export function parseListState(search: string): ListState {
  const params = new URLSearchParams(search);
  const pick = <T extends string>(name: string, allowed: readonly T[]) => {
    const value = params.get(name);
    return value && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
  };
  const text = (name: string, max: number) => {
    const value = params.get(name);
    return value && value.length <= max ? value : undefined;
  };
  const bar: BarFilter = {
    folder: text("folder", 64),
    status: pick("status", STATUSES),
    channel: pick("channel", CHANNELS),
    assignee: text("assignee", 128),
    project: text("project", 64),
  };
  return {
    selection: selectionOf(params.get("view")),
    bar: Object.fromEntries(Object.entries(bar).filter(([, value]) => value)) as BarFilter,
    sort: pick("sort", SORTS) ?? "-activity",
  };
}

/** The query string for a state, keeping the parameters that are not the list's. */
export function searchOf(state: ListState, search = ""): string {
  const params = new URLSearchParams(search);
  for (const name of ["view", "folder", "status", "channel", "assignee", "project", "sort"]) params.delete(name);
  if (viewOf(state.selection) !== viewOf(DEFAULT_SELECTION)) params.set("view", viewOf(state.selection));
  for (const name of ["folder", "status", "channel", "assignee", "project"] as const) {
    const value = state.bar[name];
    if (value) params.set(name, value); // always in this order: one list, one URL
  }
  if (state.sort !== "-activity") params.set("sort", state.sort);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The list's state, read from the URL once and written back to it (replaced, not pushed) as it
 * changes, so that a reload shows the same list. */
export function useListState(): [ListState, (change: (state: ListState) => ListState) => void] {
  const [state, setState] = useState<ListState>(() => parseListState(window.location.search));
  useEffect(() => {
    const { pathname, search, hash } = window.location;
    const wanted = searchOf(state, search);
    if (wanted !== search) window.history.replaceState(window.history.state, "", `${pathname}${wanted}${hash}`);
  }, [state]);
  const update = useCallback((change: (state: ListState) => ListState) => setState(change), []);
  return [state, update];
}
