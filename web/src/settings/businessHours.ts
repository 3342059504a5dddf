// The tenant's business hours (issue 13, item 6): GET/PUT /inbox/settings/business-hours, and the checks
// the week grid makes before saving (the API makes them too, and names the field when it refuses).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { dataOf, type Schemas } from "../api/client";
import { useApi } from "../api/queries";

export type BusinessHours = Schemas["BusinessHours"];
export type BusinessHoursOut = Schemas["BusinessHoursOut"];
export type Opening = { start: string; end: string };
export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Week = Record<Weekday, Opening[]>;
export const MAX_OPENINGS = 6;

const businessHoursKey = ["settings", "business-hours"] as const;

export function useBusinessHours() {
  const api = useApi();
  return useQuery({
    queryKey: businessHoursKey,
    queryFn: async () => dataOf(await api.GET("/inbox/settings/business-hours")),
  });
}

export function useSaveBusinessHours() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: BusinessHours) => dataOf(await api.PUT("/inbox/settings/business-hours", { body })),
    onSuccess: (saved) => queryClient.setQueryData(businessHoursKey, saved),
  });
}

/** The week as the grid edits it: every day present, each day's openings in order. */
export function weekOf(hours: { week?: Partial<Record<Weekday, Opening[] | undefined>> } | undefined): Week {
  const week = {} as Week;
  for (const day of WEEKDAYS) week[day] = [...(hours?.week?.[day] ?? [])];
  return week;
}

/** Minutes from midnight of "HH:MM". */
export function minutes(hhmm: string): number {
  const [hours = 0, mins = 0] = hhmm.split(":").map(Number);
  return hours * 60 + mins;
}

/** An opening's span in minutes from its day's midnight: an end at or before the start is the next day's. */
export function span(opening: Opening): [number, number] {
  const start = minutes(opening.start);
  const end = minutes(opening.end);
  return [start, end > start ? end : end + 24 * 60];
}

export function overnight(opening: Opening): boolean {
  return minutes(opening.end) <= minutes(opening.start);
}

export type DayProblem = "empty" | "same" | "overlap";

/** What is wrong with a day's openings, by the index of the opening at fault. */
export function dayProblems(openings: Opening[]): Map<number, DayProblem> {
  const problems = new Map<number, DayProblem>();
  openings.forEach((opening, index) => {
    if (!opening.start || !opening.end) problems.set(index, "empty");
    else if (opening.start === opening.end) problems.set(index, "same");
  });
  const valid = openings.map((o, i) => ({ o, i })).filter(({ i }) => !problems.has(i));
  const ordered = valid.sort((a, b) => span(a.o)[0] - span(b.o)[0]);
  ordered.forEach((later, k) => {
    const earlier = ordered[k - 1];
    if (earlier && span(later.o)[0] < span(earlier.o)[1]) problems.set(later.i, "overlap");
  });
  return problems;
}

/** Whether the week opens at all, and every day is right: what the API would take. */
export function weekReady(week: Week): boolean {
  return WEEKDAYS.some((day) => week[day].length > 0) && WEEKDAYS.every((day) => dayProblems(week[day]).size === 0);
}

/** The IANA time zones the browser knows, `current` among them whatever happens. */
export function timeZones(current: string): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  const known = intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : [];
  const zones = new Set(known.length ? known : ["Europe/Paris", "Europe/London", "America/New_York", "UTC"]);
  zones.add(current);
  return [...zones].sort();
}
