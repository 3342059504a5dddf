// WhatsApp takes a free-form reply only within 24 hours of the customer's last message (the API
// refuses one later with 409); after that only an approved template may be sent.
import type { Message } from "../api/client";

export const WINDOW_MS = 24 * 60 * 60 * 1000;

export type WindowState = { open: true; closesAt: Date; hoursLeft: number } | { open: false };

/** The window as the conversation's messages tell it at `now`; closed when the customer never wrote. */
export function whatsappWindow(messages: readonly Pick<Message, "direction" | "received_at">[], now: Date): WindowState {
  const last = Math.max(
    ...messages.filter((m) => m.direction === "inbound").map((m) => Date.parse(m.received_at)),
    Number.NEGATIVE_INFINITY,
  );
  const closesAt = last + WINDOW_MS;
  if (!Number.isFinite(closesAt) || closesAt <= now.getTime()) return { open: false };
  // Whole hours, rounded up: "closes in 1 h" until the very end, never "0 h".
  return { open: true, closesAt: new Date(closesAt), hoursLeft: Math.ceil((closesAt - now.getTime()) / 3_600_000) };
}
