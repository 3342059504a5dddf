import type { ReactNode } from "react";
import { useI18n } from "../i18n/i18n";
import { errorText } from "../settings/queries";
import { useTenantTemplates, type TemplateChoice } from "./queries";
import { TemplateChoiceFields } from "./TemplateChoiceFields";

/** A folder's nudge on WhatsApp once the 24-hour window is closed: an approved template instead of its text. */
export function NudgeTemplate({
  value,
  onChange,
  refusedParameter,
}: {
  value: TemplateChoice | null | undefined;
  onChange: (choice: TemplateChoice | null) => void;
  /** A parameter the API refused (0-based), said after it. */
  refusedParameter?: { index: number; message: ReactNode };
}) {
  const { t } = useI18n();
  const { templates, pending, problem } = useTenantTemplates();
  return (
    <fieldset className="nudge-template">
      <legend>{t("templates.nudge.legend")}</legend>
      <p className="muted hint">{t("templates.nudge.hint")}</p>
      {Boolean(problem) && (
        <p role="alert" className="error template-list-error">
          {t("templates.listError", { reason: errorText(problem, t) })}
        </p>
      )}
      {pending ? (
        <p className="muted">{t("app.loading")}</p>
      ) : (
        <TemplateChoiceFields
          templates={templates}
          value={value}
          onChange={onChange}
          idPrefix="nudge"
          refusedParameter={refusedParameter}
        />
      )}
    </fieldset>
  );
}
