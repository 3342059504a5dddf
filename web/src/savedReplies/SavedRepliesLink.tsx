// The way to the saved replies' screen from the inbox's header, for everyone (agents write their own),
// so a tenant with no conversation yet reaches it too (issue 16 web review, #2).
import { useI18n } from "../i18n/i18n";
import { SAVED_REPLIES_HASH } from "./savedReplies";

export function SavedRepliesLink() {
  const { t } = useI18n();
  return (
    <a className="button-link" href={SAVED_REPLIES_HASH}>
      {t("savedReplies.title")}
    </a>
  );
}
