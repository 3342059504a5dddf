/** How long to wait before reconnection attempt `attempt` (0 for the first after a drop):
 * exponential from `baseMs`, capped at `capMs`, with "equal jitter" (half fixed, half random) so
 * that every open app of a tenant does not knock on the server at the same instant after an outage,
 * while none retries sooner than half the step. */
export function reconnectDelay(
  attempt: number,
  random: () => number = Math.random,
  { baseMs = 500, capMs = 30_000 }: { baseMs?: number; capMs?: number } = {},
): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(step / 2 + random() * (step / 2));
}
