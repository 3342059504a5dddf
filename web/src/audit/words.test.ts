import { describe, expect, it } from "vitest";
import openapi from "../api/openapi.json";
import { translate } from "../i18n/i18n";
import { en, fr, type Language, type MessageKey } from "../i18n/messages";
import { dayBound, relativeTime } from "./time";
import { AUDIT_KINDS } from "./types";
import { actorText, fieldText, kindText, summaryText, valueText, type Names } from "./words";

function names(language: Language): Names {
  return {
    t: (key: MessageKey, values?: Record<string, string | number>) => translate(language, key, values),
    formatDateTime: (iso) => `<${iso}>`,
    person: (id) => ({ u1: "Ada Admin", u2: "Léa Moreau" })[id] ?? null,
    folder: (id) => ({ f1: "Billing" })[id] ?? null,
    project: (id) => ({ p1: "Launch" })[id] ?? null,
  };
}

describe("audit words", () => {
  it("have a sentence for every kind the API records, in English and in French", () => {
    const schema = openapi.components.schemas.AuditKind as { enum: string[] };
    expect([...AUDIT_KINDS].sort()).toEqual([...schema.enum].sort());
    for (const kind of AUDIT_KINDS) {
      const key = `audit.kind.${kind}` as MessageKey;
      expect(en[key], key).toBeTruthy();
      expect(fr[key], key).toBeTruthy();
      expect(fr[key], key).not.toBe(en[key]);
    }
    expect(kindText("conversation.status", names("en").t)).toBe("Changed the status");
    expect(kindText("conversation.status", names("fr").t)).toBe("A changé le statut");
    expect(kindText("auto_reply.held", names("fr").t)).toBe(
      "A retenu une réponse automatique pour qu'une personne la vérifie",
    );
    // A kind newer than this app is named as the API says it, not dropped.
    expect(kindText("contact.merged", names("en").t)).toBe("Did something (contact.merged)");
  });

  it("name who acted: the person from the team, a part of the system, someone gone", () => {
    expect(actorText({ type: "person", id: "u1" }, names("en"))).toBe("Ada Admin");
    expect(actorText({ type: "person", id: "gone" }, names("en"))).toBe("someone no longer here");
    expect(actorText({ type: "system", id: "classify" }, names("en"))).toBe("System: classification");
    expect(actorText({ type: "system", id: "classify" }, names("fr"))).toBe("Système : classement");
    expect(actorText({ type: "system", id: "billing" }, names("en"))).toBe("System: billing");
  });

  it("say each value in words: statuses, people, folders, projects, dates, nothing, secrets", () => {
    const en_ = names("en");
    const fr_ = names("fr");
    expect([valueText("status", "open", en_), valueText("status", "resolved", fr_)]).toEqual(["Open", "Résolue"]);
    expect(valueText("assignee_id", "u2", en_)).toBe("Léa Moreau");
    expect(valueText("assignee_id", null, en_)).toBe("none");
    expect(valueText("assignee_id", null, fr_)).toBe("aucun");
    expect(valueText("folder_id", "f1", en_)).toBe("Billing");
    expect(valueText("folder_id", null, fr_)).toBe("Boîte de réception"); // no folder: the inbox
    expect(valueText("project_id", "p1", en_)).toBe("Launch");
    expect(valueText("project_id", "p9", en_)).toBe("p9"); // not known (any more): its id
    expect(valueText("snoozed_until", "2026-12-02T08:00:00Z", en_)).toBe("<2026-12-02T08:00:00Z>");
    expect(valueText("password", "••••", en_)).toBe("•••• (hidden)");
    expect(valueText("api_key", "••••", fr_)).toBe("•••• (masqué)");
    expect([valueText("enabled", true, en_), valueText("enabled", false, fr_)]).toEqual(["yes", "non"]);
    expect(valueText("role", "admin", fr_)).toBe("Administrateur");
    expect(valueText("events", ["conversation.created", "message.received"], en_)).toBe(
      '["conversation.created","message.received"]',
    );
    expect(valueText("company_prompt", "x".repeat(500), en_)).toHaveLength(160);
  });

  it("name every field in the language: secrets, nested settings, codes in summaries and values", () => {
    const { t: tEn } = names("en");
    const { t: tFr } = names("fr");
    expect(fieldText("secrets.password", tEn)).toBe("Secret: Password");
    expect(fieldText("secrets.refresh_token", tFr)).toBe("Secret : Jeton de renouvellement");
    expect(fieldText("settings.imap", tEn)).toBe("Settings: Incoming mail (IMAP)");
    expect(fieldText("nudge.after_hours", tFr)).toBe("Relances automatiques : Heures de silence avant une relance");
    expect(fieldText("classified_by.folder_id", tEn)).toBe("Classification: Folder");
    expect(fieldText("only_if_no_answer", tFr)).toBe("Seulement si le client n'a pas répondu");
    expect(summaryText({ kind: "conversation.classified", summary: "ai" }, tFr)).toBe("Classé par l'IA");
    expect(summaryText({ kind: "conversation.classified", summary: "rule" }, tEn)).toBe("Filed by a rule");
    expect(summaryText({ kind: "message.noted", summary: "Refund approved." }, tEn)).toBe("Refund approved.");
    expect(valueText("hold", "needs_person", names("fr"))).toBe("l'IA estime qu'une personne doit répondre");
  });

  it("say when, relative to now, in the language", () => {
    const now = new Date("2026-12-01T12:00:00Z");
    expect(relativeTime("2026-12-01T11:59:40Z", now, "en")).toBe("now");
    expect(relativeTime("2026-12-01T11:55:00Z", now, "en")).toBe("5 minutes ago");
    expect(relativeTime("2026-12-01T09:00:00Z", now, "fr")).toBe("il y a 3 heures");
    expect(relativeTime("2026-11-30T12:00:00Z", now, "en")).toBe("yesterday");
    expect(relativeTime("2026-11-30T12:00:00Z", now, "fr")).toBe("hier");
  });

  it("send a period's days as the bounds of those days where the browser is", () => {
    expect(dayBound("", false)).toBeNull();
    expect(dayBound("2026-13-45x", true)).toBeNull();
    const start = new Date(dayBound("2026-11-02", false)!);
    const end = new Date(dayBound("2026-11-02", true)!);
    expect([start.getDate(), start.getHours(), start.getMinutes()]).toEqual([2, 0, 0]);
    expect([end.getDate(), end.getHours(), end.getMinutes(), end.getMilliseconds()]).toEqual([2, 23, 59, 999]);
  });
});
