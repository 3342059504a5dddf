import { useState, type FormEvent } from "react";
import { ConfirmDelete } from "../forms/ConfirmDelete";
import { useI18n } from "../i18n/i18n";
import { CopyField } from "./CopyField";
import { CustomWebhookForm, VonageForm } from "./IntegrationForms";
import { MailboxForm } from "./MailboxForm";
import {
  errorText,
  useDeleteIntegration,
  useIntegration,
  useIntegrations,
  useRenameIntegration,
  useSyncNow,
  type Integration,
} from "./queries";
import { apiOrigin, signingExample, vonageWebhookUrls, webhookUrl } from "./webhooks";
import { WhatsAppTemplatesEditor } from "./WhatsAppTemplates";
import { VonageTemplates } from "../templates/VonageTemplates";

type Adding = "email" | "vonage" | "custom" | null;

/** The tenant's channels: each with its state, and forms to connect new ones. */
export function IntegrationSettings({ apiBaseUrl }: { apiBaseUrl: string }) {
  const { t } = useI18n();
  const integrations = useIntegrations();
  const [adding, setAdding] = useState<Adding>(null);
  const origin = apiOrigin(apiBaseUrl, window.location.origin);
  const close = () => setAdding(null);

  return (
    <section aria-labelledby="integrations-title">
      <h1 id="integrations-title" tabIndex={-1}>
        {t("settings.integrations.title")}
      </h1>
      {integrations.isError && <p className="error">{errorText(integrations.error, t)}</p>}
      {integrations.data?.length === 0 && <p className="muted">{t("settings.integrations.none")}</p>}
      <ul className="integration-list">
        {integrations.data?.map((integration) => (
          <li key={integration.id}>
            <IntegrationCard integration={integration} origin={origin} />
          </li>
        ))}
      </ul>
      <div className="form-actions" role="group" aria-label={t("settings.integrations.add")}>
        {(["email", "vonage", "custom"] as const).map((kind) => (
          <button key={kind} type="button" aria-pressed={adding === kind} onClick={() => setAdding(kind)}>
            {t(`settings.integrations.add.${kind}`)}
          </button>
        ))}
      </div>
      {adding === "email" && <MailboxForm onDone={close} />}
      {adding === "vonage" && <VonageForm onDone={close} origin={origin} />}
      {adding === "custom" && <CustomWebhookForm onDone={close} origin={origin} />}
    </section>
  );
}

function IntegrationCard({ integration, origin }: { integration: Integration; origin: string }) {
  const { t } = useI18n();
  const [renaming, setRenaming] = useState(false);
  const rename = useRenameIntegration();
  const remove = useDeleteIntegration();
  const submitName = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = (event.currentTarget.elements.namedItem("name") as HTMLInputElement).value.trim();
    rename.mutate({ id: integration.id, name }, { onSuccess: () => setRenaming(false) });
  };
  const secrets = Object.keys(integration.secrets_set).filter((name) => integration.secrets_set[name]);

  return (
    <article className="integration" data-integration-id={integration.id} aria-labelledby={`int-${integration.id}`}>
      <header className="integration-header">
        <h2 id={`int-${integration.id}`}>{integration.name}</h2>
        <span className="status">{t(`settings.kind.${kindOf(integration.kind)}`)}</span>
        <span className="spacer" />
        <button type="button" onClick={() => setRenaming(!renaming)} aria-expanded={renaming}>
          {t("settings.rename")}
        </button>
        <ConfirmDelete
          label={t("settings.delete")}
          question={t("settings.integrations.deleteConfirm", { name: integration.name })}
          describedBy={`int-${integration.id}`}
          pending={remove.isPending}
          onDelete={() => remove.mutateAsync(integration.id)}
          focusAfter="integrations-title"
        />
      </header>
      {renaming && (
        <form className="inline-form" onSubmit={submitName}>
          <label>
            {t("settings.name")}
            <input name="name" required maxLength={100} defaultValue={integration.name} />
          </label>
          <button type="submit" disabled={rename.isPending}>
            {t("settings.save")}
          </button>
        </form>
      )}
      {(rename.error || remove.error) && (
        <p role="alert" className="error">
          {errorText(rename.error ?? remove.error, t)}
        </p>
      )}
      {secrets.length > 0 && (
        <p className="muted">{t("settings.integrations.secretsSet", { names: secrets.join(", ") })}</p>
      )}
      {integration.kind === "email" && <SyncPanel integration={integration} />}
      {integration.kind === "vonage" && integration.vonage_webhooks && (
        <div className="webhook-urls">
          <p>{t("settings.vonage.paste")}</p>
          {vonageWebhookUrls(origin, integration.vonage_webhooks).map(({ hook, url }) => (
            <CopyField key={hook} label={t(`settings.vonage.hook.${hook}`)} value={url} />
          ))}
        </div>
      )}
      {integration.kind === "vonage" && <VonageTemplates integration={integration} />}
      {integration.kind === "vonage" && <WhatsAppTemplatesEditor integration={integration} />}
      {integration.kind === "custom" && integration.webhook_path && (
        <div className="webhook-urls">
          <CopyField label={t("settings.custom.url")} value={webhookUrl(origin, integration.webhook_path)} />
          <details>
            <summary>{t("settings.custom.howToSign")}</summary>
            <p>{t("settings.custom.signing")}</p>
            <CopyField
              label={t("settings.custom.example")}
              value={signingExample(webhookUrl(origin, integration.webhook_path))}
              multiline
            />
          </details>
        </div>
      )}
    </article>
  );
}

function kindOf(kind: string): "email" | "vonage" | "custom" {
  return kind === "email" || kind === "vonage" ? kind : "custom";
}

/** A mailbox's sync: when it last ran, what it brought, why it failed; "Sync now" and its progress. */
function SyncPanel({ integration }: { integration: Integration }) {
  const { t, formatDateTime } = useI18n();
  const [asked, setAsked] = useState(false);
  const fresh = useIntegration(integration.id, asked);
  const syncNow = useSyncNow();
  const sync = (fresh.data ?? integration).sync;
  // Polled from the request until the run it queued is seen to end (or a minute passes).
  const running = Boolean(sync?.running) || syncNow.isPending;
  const startSync = () => {
    setAsked(true);
    syncNow.mutate(integration.id, { onSettled: () => setTimeout(() => setAsked(false), 60_000) });
  };
  return (
    <div className="sync" aria-live="polite">
      {sync ? (
        <dl className="sync-state">
          <div>
            <dt>{t("settings.sync.state")}</dt>
            <dd data-sync-running={running}>
              {running
                ? t("settings.sync.running")
                : sync.last_error
                  ? t("settings.sync.failed")
                  : sync.last_success_at
                    ? t("settings.sync.ok")
                    : t("settings.sync.never")}
            </dd>
          </div>
          {sync.last_sync_at && (
            <div>
              <dt>{t("settings.sync.last")}</dt>
              <dd>{formatDateTime(sync.last_sync_at)}</dd>
            </div>
          )}
          <div>
            <dt>{t("settings.sync.imported")}</dt>
            <dd>{t("settings.sync.importedCount", { last: sync.last_imported, total: sync.imported_total })}</dd>
          </div>
          {sync.last_error && (
            <div>
              <dt>{t("settings.sync.error")}</dt>
              <dd className="error">{sync.last_error}</dd>
            </div>
          )}
          {!running && (
            <div>
              <dt>{t("settings.sync.next")}</dt>
              <dd>{formatDateTime(sync.next_sync_at)}</dd>
            </div>
          )}
        </dl>
      ) : (
        <p className="muted">{t("settings.sync.never")}</p>
      )}
      {running && <progress aria-label={t("settings.sync.running")} />}
      <button type="button" onClick={startSync} disabled={running}>
        {t("settings.sync.now")}
      </button>
      {syncNow.isError && (
        <p role="alert" className="error">
          {errorText(syncNow.error, t)}
        </p>
      )}
    </div>
  );
}
