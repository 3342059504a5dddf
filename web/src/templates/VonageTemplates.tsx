import { useState, type FormEvent } from "react";
import { useI18n } from "../i18n/i18n";
import { errorText, type Integration } from "../settings/queries";
import { useIntegrationTemplates, useRefreshIntegrationTemplates, useSaveWaba } from "./queries";

type VonageSettings = { whatsapp_numbers?: string[]; whatsapp_business_account_id?: string | null };

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
  if (!settings.whatsapp_numbers?.length) return null;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate(draft.trim());
  };
  const titleId = `vonage-templates-${integration.id}`;
  const data = refresh.data ?? listed.data;
  const problem = save.error ?? refresh.error ?? listed.error;
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
          />
        </label>
        <button type="submit" disabled={save.isPending || draft.trim() === waba}>
          {t("templates.vonage.saveWaba")}
        </button>
        {waba && (
          <button type="button" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
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
