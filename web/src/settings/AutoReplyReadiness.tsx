import { useI18n } from "../i18n/i18n";
import { useAiSettings } from "./queries";

/** Under a folder's auto-reply switch, when it is on: why nothing will be sent yet (no AI model, or no
 * company prompt), with the way to Settings → AI. */
export function AutoReplyReadiness({ enabled }: { enabled: boolean }) {
  const { t } = useI18n();
  const ai = useAiSettings();
  if (!enabled || !ai.data) return null;
  const missing = !ai.data.configured
    ? "settings.folders.aiNotConfigured"
    : ai.data.company_prompt.trim()
      ? null
      : "settings.folders.companyPromptMissing";
  if (!missing) return null;
  return (
    <p className="notice auto-reply-readiness" role="status">
      {t(missing)} <a href="#settings/ai">{t("drafts.aiSettings")}</a>
    </p>
  );
}
