import { useI18n } from "../i18n/i18n";
import { parameterProblem, renderTemplate, templateLabel, type WhatsAppTemplate } from "../inbox/whatsappTemplates";
import type { TemplateChoice } from "./queries";

/** A WhatsApp template chosen ahead, with its parameters (a follow-up's, a nudge's): what goes out once
 * the customer's 24-hour window is closed. `value` null: none. */
export function TemplateChoiceFields({
  templates,
  value,
  onChange,
  idPrefix,
}: {
  templates: readonly WhatsAppTemplate[];
  value: TemplateChoice | null | undefined;
  onChange: (choice: TemplateChoice | null) => void;
  idPrefix: string;
}) {
  const { t } = useI18n();
  const index = value ? templates.findIndex((each) => each.name === value.name && (!value.locale || each.locale === value.locale)) : -1;
  const chosen = index >= 0 ? templates[index] : null;
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
        <select name={`${idPrefix}_template`} value={index >= 0 ? String(index) : ""} onChange={(e) => choose(e.target.value)}>
          <option value="">{t("templates.choice.none")}</option>
          {templates.map((each, n) => (
            <option key={`${each.name}/${each.locale}`} value={n}>
              {templateLabel(each, templates)}
            </option>
          ))}
        </select>
      </label>
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
                aria-invalid={problem !== null}
                onChange={(e) =>
                  onChange({ ...value, parameters: parameters.map((old, m) => (m === n ? e.target.value : old)) })
                }
              />
              {problem && <span className="error hint">{t(`compose.template.problem.${problem}`)}</span>}
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
