import type { Schemas } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { NudgeTemplate } from "../templates/NudgeTemplate";
import { nudgeRefusal } from "./nudgeRefusal";

export type Nudge = Schemas["Nudge"];
export const NO_NUDGE: Nudge = { enabled: false, after_hours: 48, max_nudges: 2, mode: "automatic", text: "" };

/** A folder's automatic follow-up (issue 13, item 6): after N hours without the customer's answer to our
 * last reply, within business hours, send this text (or keep it as a draft), at most K times, then resolve.
 * `error`: the folder's save error; placeholders it refused are said next to their field. */
export function NudgeFieldset({
  value,
  onChange,
  error,
}: {
  value: Nudge;
  onChange: (nudge: Nudge) => void;
  error?: unknown;
}) {
  const { t } = useI18n();
  const off = !value.enabled;
  const refusal = nudgeRefusal(error);
  const refusedText = refusal?.field === "text" ? t(refusal.key, { names: refusal.names }) : null;
  const refusedParameter =
    refusal && typeof refusal.field === "number"
      ? { index: refusal.field, message: t(refusal.key, { names: refusal.names }) }
      : undefined;
  return (
    <fieldset className="nudge-settings">
      <legend>{t("settings.nudge.title")}</legend>
      <label className="inline">
        <input
          type="checkbox"
          name="nudge"
          role="switch"
          checked={value.enabled}
          onChange={(e) => onChange({ ...value, enabled: e.target.checked })}
        />
        {t("settings.nudge.on")}
      </label>
      <p className="muted hint" id="nudge-hint">
        {t("settings.nudge.hint")} <a href="#settings/hours">{t("settings.section.hours")}</a>
      </p>
      <div className="row">
        <label>
          {t("settings.nudge.afterHours")}
          <input
            name="nudge_after_hours"
            type="number"
            required
            min={1}
            max={720}
            step={1}
            disabled={off}
            value={value.after_hours ?? 48}
            onChange={(e) => onChange({ ...value, after_hours: e.target.valueAsNumber })}
          />
        </label>
        <label>
          {t("settings.nudge.maxNudges")}
          <input
            name="nudge_max_nudges"
            type="number"
            required
            min={1}
            max={10}
            step={1}
            disabled={off}
            value={value.max_nudges ?? 2}
            onChange={(e) => onChange({ ...value, max_nudges: e.target.valueAsNumber })}
          />
        </label>
        <label>
          {t("settings.nudge.mode")}
          <select
            name="nudge_mode"
            value={value.mode ?? "automatic"}
            disabled={off}
            onChange={(e) => {
              const mode = e.target.value as "automatic" | "validation";
              // Only an automatic nudge sends a template: one left hidden would still be saved.
              onChange({ ...value, mode, ...(mode === "automatic" ? {} : { template: null }) });
            }}
          >
            <option value="automatic">{t("settings.nudge.mode.automatic")}</option>
            <option value="validation">{t("settings.nudge.mode.validation")}</option>
          </select>
        </label>
      </div>
      <label>
        {t("settings.nudge.text")}
        <textarea
          name="nudge_text"
          rows={3}
          maxLength={2000}
          required={value.enabled}
          disabled={off}
          value={value.text ?? ""}
          aria-invalid={refusedText !== null}
          aria-describedby={refusedText !== null ? "nudge-text-refused" : undefined}
          onChange={(e) => onChange({ ...value, text: e.target.value })}
        />
      </label>
      {/* After the label, not in it: the label stays the field's name, the refusal is its description. */}
      {refusedText !== null && (
        <p id="nudge-text-refused" role="alert" className="error field-error">
          {refusedText}
        </p>
      )}
      <p className="muted hint">{t("settings.nudge.whatsapp")}</p>
      {value.enabled && value.mode === "automatic" && (
        <NudgeTemplate
          value={value.template}
          onChange={(template) => onChange({ ...value, template })}
          refusedParameter={refusedParameter}
        />
      )}
    </fieldset>
  );
}
