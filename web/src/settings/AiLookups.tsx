import { useState, type FormEvent } from "react";
import { apiErrorText } from "../api/errorText";
import { ConfirmDelete } from "../forms/ConfirmDelete";
import { useI18n } from "../i18n/i18n";
import {
  useAiLookups,
  useChangeLookup,
  useCreateLookup,
  useDeleteLookup,
  useRotateSecret,
  useTestLookup,
  type AiLookup,
  type CreatedLookup,
} from "./aiLookups";
import { SecretOnce } from "./SecretOnce";
import { LookupCallLine } from "../inbox/DraftLookups";
import { LookupForm } from "./LookupForm";
import { rowsOf, typedArguments, type ParameterRow } from "./lookupParameters";

/** Settings → AI → Lookups (issue 16, item 1): the business's own endpoints the AI may call while it
 * writes a reply (an order's state, a booking); each call is signed with the lookup's secret, shown once. */
export function AiLookups() {
  const { t } = useI18n();
  const lookups = useAiLookups();
  const create = useCreateLookup();
  const [created, setCreated] = useState<CreatedLookup | null>(null);
  return (
    <section aria-labelledby="lookups-title" className="ai-lookups">
      <h2 id="lookups-title" tabIndex={-1}>{t("settings.lookups.title")}</h2>
      <p className="muted">{t("settings.lookups.intro")}</p>
      {created && <LookupSecret lookup={created} said="settings.lookups.secretOnce" onDone={() => setCreated(null)} />}
      {lookups.isPending && <p className="muted">{t("app.loading")}</p>}
      {lookups.isError && <p className="error">{apiErrorText(lookups.error, t)}</p>}
      {lookups.data?.length === 0 && <p className="muted">{t("settings.lookups.none")}</p>}
      {lookups.data && lookups.data.length > 0 && (
        <ul className="webhook-list lookup-list" aria-label={t("settings.lookups.list")}>
          {lookups.data.map((lookup) => (
            <LookupItem key={lookup.id} lookup={lookup} />
          ))}
        </ul>
      )}
      <LookupForm
        lookup={null}
        title={t("settings.lookups.add")}
        submitLabel={t("settings.lookups.save")}
        pending={create.isPending}
        error={create.error}
        onSubmit={(body, done) =>
          create.mutate({ ...body, enabled: body.enabled ?? true }, {
            onSuccess: (lookup) => {
              done();
              setCreated(lookup);
            },
          })
        }
      />
    </section>
  );
}

function LookupSecret({
  lookup,
  said,
  onDone,
}: {
  lookup: CreatedLookup;
  said: "settings.lookups.secretOnce" | "settings.lookups.secretNew";
  onDone: () => void;
}) {
  const { t } = useI18n();
  return (
    <SecretOnce
      className="lookup-secret"
      message={t(said, { name: lookup.name })}
      label={t("settings.lookups.secret")}
      secret={lookup.secret}
      doneLabel={t("settings.lookups.secretKept")}
      onDone={onDone}
    >
      <p className="muted hint">{t("settings.lookups.signing", { name: lookup.name })}</p>
    </SecretOnce>
  );
}

function LookupItem({ lookup }: { lookup: AiLookup }) {
  const { t } = useI18n();
  const change = useChangeLookup();
  // Its own mutation: a failed Turn off/on is said under the buttons, never inside the edit form.
  const toggle = useChangeLookup();
  const remove = useDeleteLookup();
  const rotate = useRotateSecret();
  const [editing, setEditing] = useState(false);
  const [testing, setTesting] = useState(false);
  const nameId = `lookup-${lookup.id}`;
  const parameters = rowsOf(lookup.parameters);
  const error = toggle.error ?? remove.error ?? rotate.error;
  return (
    <li className="webhook lookup" data-lookup={lookup.name}>
      <p>
        <strong id={nameId} className="lookup-name">
          <code>{lookup.name}</code>
        </strong>{" "}
        <span className="muted">— {lookup.description}</span>
      </p>
      <p className="muted lookup-summary">
        {t(lookup.enabled ? "settings.lookups.enabled" : "settings.lookups.disabled")} ·{" "}
        {parameters.length === 0
          ? t("settings.lookups.noParameters")
          : parameters.map((row) => parameterText(row, t)).join(", ")}{" "}
        · <span className="webhook-url">{lookup.endpoint}</span>
      </p>
      <div className="form-actions">
        <button
          type="button"
          aria-describedby={nameId}
          aria-expanded={editing}
          onClick={() => {
            change.reset();
            setEditing(!editing);
          }}
        >
          {t("settings.lookups.edit")}
        </button>
        <button
          type="button"
          aria-describedby={nameId}
          disabled={toggle.isPending}
          onClick={() => toggle.mutate({ id: lookup.id, enabled: !lookup.enabled })}
        >
          {t(lookup.enabled ? "settings.lookups.disable" : "settings.lookups.enable")}
        </button>
        <button type="button" aria-describedby={nameId} aria-expanded={testing} onClick={() => setTesting(!testing)}>
          {t("settings.lookups.test")}
        </button>
        <button
          type="button"
          aria-describedby={nameId}
          disabled={rotate.isPending}
          onClick={() => {
            if (window.confirm(t("settings.lookups.rotateConfirm", { name: lookup.name }))) rotate.mutate(lookup.id);
          }}
        >
          {t("settings.lookups.rotate")}
        </button>
        <ConfirmDelete
          label={t("settings.lookups.delete")}
          question={t("settings.lookups.deleteConfirm", { name: lookup.name })}
          describedBy={nameId}
          pending={remove.isPending}
          onDelete={() => remove.mutateAsync(lookup.id)}
          focusAfter="lookups-title"
        />
      </div>
      {error && (
        <p role="alert" className="error">
          {apiErrorText(error, t)}
        </p>
      )}
      {rotate.data && <LookupSecret lookup={rotate.data} said="settings.lookups.secretNew" onDone={() => rotate.reset()} />}
      {editing && (
        <LookupForm
          lookup={lookup}
          title={t("settings.lookups.editTitle", { name: lookup.name })}
          submitLabel={t("settings.save")}
          pending={change.isPending}
          error={change.error}
          onCancel={() => setEditing(false)}
          onSubmit={(body) => change.mutate({ id: lookup.id, ...body }, { onSuccess: () => setEditing(false) })}
        />
      )}
      {testing && <TestCall lookup={lookup} />}
    </li>
  );
}

/** "order_number (Text)", "gift (Yes or no, optional)". */
function parameterText(row: ParameterRow, t: ReturnType<typeof useI18n>["t"]): string {
  const type = t(`settings.lookups.type.${row.type}`);
  return `${row.name} (${row.required ? type : `${type}, ${t("settings.lookups.optional")}`})`;
}

/** A call made now with arguments typed here, as the AI would make it; what came back is shown as a draft
 * shows it. */
function TestCall({ lookup }: { lookup: AiLookup }) {
  const { t } = useI18n();
  const test = useTestLookup(lookup.id);
  const rows = rowsOf(lookup.parameters);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget);
    const typed = Object.fromEntries(rows.map((row) => [row.name, String(fields.get(`arg-${row.name}`) ?? "")]));
    test.mutate(typedArguments(rows, typed));
  };
  return (
    <form
      className="settings-form lookup-test"
      onSubmit={submit}
      aria-label={t("settings.lookups.testTitle", { name: lookup.name })}
    >
      {rows.map((row) =>
        row.type === "boolean" ? (
          <label key={row.key}>
            {row.name}
            <select name={`arg-${row.name}`} defaultValue="">
              <option value="">—</option>
              <option value="true">{t("settings.lookups.true")}</option>
              <option value="false">{t("settings.lookups.false")}</option>
            </select>
          </label>
        ) : (
          <label key={row.key}>
            {row.name}
            <input
              name={`arg-${row.name}`}
              type={row.type === "string" ? "text" : "number"}
              step={row.type === "integer" ? 1 : "any"}
              required={row.required}
              autoComplete="off"
            />
            {row.description && <span className="muted hint">{row.description}</span>}
          </label>
        ),
      )}
      <div className="form-actions">
        <button type="submit" disabled={test.isPending}>
          {test.isPending ? t("settings.lookups.calling") : t("settings.lookups.call")}
        </button>
      </div>
      {test.data && (
        <div role="status" className="lookup-test-result">
          <LookupCallLine call={test.data} />
          {test.data.ok && test.data.answer !== undefined && (
            <details>
              <summary>{t("settings.lookups.answer")}</summary>
              <pre className="lookup-answer">{JSON.stringify(test.data.answer, null, 2)}</pre>
            </details>
          )}
        </div>
      )}
      {test.error && (
        <p role="alert" className="error">
          {apiErrorText(test.error, t)}
        </p>
      )}
    </form>
  );
}
