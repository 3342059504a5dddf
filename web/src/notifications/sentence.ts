import type { MessageKey } from "../i18n/messages";
import type { Notification } from "./queries";

type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** A notification in words, in the reader's language: the API gives its kind and ids, never a sentence.
 * `actor` is the name of who caused it (who assigned the conversation), when known. */
export function notificationSentence(notification: Notification, t: Translate, actor: string | null): string {
  const text = notification.text?.trim();
  switch (notification.kind) {
    case "assigned":
      return actor ? t("notifications.assigned", { actor }) : t("notifications.assignedBySomeone");
    case "task_due":
      return text ? t("notifications.taskDue", { text }) : t("notifications.taskDueUntitled");
    case "follow_up_due":
      return text ? t("notifications.followUpDue", { text }) : t("notifications.followUpDueNoNote");
    case "template_needed":
      return t("notifications.templateNeeded");
    case "nudge_unfilled": {
      // `text` is the folder's name, `placeholders` the ones without a value for this customer.
      const names = notification.placeholders ?? [];
      const values = { folder: text ?? "", placeholders: names.map((name) => `{{${name}}}`).join(", ") };
      return t(names.length > 1 ? "notifications.nudgeUnfilledMany" : "notifications.nudgeUnfilled", values);
    }
    default:
      return t("notifications.other");
  }
}
