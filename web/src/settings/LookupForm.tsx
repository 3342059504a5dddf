import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useFieldErrors } from "../forms/FieldError";
import { useI18n } from "../i18n/i18n";
import { refusedLookupField, type AiLookup, type LookupIn } from "./aiLookups";
import { lookupRefusal } from "./lookupRefusals";
import {
  PARAMETER_TYPES,
  newRow,
  rowProblems,
  rowsOf,
  schemaOf,
  type ParameterRow,
  type ParameterType,
} from "./lookupParameters";

// The fields a 422 may name that have a place in the form; another one is said under the form.
const FORM_FIELDS = ["name", "description", "endpoint", "parameters", "enabled"] as const;
type FormField = (typeof FORM_FIELDS)[number];

/** A lookup's form, to add one (`lookup` null) or change it: name, what the model reads, the parameters as
 * rows, the endpoint, on or off. The API's refusal is shown next to the field it names. */
export function LookupForm({
  lookup,
  title,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  lookup: AiLookup | null;
  title: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  /** `enabled` is left out when changing a lookup whose box was not changed (see `openedEnabled`). */
  onSubmit: (body: Omit<LookupIn, "enabled"> & { enabled?: boolean }, done: () => void) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [rows, setRows] = useState<ParameterRow[]>(() => (lookup ? rowsOf(lookup.parameters) : [newRow()]));
  const [checked, setChecked] = useState(false);
  // The box as the form opened: the list's Turn off/on may change the lookup meanwhile, and an untouched
  // box must not undo it (issue 16 review, web #10).
  const [openedEnabled] = useState(lookup?.enabled ?? true);
  const problems = rowProblems(rows);
  // The hint is kept out of the label, so the field's name is its label alone; the box has none.
  const hintId = (name: FormField) => `${id}-${name}-hint`;
  const { field, invalid, describedBy, fieldError, general } = useFieldErrors(error, FORM_FIELDS, {
    fieldOf: refusedLookupField,
    hintOf: (name) => (name === "enabled" ? undefined : hintId(name)),
  });
  // The usual refusals in the reader's words, the API's own text as a detail under them.
  const worded = lookupRefusal(error);
  const refusal = (name: FormField) => (
    <>
      {fieldError(name, worded ? t(worded.key) : undefined)}
      {field === name && worded && (
        <p className="muted hint field-error-detail">
          {t("settings.webhooks.technicalDetail")} <span lang="en">{worded.technical}</span>
        </p>
      )}
    </>
  );
  const change = (key: string, fields: Partial<ParameterRow>) =>
    setRows((all) => all.map((row) => (row.key === key ? { ...row, ...fields } : row)));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setChecked(true);
    if (problems.size > 0) return;
    const form = event.currentTarget;
    const fields = new FormData(form);
    const text = (name: string) => String(fields.get(name) ?? "").trim();
    onSubmit(
      {
        name: text("name"),
        description: text("description"),
        endpoint: text("endpoint"),
        parameters: schemaOf(rows) as unknown as Record<string, unknown>,
        ...(lookup && (fields.get("enabled") === "on") === openedEnabled ? {} : { enabled: fields.get("enabled") === "on" }),
      },
      () => {
        if (!lookup) {
          form.reset();
          setRows([newRow()]);
          setChecked(false);
        }
      },
    );
  };

  return (
    <form className="settings-form lookup-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <label>
        {t("settings.lookups.name")}
        <input
          name="name"
          required
          maxLength={40}
          pattern="[a-z][a-z0-9_]{0,39}"
          defaultValue={lookup?.name ?? ""}
          placeholder="find_order"
          autoComplete="off"
          spellCheck={false}
          {...invalid("name")}
        />
      </label>
      {refusal("name")}
      <p id={hintId("name")} className="muted hint">
        {t("settings.lookups.nameHint")}
      </p>
      <label>
        {t("settings.lookups.description")}
        <textarea
          name="description"
          required
          maxLength={500}
          rows={3}
          defaultValue={lookup?.description ?? ""}
          placeholder={t("settings.lookups.descriptionExample")}
          {...invalid("description")}
        />
      </label>
      {refusal("description")}
      <p id={hintId("description")} className="muted hint">
        {t("settings.lookups.descriptionHint")}
      </p>
      <fieldset className="lookup-parameters" {...describedBy("parameters")}>
        <legend>{t("settings.lookups.parameters")}</legend>
        <p id={hintId("parameters")} className="muted hint">
          {t("settings.lookups.parametersHint")}
        </p>
        {rows.length === 0 && <p className="muted">{t("settings.lookups.noParameters")}</p>}
        {rows.map((row, index) => (
          <ParameterRowFields
            key={row.key}
            row={row}
            number={index + 1}
            problem={checked ? (problems.get(row.key) ?? null) : null}
            onChange={(fields) => change(row.key, fields)}
            onRemove={() => setRows((all) => all.filter((each) => each.key !== row.key))}
          />
        ))}
        <div className="form-actions">
          <button type="button" onClick={() => setRows((all) => [...all, newRow()])}>
            {t("settings.lookups.addParameter")}
          </button>
        </div>
        {refusal("parameters")}
      </fieldset>
      <label>
        {t("settings.lookups.endpoint")}
        <input
          name="endpoint"
          type="url"
          required
          maxLength={2048}
          placeholder="https://"
          defaultValue={lookup?.endpoint ?? ""}
          autoComplete="off"
          {...invalid("endpoint")}
        />
      </label>
      {refusal("endpoint")}
      <p id={hintId("endpoint")} className="muted hint">
        {t("settings.lookups.endpointHint")}
      </p>
      <label className="inline">
        <input name="enabled" type="checkbox" defaultChecked={lookup?.enabled ?? true} {...invalid("enabled")} />{" "}
        {t("settings.lookups.enabledLabel")}
      </label>
      {refusal("enabled")}
      {general && (
        <p role="alert" className="error">
          {general}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={pending}>
          {pending ? t("settings.saving") : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t("settings.lookups.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}

function ParameterRowFields({
  row,
  number,
  problem,
  onChange,
  onRemove,
}: {
  row: ParameterRow;
  number: number;
  problem: "name" | "duplicate" | null;
  onChange: (fields: Partial<ParameterRow>) => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const legend = t("settings.lookups.parameter", { number });
  let problemText: ReactNode = null;
  if (problem) problemText = t(problem === "name" ? "settings.lookups.parameterName" : "settings.lookups.parameterTwice");
  return (
    <fieldset className="lookup-parameter">
      <legend>{legend}</legend>
      <label>
        {t("settings.lookups.parameterNameLabel")}
        <input
          value={row.name}
          maxLength={40}
          spellCheck={false}
          autoComplete="off"
          placeholder="order_number"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(event) => onChange({ name: event.target.value })}
        />
      </label>
      <label>
        {t("settings.lookups.parameterType")}
        <select value={row.type} onChange={(event) => onChange({ type: event.target.value as ParameterType, enum: undefined })}>
          {PARAMETER_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`settings.lookups.type.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        <input type="checkbox" checked={row.required} onChange={(event) => onChange({ required: event.target.checked })} />{" "}
        {t("settings.lookups.parameterRequired")}
      </label>
      <label>
        {t("settings.lookups.parameterDescription")}
        <input
          value={row.description}
          maxLength={200}
          placeholder={t("settings.lookups.parameterDescriptionExample")}
          onChange={(event) => onChange({ description: event.target.value })}
        />
      </label>
      <button
        type="button"
        className="danger"
        aria-label={t("settings.lookups.removeParameterNamed", { name: legend })}
        onClick={onRemove}
      >
        {t("settings.lookups.removeParameter")}
      </button>
      {problemText && (
        <p id={`${id}-problem`} role="alert" className="error field-error">
          {problemText}
        </p>
      )}
    </fieldset>
  );
}
