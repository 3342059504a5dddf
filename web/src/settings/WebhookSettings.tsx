import { useState, type FormEvent } from "react";
import { ConfirmDelete } from "../forms/ConfirmDelete";
import { useI18n } from "../i18n/i18n";
import { SecretOnce } from "./SecretOnce";
import {
  EVENT_TYPES,
  chosenEvents,
  useChangeWebhook,
  useCreateWebhook,
  useDeleteWebhook,
  useOutboundWebhooks,
  useTestWebhook,
  useWebhookDeliveries,
  type CreatedWebhook,
  type OutboundWebhook,
} from "./outboundWebhooks";
import { errorText } from "./queries";
import { TechnicalLine, webhookFailure } from "./WebhookFailure";

/** Settings → Webhooks (issue 13, item 8): endpoints of the business's other systems that receive the
 * inbox's events, signed; the secret is shown once, at creation. */
export function WebhookSettings() {
  const { t } = useI18n();
  const webhooks = useOutboundWebhooks();
  const [created, setCreated] = useState<CreatedWebhook | null>(null);

  return (
    <section aria-labelledby="webhooks-title" className="outbound-webhooks">
      <h1 id="webhooks-title" tabIndex={-1}>
        {t("settings.webhooks.title")}
      </h1>
      <p className="muted">{t("settings.webhooks.intro")}</p>
      {created && <WebhookSecret webhook={created} onDone={() => setCreated(null)} />}
      <AddWebhookForm onCreated={setCreated} />
      <h2 id="webhooks-list-title" tabIndex={-1}>
        {t("settings.webhooks.list")}
      </h2>
      {webhooks.isPending && <p className="muted">{t("app.loading")}</p>}
      {webhooks.isError && <p className="error">{errorText(webhooks.error, t)}</p>}
      {webhooks.data?.length === 0 && <p className="muted">{t("settings.webhooks.none")}</p>}
      {webhooks.data && webhooks.data.length > 0 && (
        <ul className="webhook-list">
          {webhooks.data.map((webhook) => (
            <WebhookItem key={webhook.id} webhook={webhook} />
          ))}
        </ul>
      )}
    </section>
  );
}

function WebhookSecret({ webhook, onDone }: { webhook: CreatedWebhook; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <SecretOnce
      message={t("settings.webhooks.secretOnce", { url: webhook.url })}
      label={t("settings.webhooks.secret")}
      secret={webhook.secret}
      doneLabel={t("settings.webhooks.secretKept")}
      onDone={onDone}
    />
  );
}

function EventChoices({ name, chosen }: { name: string; chosen?: readonly string[] }) {
  const { t } = useI18n();
  return (
    <fieldset className="event-choices">
      <legend>{t("settings.webhooks.events")}</legend>
      {EVENT_TYPES.map((type) => (
        <label key={type} className="checkbox">
          <input type="checkbox" name={name} value={type} defaultChecked={chosen?.includes(type) ?? false} />
          {t(`settings.webhooks.event.${type}`)} <code>{type}</code>
        </label>
      ))}
    </fieldset>
  );
}

function AddWebhookForm({ onCreated }: { onCreated: (webhook: CreatedWebhook) => void }) {
  const { t } = useI18n();
  const create = useCreateWebhook();
  const [noEvents, setNoEvents] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const events = chosenEvents(fields.getAll("events").map(String));
    setNoEvents(events.length === 0);
    if (events.length === 0) return;
    const description = String(fields.get("description") ?? "").trim();
    create.mutate(
      { url: String(fields.get("url") ?? "").trim(), events, description: description || null, enabled: true },
      {
        onSuccess: (webhook) => {
          form.reset();
          onCreated(webhook);
        },
      },
    );
  };
  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby="webhook-add-title">
      <h2 id="webhook-add-title">{t("settings.webhooks.add")}</h2>
      <label>
        {t("settings.webhooks.url")}
        <input name="url" type="url" required maxLength={2048} placeholder="https://" autoComplete="off" />
      </label>
      <label>
        {t("settings.webhooks.description")}
        <input name="description" maxLength={200} autoComplete="off" />
      </label>
      <EventChoices name="events" />
      {noEvents && (
        <p role="alert" className="error">
          {t("settings.webhooks.chooseEvents")}
        </p>
      )}
      {create.isError && (
        <p role="alert" className="error">
          {errorText(create.error, t)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? t("settings.webhooks.adding") : t("settings.webhooks.save")}
        </button>
      </div>
    </form>
  );
}

function WebhookItem({ webhook }: { webhook: OutboundWebhook }) {
  const { t } = useI18n();
  const change = useChangeWebhook();
  const remove = useDeleteWebhook();
  const test = useTestWebhook(webhook.id);
  const [showLog, setShowLog] = useState(false);
  const nameId = `webhook-${webhook.id}`;
  const error = change.error ?? remove.error ?? test.error;
  return (
    <li className="webhook">
      <p>
        <strong id={nameId} className="webhook-url">
          {webhook.url}
        </strong>{" "}
        {webhook.description && <span className="muted">— {webhook.description}</span>}
      </p>
      <p className="muted">
        {t(webhook.enabled ? "settings.webhooks.enabled" : "settings.webhooks.disabled")} ·{" "}
        {webhook.events.map((type) => t(`settings.webhooks.event.${type}`)).join(", ")}
      </p>
      <div className="form-actions">
        <button
          type="button"
          aria-describedby={nameId}
          disabled={change.isPending}
          onClick={() => change.mutate({ id: webhook.id, enabled: !webhook.enabled })}
        >
          {t(webhook.enabled ? "settings.webhooks.disable" : "settings.webhooks.enable")}
        </button>
        <button type="button" aria-describedby={nameId} disabled={test.isPending} onClick={() => test.mutate()}>
          {test.isPending ? t("settings.webhooks.testing") : t("settings.webhooks.test")}
        </button>
        <button
          type="button"
          aria-describedby={nameId}
          aria-expanded={showLog}
          aria-controls={`${nameId}-log`}
          onClick={() => setShowLog(!showLog)}
        >
          {t("settings.webhooks.deliveries")}
        </button>
        <ConfirmDelete
          label={t("settings.webhooks.delete")}
          question={t("settings.webhooks.deleteConfirm", { url: webhook.url })}
          describedBy={nameId}
          pending={remove.isPending}
          onDelete={() => remove.mutateAsync(webhook.id)}
          focusAfter="webhooks-list-title"
        />
      </div>
      {test.data && (
        <p role="status" className={test.data.status === "delivered" ? "muted" : "error"}>
          {test.data.status === "delivered" ? (
            t("settings.webhooks.testDelivered", { code: String(test.data.response_code ?? "") })
          ) : (
            <>
              {t("settings.webhooks.testFailed", { reason: webhookFailure(test.data.error, t).reason })}
              <TechnicalLine text={webhookFailure(test.data.error, t).technical} />
            </>
          )}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {errorText(error, t)}
        </p>
      )}
      {showLog && <DeliveryLog id={webhook.id} elementId={`${nameId}-log`} />}
    </li>
  );
}

function DeliveryLog({ id, elementId }: { id: string; elementId: string }) {
  const { t, language } = useI18n();
  const deliveries = useWebhookDeliveries(id, true);
  const when = (iso: string) =>
    new Intl.DateTimeFormat(language, { dateStyle: "short", timeStyle: "medium" }).format(new Date(iso));
  return (
    <div id={elementId} className="webhook-log">
      {deliveries.isPending && <p className="muted">{t("app.loading")}</p>}
      {deliveries.isError && <p className="error">{errorText(deliveries.error, t)}</p>}
      {deliveries.data?.length === 0 && <p className="muted">{t("settings.webhooks.noDeliveries")}</p>}
      {deliveries.data && deliveries.data.length > 0 && (
        <table className="people-list">
          <caption>{t("settings.webhooks.deliveries")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("settings.webhooks.log.event")}</th>
              <th scope="col">{t("settings.webhooks.log.status")}</th>
              <th scope="col">{t("settings.webhooks.log.attempts")}</th>
              <th scope="col">{t("settings.webhooks.log.response")}</th>
              <th scope="col">{t("settings.webhooks.log.when")}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((delivery) => (
              <tr key={delivery.id}>
                <td>
                  <code>{delivery.event_type}</code>
                </td>
                <td>
                  {t(`settings.webhooks.status.${delivery.status}`)}
                  {delivery.next_attempt_at && (
                    <span className="muted">
                      {" "}
                      {t("settings.webhooks.nextAttempt", { when: when(delivery.next_attempt_at) })}
                    </span>
                  )}
                </td>
                <td>{delivery.attempts}</td>
                <td>
                  {delivery.response_code ??
                    (delivery.error && (
                      <>
                        {webhookFailure(delivery.error, t).reason}
                        <TechnicalLine text={webhookFailure(delivery.error, t).technical} />
                      </>
                    ))}
                </td>
                <td>{when(delivery.last_attempt_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
