import { useId, useState, type FormEvent } from "react";
import { apiErrorText } from "../api/errorText";
import { useI18n } from "../i18n/i18n";
import { claimedIdentity, linesOf } from "./contactForm";
import { useChangeContact, type Contact } from "./queries";

/** The customer's details as a form: name, emails and phones (one a line), company, notes. An address
 * that is another customer's is refused by the API: the form says so and offers the merge. */
export function ContactEditor({
  contact,
  onDone,
  onMerge,
}: {
  contact: Contact;
  onDone: () => void;
  onMerge: (query: string) => void;
}) {
  const { t } = useI18n();
  const change = useChangeContact(contact.id);
  const [name, setName] = useState(contact.name ?? "");
  const [emails, setEmails] = useState(contact.emails.join("\n"));
  const [phones, setPhones] = useState(contact.phones.join("\n"));
  const [company, setCompany] = useState(contact.company ?? "");
  const [notes, setNotes] = useState(contact.notes ?? "");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (change.isPending) return;
    change.mutate(
      { name, emails: linesOf(emails), phones: linesOf(phones), company, notes },
      { onSuccess: onDone },
    );
  };
  const claimed = claimedIdentity(change.error);
  const prefix = useId();
  const id = (field: string) => `${prefix}-${field}`;
  return (
    <form className="contact-editor" onSubmit={submit} aria-label={t("contact.edit")}>
      <label htmlFor={id("name")}>{t("contact.name")}</label>
      <input id={id("name")} name="name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={id("emails")}>{t("contact.emails")}</label>
      <textarea
        id={id("emails")}
        name="emails"
        rows={2}
        value={emails}
        aria-describedby={id("emails-hint")}
        onChange={(e) => setEmails(e.target.value)}
      />
      <span id={id("emails-hint")} className="muted hint">
        {t("contact.emailsHint")}
      </span>
      <label htmlFor={id("phones")}>{t("contact.phones")}</label>
      <textarea
        id={id("phones")}
        name="phones"
        rows={2}
        value={phones}
        aria-describedby={id("phones-hint")}
        onChange={(e) => setPhones(e.target.value)}
      />
      <span id={id("phones-hint")} className="muted hint">
        {t("contact.phonesHint")}
      </span>
      <label htmlFor={id("company")}>{t("contact.company")}</label>
      <input
        id={id("company")}
        name="company"
        value={company}
        maxLength={200}
        onChange={(e) => setCompany(e.target.value)}
      />
      <label htmlFor={id("notes")}>{t("contact.notes")}</label>
      <textarea
        id={id("notes")}
        name="notes"
        rows={4}
        value={notes}
        maxLength={10000}
        onChange={(e) => setNotes(e.target.value)}
      />
      {claimed ? (
        <div role="alert" className="error contact-claimed">
          <p>{t("contact.claimed", { value: claimed.value })}</p>
          <button type="button" onClick={() => onMerge(claimed.value)}>
            {t("contact.claimedMerge")}
          </button>
        </div>
      ) : (
        change.isError && (
          <p role="alert" className="error">
            {apiErrorText(change.error, t)}
          </p>
        )
      )}
      <div className="contact-buttons">
        <button type="button" onClick={onDone}>
          {t("contact.cancel")}
        </button>
        <button type="submit" disabled={change.isPending}>
          {change.isPending ? t("contact.saving") : t("contact.save")}
        </button>
      </div>
    </form>
  );
}
