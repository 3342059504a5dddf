import type { ReactNode } from "react";
import { useI18n } from "../i18n/i18n";
import { errorText } from "../settings/queries";
import { useConversationTemplates, type TemplateChoice } from "./queries";
import { TemplateChoiceFields } from "./TemplateChoiceFields";

/** A WhatsApp follow-up's template: sent instead of its text if the 24-hour window is closed when it is due. */
export function FollowUpTemplate({
  conversationId,
  value,
  onChange,
  refusedParameter,
}: {
  conversationId: string;
  value: TemplateChoice | null;
  onChange: (choice: TemplateChoice | null) => void;
  refusedParameter?: { index: number; message: ReactNode };
}) {
  const { t } = useI18n();
  const templates = useConversationTemplates(conversationId);
  return (
    <fieldset className="follow-up-template">
      <legend>{t("templates.followup.legend")}</legend>
      <p className="muted hint">{t("templates.followup.hint")}</p>
      {templates.isError && (
        <p role="alert" className="error template-list-error">
          {t("templates.listError", { reason: errorText(templates.error, t) })}
        </p>
      )}
      {templates.isPending ? (
        <p className="muted">{t("app.loading")}</p>
      ) : (
        <TemplateChoiceFields templates={templates.data ?? []} value={value} onChange={onChange} idPrefix="follow_up" refusedParameter={refusedParameter} />
      )}
    </fieldset>
  );
}
