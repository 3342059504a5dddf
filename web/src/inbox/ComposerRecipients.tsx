import { useState } from "react";
import type { Conversation, Message, Party } from "../api/client";
import type { Translate } from "../api/errorText";
import { useI18n } from "../i18n/i18n";
import { refusedField } from "./AttachmentsUpload";

/** Addresses as a person types them: separated by commas, semicolons, spaces or lines. */
export function parseAddresses(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

function emailOf(party: Party | null | undefined): string {
  return (party?.email ?? "").trim().toLowerCase();
}

/** Who a reply to all copies, as the API decides it (`reply_all`): the other participants of the message
 * answered (the latest from the customer: its sender and everyone it went To), but the
 * customer (the reply's To) and our own addresses. The API knows every mailbox of the tenant; the app
 * guesses ours from the conversation: what we sent from, and the one address of a message sent to one
 * (a preview may still show a mailbox of ours the reply will not copy). */
export function replyAllCc(conversation: Conversation, messages: readonly Message[]): string[] {
  const answered = [...messages].reverse().find((message) => message.direction === "inbound");
  if (!answered) return [];
  const ours = new Set([
    ...messages.filter((m) => m.direction === "outbound").map((m) => emailOf(m.sender)),
    ...messages.filter((m) => m.direction === "inbound" && m.to.length === 1).map((m) => emailOf(m.to[0])),
  ]);
  const customer = emailOf(conversation.contact) || emailOf(answered.sender);
  const found: string[] = [];
  for (const party of [answered.sender, ...answered.to]) {
    const email = emailOf(party);
    if (email && email !== customer && !ours.has(email) && !found.includes(email)) found.push(email);
  }
  return found;
}

/** Cc, Bcc and reply-all of an email reply: the fields shown on demand, the values the API takes. */
export function useRecipients() {
  const [cc, setCc] = useState("");
  const [bcc, setBcc] = useState("");
  const [shown, setShown] = useState({ cc: false, bcc: false });
  const [replyAll, setReplyAll] = useState(false);
  return {
    cc,
    bcc,
    shown,
    replyAll,
    setCc,
    setBcc,
    show: (field: "cc" | "bcc") => setShown((current) => ({ ...current, [field]: true })),
    setReplyAll,
    /** What the reply's body gets: only what is set. */
    body(): { cc?: string[]; bcc?: string[]; reply_all?: boolean } {
      const body: { cc?: string[]; bcc?: string[]; reply_all?: boolean } = {};
      if (parseAddresses(cc).length) body.cc = parseAddresses(cc);
      if (parseAddresses(bcc).length) body.bcc = parseAddresses(bcc);
      if (replyAll) body.reply_all = true;
      return body;
    },
    reset() {
      setCc("");
      setBcc("");
      setReplyAll(false);
      setShown({ cc: false, bcc: false });
    },
  };
}

export type Recipients = ReturnType<typeof useRecipients>;

/** A reply refused for an address (`cc[1]: 'x' is not an email address`): which one, in words; else null. */
export function recipientErrorText(error: unknown, recipients: Recipients, t: Translate): string | null {
  const found = /^(cc|bcc)(?:\[(\d+)\])?$/.exec(refusedField(error) ?? "");
  if (!found) return null;
  const field = found[1] as "cc" | "bcc";
  const typed = parseAddresses(field === "cc" ? recipients.cc : recipients.bcc);
  const address = found[2] === undefined ? undefined : typed[Number(found[2])];
  if (address === undefined) return t("recipients.error.tooMany");
  return t(field === "cc" ? "recipients.error.cc" : "recipients.error.bcc", { address });
}

/** The Cc and Bcc fields behind their "Add" buttons, and "Reply all" with who it copies. */
export function EmailRecipients({ recipients, replyAllTo }: { recipients: Recipients; replyAllTo: readonly string[] }) {
  const { t } = useI18n();
  const { shown } = recipients;
  return (
    <div className="composer-recipients">
      <div className="composer-recipient-toggles">
        {replyAllTo.length > 0 && (
          <label className="reply-all">
            <input
              type="checkbox"
              name="reply_all"
              checked={recipients.replyAll}
              onChange={(event) => recipients.setReplyAll(event.target.checked)}
            />
            {t("recipients.replyAll")}
          </label>
        )}
        {!shown.cc && (
          <button type="button" className="link" onClick={() => recipients.show("cc")}>
            {t("recipients.addCc")}
          </button>
        )}
        {!shown.bcc && (
          <button type="button" className="link" onClick={() => recipients.show("bcc")}>
            {t("recipients.addBcc")}
          </button>
        )}
      </div>
      {recipients.replyAll && (
        <p className="muted reply-all-cc" data-testid="reply-all-cc">
          {t("recipients.replyAllCc", { addresses: replyAllTo.join(", ") })}
        </p>
      )}
      {shown.cc && (
        <AddressField label={t("recipients.cc")} name="cc" value={recipients.cc} onChange={recipients.setCc} />
      )}
      {shown.bcc && (
        <AddressField label={t("recipients.bcc")} name="bcc" value={recipients.bcc} onChange={recipients.setBcc} />
      )}
    </div>
  );
}

function AddressField({
  label,
  name,
  value,
  onChange,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <label className="composer-address">
      {label}
      <input
        name={name}
        type="text"
        inputMode="email"
        autoComplete="off"
        autoFocus
        placeholder={t("recipients.placeholder")}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </label>
  );
}
