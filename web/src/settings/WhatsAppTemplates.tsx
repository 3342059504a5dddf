import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { dataOf, type Schemas } from "../api/client";
import { useApi } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { parameterCount } from "../inbox/whatsappTemplates";
import { errorText, settingsKeys, type Integration } from "./queries";

type Row = { name: string; locale: string; text: string };
type TemplateIn = Schemas["WhatsAppTemplateIn"];

function useSaveTemplates(integrationId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (templates: TemplateIn[]) =>
      dataOf(
        await api.PUT("/inbox/integrations/{integration_id}", {
          params: { path: { integration_id: integrationId } },
          body: { vonage: { whatsapp_templates: templates } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: settingsKeys.integrations }),
  });
}

/** The templates as the API takes them: the count of parameters is the text's highest {{n}}. */
export function templatesIn(rows: readonly Row[]): TemplateIn[] {
  return rows.map((row) => ({
    name: row.name.trim(),
    locale: row.locale.trim(),
    text: row.text,
    parameters: parameterCount(row.text),
  }));
}

/** A Vonage account's approved WhatsApp templates, as approved in Meta's WhatsApp Manager: what agents
 * may send once a customer's 24-hour window is closed. Shown for an account with WhatsApp numbers. */
export function WhatsAppTemplatesEditor({ integration }: { integration: Integration }) {
  const { t } = useI18n();
  const settings = integration.settings as { whatsapp_numbers?: string[]; whatsapp_templates?: TemplateIn[] };
  const [rows, setRows] = useState<Row[]>(() =>
    (settings.whatsapp_templates ?? []).map(({ name, locale, text }) => ({ name, locale, text })),
  );
  const save = useSaveTemplates(integration.id);
  if (!settings.whatsapp_numbers?.length) return null;

  const change = (index: number, field: keyof Row, value: string) => {
    save.reset();
    setRows((current) => current.map((row, n) => (n === index ? { ...row, [field]: value } : row)));
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate(templatesIn(rows));
  };
  const titleId = `templates-${integration.id}`;
  return (
    <form className="whatsapp-templates" onSubmit={submit} aria-labelledby={titleId}>
      <h3 id={titleId}>{t("settings.templates.title")}</h3>
      <p className="muted hint">{t("settings.templates.hint", { example: "{{1}}" })}</p>
      {rows.length === 0 && <p className="muted">{t("settings.templates.none")}</p>}
      {rows.map((row, index) => (
        <fieldset key={index} className="whatsapp-template">
          <legend>{t("settings.templates.legend", { number: index + 1 })}</legend>
          <label>
            {t("settings.templates.name")}
            <input
              value={row.name}
              required
              maxLength={512}
              pattern="[A-Za-z0-9_.:\-]+"
              spellCheck={false}
              onChange={(event) => change(index, "name", event.target.value)}
            />
          </label>
          <label>
            {t("settings.templates.locale")}
            <input
              value={row.locale}
              required
              maxLength={35}
              placeholder="fr-FR"
              spellCheck={false}
              onChange={(event) => change(index, "locale", event.target.value)}
            />
          </label>
          <label>
            {t("settings.templates.text")}
            <textarea
              value={row.text}
              required
              maxLength={1024}
              rows={3}
              onChange={(event) => change(index, "text", event.target.value)}
            />
            <span className="muted hint" data-parameters={parameterCount(row.text)}>
              {t("settings.templates.parameters", { count: parameterCount(row.text) })}
            </span>
          </label>
          <button
            type="button"
            className="danger"
            onClick={() => {
              save.reset();
              setRows((current) => current.filter((_, n) => n !== index));
            }}
          >
            {t("settings.templates.remove", { number: index + 1 })}
          </button>
        </fieldset>
      ))}
      <div className="form-actions">
        <button type="button" onClick={() => setRows((current) => [...current, { name: "", locale: "", text: "" }])}>
          {t("settings.templates.add")}
        </button>
        <button type="submit" disabled={save.isPending}>
          {t("settings.templates.save")}
        </button>
      </div>
      <p role="status" className="muted">
        {save.isSuccess ? t("settings.templates.saved") : ""}
      </p>
      {save.isError && (
        <p role="alert" className="error">
          {errorText(save.error, t)}
        </p>
      )}
    </form>
  );
}
