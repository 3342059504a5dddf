import { describe, expect, it } from "vitest";
import { whatsappWindow } from "./whatsappWindow";

const NOW = new Date("2026-03-02T12:00:00Z");
const inbound = (at: string) => ({ direction: "inbound" as const, received_at: at });
const outbound = (at: string) => ({ direction: "outbound" as const, received_at: at });

describe("whatsappWindow", () => {
  it("is open for 24 hours after the customer's last message", () => {
    const state = whatsappWindow([inbound("2026-03-01T09:00:00Z"), inbound("2026-03-01T15:00:00Z")], NOW);
    expect(state).toEqual({ open: true, closesAt: new Date("2026-03-02T15:00:00Z"), hoursLeft: 3 });
  });

  it("is not reopened by the business's own replies", () => {
    const messages = [inbound("2026-03-01T11:00:00Z"), outbound("2026-03-02T11:30:00Z")];
    expect(whatsappWindow(messages, NOW)).toEqual({ open: false });
  });

  it("counts the last hour as 1 h and closes at 24 h exactly", () => {
    expect(whatsappWindow([inbound("2026-03-01T12:00:01Z")], NOW)).toMatchObject({ open: true, hoursLeft: 1 });
    expect(whatsappWindow([inbound("2026-03-01T12:00:00Z")], NOW)).toEqual({ open: false });
  });

  it("is closed when the customer never wrote", () => {
    expect(whatsappWindow([], NOW)).toEqual({ open: false });
    expect(whatsappWindow([outbound("2026-03-02T11:00:00Z")], NOW)).toEqual({ open: false });
  });
});
