import { useEffect, useState } from "react";

export const TYPING_PAUSE_MS = 250; // one request when typing stops, not one per key

/** `value` once it has stopped changing for `delayMs` (its first value at once). */
export function useDebounced<T>(value: T, delayMs = TYPING_PAUSE_MS): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
