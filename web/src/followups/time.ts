/** Times a person picks for a follow-up or a snooze, in their own time zone (the browser's), sent
 * to the API as ISO 8601 with the offset (UTC). */

export type SnoozePreset = "laterToday" | "tomorrow" | "nextWeek";
export const SNOOZE_PRESETS: readonly SnoozePreset[] = ["laterToday", "tomorrow", "nextWeek"];

const LATER_TODAY_HOURS = 3;
const MORNING = 9; // "tomorrow 9:00", "next week" = next Monday 9:00

/** When a preset ends, from `now`: later today is three hours on (on the hour, rounded up); tomorrow
 * is 9:00 the next day; next week is the next Monday at 9:00 (a week on when today is Monday). */
export function presetTime(preset: SnoozePreset, now: Date): Date {
  const at = new Date(now);
  switch (preset) {
    case "laterToday":
      at.setHours(at.getHours() + LATER_TODAY_HOURS + (at.getMinutes() || at.getSeconds() ? 1 : 0), 0, 0, 0);
      return at;
    case "tomorrow":
      at.setDate(at.getDate() + 1);
      at.setHours(MORNING, 0, 0, 0);
      return at;
    case "nextWeek": {
      const days = (8 - at.getDay()) % 7 || 7; // Sunday 0 ... Monday 1
      at.setDate(at.getDate() + days);
      at.setHours(MORNING, 0, 0, 0);
      return at;
    }
  }
}

/** A `datetime-local` input's value (local time, to the minute) for `at`. */
export function toLocalInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** A `datetime-local` input's value as the API takes it (ISO 8601, UTC), or null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const at = new Date(value); // a date-time without an offset is read as local time
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}
