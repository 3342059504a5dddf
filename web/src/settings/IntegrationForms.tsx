import { useState, type FormEvent, type ReactNode } from "react";
import { useI18n } from "../i18n/i18n";
import { CopyField } from "./CopyField";
import { SecretOnce } from "./SecretOnce";
import { errorText, useCreateIntegration, type Integration } from "./queries";
import { newWebhookSecret, signingExample, vonageWebhookUrls, webhookUrl } from "./webhooks";

const SIGNATURE_METHODS = ["md5hash", "md5", "sha1", "sha256", "sha512"] as const;

function numbersOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((n) => n.trim())
    .filter(Boolean);
}

const value = (form: HTMLFormElement, name: string) =>
  (form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value.trim();

type CreateMutation = ReturnType<typeof useCreateIntegration>;

/** The frame of an integration's form: its title and name, its own fields, save and cancel, the API's refusal if any. */
function IntegrationForm(props: {
  kind: "vonage" | "custom";
  submitLabel: string;
  create: CreateMutation;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onDone: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { create } = props;
  return (
    <form className="settings-form" onSubmit={props.onSubmit} aria-labelledby={`${props.kind}-title`}>
      <h2 id={`${props.kind}-title`}>{t(`settings.integrations.add.${props.kind}`)}</h2>
      <label>
        {t("settings.name")}
        <input name="name" required maxLength={100} />
      </label>
      {props.children}
      <div className="form-actions">
        <button type="submit" disabled={create.isPending}>
          {props.submitLabel}
        </button>
        <button type="button" onClick={props.onDone}>
          {t("settings.cancel")}
        </button>
      </div>
      {create.isError && (
        <p role="alert" className="error">
          {errorText(create.error, t)}
        </p>
      )}
    </form>
  );
}

/** What an integration's form becomes once created: what to paste elsewhere, then one button to leave
 * (the children's own when they are a secret shown once, whose button it is). */
export function CreatedPanel(props: {
  titleId: string;
  title: string;
  done?: { label: string; onDone: () => void };
  children: ReactNode;
}) {
  return (
    <section className="settings-form" aria-labelledby={props.titleId}>
      <h2 id={props.titleId}>{props.title}</h2>
      {props.children}
      {props.done && (
        <div className="form-actions">
          <button type="button" onClick={props.done.onDone}>
            {props.done.label}
          </button>
        </div>
      )}
    </section>
  );
}

/** A Vonage account: numbers, keys and secrets (written, never shown again), then the URLs for its dashboard. */
export function VonageForm({ onDone, origin }: { onDone: () => void; origin: string }) {
  const { t } = useI18n();
  const create = useCreateIntegration();
  const [created, setCreated] = useState<Integration | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const applicationId = value(form, "application_id");
    const privateKey = value(form, "private_key");
    create.mutate(
      {
        kind: "vonage",
        name: value(form, "name"),
        sms_numbers: numbersOf(value(form, "sms_numbers")),
        whatsapp_numbers: numbersOf(value(form, "whatsapp_numbers")),
        api_key: value(form, "api_key"),
        api_secret: value(form, "api_secret"),
        signature_secret: value(form, "signature_secret"),
        signature_method: value(form, "signature_method") as (typeof SIGNATURE_METHODS)[number],
        ...(applicationId ? { application_id: applicationId, private_key: privateKey } : {}),
      },
      { onSuccess: setCreated },
    );
  };

  if (created) {
    return (
      <CreatedPanel
        titleId="vonage-done"
        title={t("settings.vonage.created", { name: created.name })}
        done={{ label: t("settings.done"), onDone }}
      >
        <p>{t("settings.vonage.paste")}</p>
        {vonageWebhookUrls(origin, created.vonage_webhooks ?? {}).map(({ hook, url }) => (
          <CopyField key={hook} label={t(`settings.vonage.hook.${hook}`)} value={url} />
        ))}
      </CreatedPanel>
    );
  }
  return (
    <IntegrationForm
      kind="vonage"
      submitLabel={t("settings.save")}
      create={create}
      onSubmit={submit}
      onDone={onDone}
    >
      <label>
        {t("settings.vonage.smsNumbers")}
        <textarea name="sms_numbers" rows={2} placeholder="+33757000000" />
      </label>
      <label>
        {t("settings.vonage.whatsappNumbers")}
        <textarea name="whatsapp_numbers" rows={2} />
        <span className="muted hint">{t("settings.vonage.numbersHint")}</span>
      </label>
      <label>
        {t("settings.vonage.apiKey")}
        <input name="api_key" required maxLength={64} autoComplete="off" />
      </label>
      <label>
        {t("settings.vonage.apiSecret")}
        <input name="api_secret" type="password" required maxLength={256} autoComplete="new-password" />
      </label>
      <label>
        {t("settings.vonage.signatureSecret")}
        <input
          name="signature_secret"
          type="password"
          required
          minLength={16}
          maxLength={256}
          autoComplete="new-password"
        />
      </label>
      <label>
        {t("settings.vonage.signatureMethod")}
        <select name="signature_method" defaultValue="sha256">
          {SIGNATURE_METHODS.map((method) => (
            <option key={method} value={method}>
              {method}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("settings.vonage.applicationId")}
        <input name="application_id" maxLength={64} autoComplete="off" />
      </label>
      <label>
        {t("settings.vonage.privateKey")}
        <textarea name="private_key" rows={3} placeholder="-----BEGIN PRIVATE KEY-----" spellCheck={false} />
        <span className="muted hint">{t("settings.vonage.secretsHint")}</span>
      </label>
    </IntegrationForm>
  );
}

/** A custom webhook: its secret is made here, shown once with the URL and how to sign, and never again. */
export function CustomWebhookForm({ onDone, origin }: { onDone: () => void; origin: string }) {
  const { t } = useI18n();
  const create = useCreateIntegration();
  const [created, setCreated] = useState<{ integration: Integration; secret: string } | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const secret = newWebhookSecret();
    create.mutate(
      { kind: "custom", name: value(event.currentTarget, "name"), secret },
      { onSuccess: (integration) => setCreated({ integration, secret }) },
    );
  };

  if (created) {
    const url = webhookUrl(origin, created.integration.webhook_path ?? "");
    return (
      // The secret leaves the page's memory with this panel; shown as the lookups' and webhooks' are.
      <CreatedPanel titleId="custom-done" title={t("settings.custom.created", { name: created.integration.name })}>
        <SecretOnce
          message={t("settings.custom.secretOnce")}
          label={t("settings.custom.secret")}
          secret={created.secret}
          doneLabel={t("settings.custom.copiedIt")}
          onDone={onDone}
        >
          <CopyField label={t("settings.custom.url")} value={url} />
          <p>{t("settings.custom.signing")}</p>
          <CopyField label={t("settings.custom.example")} value={signingExample(url)} multiline />
        </SecretOnce>
      </CreatedPanel>
    );
  }
  return (
    <IntegrationForm
      kind="custom"
      submitLabel={t("settings.custom.create")}
      create={create}
      onSubmit={submit}
      onDone={onDone}
    >
      <p className="muted hint">{t("settings.custom.secretMade")}</p>
    </IntegrationForm>
  );
}
