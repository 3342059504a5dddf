import { useState, type FormEvent } from "react";
import { useI18n } from "../i18n/i18n";
import { useFieldErrors } from "../forms/FieldError";
import { errorText, type Integration } from "../settings/queries";
import { useIntegrationTemplates, useRefreshIntegrationTemplates, useSaveWaba } from "./queries";

type VonageSettings = { whatsapp_numbers?: string[]; whatsapp_business_account_id?: string | null };
const WABA_FIELDS = ["vonage.whatsapp_business_account_id", "whatsapp_business_account_id"] as const;
const problemText = (error: unknown, t: Parameters<typeof errorText>[1]) => (error ? errorText(error, t) : null);

/** The WhatsApp templates Vonage lists for the account's WhatsApp Business Account, with Meta's review
 * status: the approved ones are offered in the composer, a follow-up and a nudge. The WABA id turns it on. */
export function VonageTemplates({ integration }: { integration: Integration }) {
  const { t, formatDateTime } = useI18n();
  const settings = integration.settings as VonageSettings;
  const waba = settings.whatsapp_business_account_id ?? "";
  const [draft, setDraft] = useState(waba);
  const save = useSaveWaba(integration.id);
  const listed = useIntegrationTemplates(integration.id, Boolean(waba));
  const refresh = useRefreshIntegrationTemplates(integration.id);
  // The save's refusal names the id as `vonage.whatsapp_business_account_id`, Vonage's (through a refresh) as
  // `whatsapp_business_account_id`: either is said next to the field.
  const refusal = useFieldErrors(save.error ?? refresh.error, WABA_FIELDS, { top: false });
  if (!settings.whatsapp_numbers?.length) return null;

  // Only the last action's error is shown: each action forgets the other's.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    refresh.reset();
    save.mutate(draft.trim());
  };
  const titleId = `vonage-templates-${integration.id}`;
  const wabaField = refusal.field ?? WABA_FIELDS[0];
  // The list as the cache holds it: a refresh writes there, and a saved WABA id reads the new account's.
  const data = listed.data;
  const problem = refusal.field ? null : (save.error ?? refresh.error ?? listed.error);
  return (
    <section className="vonage-templates" aria-labelledby={titleId}>
      <h3 id={titleId}>{t("templates.vonage.title")}</h3>
      <p className="muted hint">{t("templates.vonage.hint")}</p>
      <form onSubmit={submit} className="inline-form">
        <label>
          {t("templates.vonage.waba")}
          <input
            name="whatsapp_business_account_id"
            value={draft}
            inputMode="numeric"
            pattern="\d{5,20}"
            required
            spellCheck={false}
            onChange={(e) => setDraft(e.target.value)}
            {...refusal.invalid(wabaField)}
          />
        </label>
        {refusal.fieldError(wabaField, problemText(save.error ?? refresh.error, t))}
        <button type="submit" disabled={save.isPending || draft.trim() === waba}>
          {t("templates.vonage.saveWaba")}
        </button>
        {waba && (
          <button type="button" onClick={() => {
              save.reset();
              refresh.mutate();
            }} disabled={refresh.isPending}>
            {refresh.isPending ? t("templates.refreshing") : t("templates.refresh")}
          </button>
        )}
      </form>
      {problem && (
        <p role="alert" className="error">
          {errorText(problem, t)}
        </p>
      )}
      {data?.fetched_at && (
        <p className="muted" role="status">
          {t("templates.vonage.fetched", { when: formatDateTime(data.fetched_at), count: data.items?.length ?? 0 })}
        </p>
      )}
      {data?.items && data.items.length > 0 && (
        <table className="vonage-template-list">
          <caption className="visually-hidden">{t("templates.vonage.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("settings.templates.name")}</th>
              <th scope="col">{t("settings.templates.locale")}</th>
              <th scope="col">{t("templates.vonage.status")}</th>
              <th scope="col">{t("settings.templates.text")}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((template) => (
              <tr key={`${template.name}/${template.locale}`} data-status={template.status}>
                <td>{template.name}</td>
                <td>{template.locale}</td>
                <td>{t(`templates.status.${template.status}`)}</td>
                <td>{template.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
