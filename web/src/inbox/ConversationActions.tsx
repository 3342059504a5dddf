import { type Conversation, type Status } from "../api/client";
import { apiErrorText } from "../api/errorText";
import { useChangeConversation, useDeleteConversation, useFolders, useMe } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { ProjectPicker } from "../projects/ProjectPicker";
import { AssigneePicker, useAssignee } from "./AssigneePicker";
import { FolderOptions, StatusOptions } from "./options";
import { orderFolders } from "./views";

/** What can be done to the open conversation: status, assignment, folder, read state, deletion. */
export function ConversationActions({ conversation, onGone }: { conversation: Conversation; onGone: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const folders = useFolders();
  const change = useChangeConversation();
  const remove = useDeleteConversation();
  const patch = (changes: Parameters<typeof change.mutate>[0]["changes"]) =>
    change.mutate({ id: conversation.id, changes });
  const assignee = useAssignee(conversation.assignee_id);
  const mine = assignee?.mine ?? false;
  // A person files a conversation in the tenant's folders, or back in the inbox (no folder).
  const targets = orderFolders(folders.data ?? []).filter((folder) => !folder.system);

  return (
    <div className="conversation-actions" role="group" aria-label={t("conversation.actions")}>
      <label>
        {t("conversation.status")}{" "}
        <select name="status" value={conversation.status} onChange={(event) => patch({ status: event.target.value as Status })}>
          <StatusOptions />
        </select>
      </label>
      <label>
        {t("conversation.moveTo")}{" "}
        <select
          name="folder"
          value={conversation.folder_id ?? ""}
          onChange={(event) => patch({ folder_id: event.target.value || null })}
        >
          <option value="">{t("folders.inbox")}</option>
          <FolderOptions folders={targets} />
        </select>
      </label>
      {assignee && (
        <span className="muted assignee-now">
          {mine ? t("conversation.assignedToMe") : t("conversation.assignedTo", { assignee: assignee.name })}
        </span>
      )}
      {me.data &&
        (mine ? (
          <button type="button" onClick={() => patch({ assignee_id: null })}>
            {t("conversation.unassign")}
          </button>
        ) : (
          <button type="button" onClick={() => patch({ assignee_id: me.data.user_id })}>
            {t("conversation.assignToMe")}
          </button>
        ))}
      <AssigneePicker
        name="assign"
        current={conversation.assignee_id}
        onPick={(assigneeId) => patch({ assignee_id: assigneeId })}
      />
      <ProjectPicker current={conversation.project_id} onPick={(projectId) => patch({ project_id: projectId })} />
      <button type="button" onClick={() => patch({ unread: true })} disabled={conversation.unread}>
        {t("conversation.markUnread")}
      </button>
      {me.data?.role === "admin" && (
        <button
          type="button"
          className="danger"
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(t("conversation.deleteConfirm"))) {
              remove.mutate(conversation.id, { onSuccess: onGone });
            }
          }}
        >
          {t("conversation.delete")}
        </button>
      )}
      {(change.error || remove.error) && (
        <p role="alert" className="error">
          {apiErrorText(change.error ?? remove.error, t)}
        </p>
      )}
    </div>
  );
}
