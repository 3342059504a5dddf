import type { ReactNode } from "react";
import { useI18n } from "../i18n/i18n";
import { parameterProblem, renderTemplate, templateLabel, type WhatsAppTemplate } from "../inbox/whatsappTemplates";
import type { TemplateChoice } from "./queries";

const KEPT = "kept";

/** A WhatsApp template chosen ahead, with its parameters (a follow-up's, a nudge's): what goes out once
 * the customer's 24-hour window is closed. `value` null: none. */
export function TemplateChoiceFields({
  templates,
  value,
  onChange,
  idPrefix,
  refusedParameter,
}: {
  templates: readonly WhatsAppTemplate[];
  value: TemplateChoice | null | undefined;
  onChange: (choice: TemplateChoice | null) => void;
  idPrefix: string;
  /** The API refused this parameter (0-based, as `template.parameters.<n>` names it): said after it, marked. */
  refusedParameter?: { index: number; message: ReactNode };
}) {
  const { t } = useI18n();
  const index = value ? templates.findIndex((each) => each.name === value.name && (!value.locale || each.locale === value.locale)) : -1;
  const chosen = index >= 0 ? templates[index] : null;
  // A choice the list no longer has (rejected or paused since, or Vonage's list unread) is still saved:
  // it shows as kept, never as "None", so choosing "None" is what clears it.
  const kept = value && index < 0 ? value : null;
  const parameters = value?.parameters ?? [];
  const choose = (picked: string) => {
    const template = picked === "" ? null : templates[Number(picked)];
    onChange(
      template
        ? { name: template.name, locale: template.locale, parameters: Array.from({ length: template.parameters }, () => "") }
        : null,
    );
  };
  return (
    <div className="template-choice">
      <label>
        {t("templates.choice.label")}
        <select
          name={`${idPrefix}_template`}
          value={index >= 0 ? String(index) : kept ? KEPT : ""}
          onChange={(e) => e.target.value !== KEPT && choose(e.target.value)}
          aria-describedby={kept ? `${idPrefix}-template-kept` : undefined}
        >
          <option value="">{t("templates.choice.none")}</option>
          {kept && (
            <option value={KEPT} disabled>
              {t("templates.choice.keptOption", { name: kept.name, locale: kept.locale ?? "" })}
            </option>
          )}
          {templates.map((each, n) => (
            <option key={`${each.name}/${each.locale}`} value={n}>
              {templateLabel(each, templates)}
            </option>
          ))}
        </select>
      </label>
      {kept && (
        <p id={`${idPrefix}-template-kept`} className="hint template-choice-kept">
          {t("templates.choice.kept", { name: kept.name })}
        </p>
      )}
      {templates.length === 0 && <p className="muted hint">{t("templates.choice.empty")}</p>}
      {value &&
        parameters.map((parameter, n) => {
          const problem = parameter === "" ? null : parameterProblem(parameter);
          return (
            <label key={n} className="template-parameter">
              {t("compose.template.parameter", { number: n + 1 })}
              <input
                name={`${idPrefix}_template_parameter_${n + 1}`}
                value={parameter}
                maxLength={1024}
                required
                aria-invalid={problem !== null || refusedParameter?.index === n}
                aria-describedby={refusedParameter?.index === n ? `${idPrefix}-template-parameter-refused` : undefined}
                onChange={(e) =>
                  onChange({ ...value, parameters: parameters.map((old, m) => (m === n ? e.target.value : old)) })
                }
              />
              {problem && <span className="error hint">{t(`compose.template.problem.${problem}`)}</span>}
              {refusedParameter?.index === n && (
                <span id={`${idPrefix}-template-parameter-refused`} role="alert" className="error field-error">
                  {refusedParameter.message}
                </span>
              )}
            </label>
          );
        })}
      {chosen && (
        <p className="muted template-choice-preview">
          {t("templates.choice.preview", { locale: chosen.locale, text: renderTemplate(chosen.text, parameters) })}
        </p>
      )}
    </div>
  );
}
