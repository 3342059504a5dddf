import { useMutation, useQueryClient } from "@tanstack/react-query";
import { dataOf, type Schemas, type Status } from "../api/client";
import { apiErrorText } from "../api/errorText";
import { keys, useApi, useFolders, useMe } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { AssigneePicker } from "./AssigneePicker";
import { FolderOptions, StatusOptions } from "./options";
import { orderFolders } from "./views";

type BulkResults = Schemas["BulkResults"];

/** One change for every ticked conversation (POST /inbox/conversations/bulk); the lists and the
 * counters are read again after. `onOutcome` hears the answer before that (the bar may be gone after:
 * the conversations it changed can leave the list). */
export function useBulkChange(onOutcome: (results: BulkResults["results"]) => void) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ ids, changes }: { ids: string[]; changes: Schemas["ConversationPatch"] }) =>
      dataOf(await api.POST("/inbox/conversations/bulk", { body: { ids, changes } })),
    onSuccess: ({ results }) => onOutcome(results),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.conversations }),
        queryClient.invalidateQueries({ queryKey: keys.folders }),
      ]),
  });
}

/** What a bulk change did, in words: how many changed, were not found, or are being changed by others. */
export function outcomeCounts(results: BulkResults["results"]): Record<"changed" | "not_found" | "conflict", number> {
  const counts = { changed: 0, not_found: 0, conflict: 0 };
  for (const result of results) counts[result.result] += 1;
  return counts;
}

/** What a bulk change did, as the list says it. */
export function useOutcomeText(): (results: BulkResults["results"]) => string {
  const { t } = useI18n();
  return (results) => {
    const counts = outcomeCounts(results);
    const parts = [t("bulk.changed", { count: counts.changed })];
    if (counts.not_found) parts.push(t("bulk.notFound", { count: counts.not_found }));
    if (counts.conflict) parts.push(t("bulk.conflict", { count: counts.conflict }));
    return parts.join(" · ");
  };
}

/** Above the list while conversations are ticked: status, folder, assignment, read state for all of them. */
export function BulkBar({
  ids,
  onClear,
  onOutcome,
}: {
  ids: string[];
  onClear: () => void;
  onOutcome: (results: BulkResults["results"]) => void;
}) {
  const { t } = useI18n();
  const me = useMe();
  const folders = useFolders();
  const bulk = useBulkChange(onOutcome);
  const targets = orderFolders(folders.data ?? []).filter((folder) => !folder.system);
  const apply = (changes: Schemas["ConversationPatch"]) => bulk.mutate({ ids, changes });

  return (
    <div className="bulk-bar" role="group" aria-label={t("bulk.title")}>
      <span className="bulk-count">{t("bulk.selected", { count: ids.length })}</span>
      <button type="button" disabled={bulk.isPending} onClick={() => apply({ status: "resolved" })}>
        {t("bulk.resolve")}
      </button>
      <label>
        <span className="visually-hidden">{t("bulk.status")}</span>
        <select
          name="bulk-status"
          value=""
          disabled={bulk.isPending}
          onChange={(event) => event.target.value && apply({ status: event.target.value as Status })}
        >
          <option value="">{t("bulk.status")}</option>
          <StatusOptions />
        </select>
      </label>
      <label>
        <span className="visually-hidden">{t("bulk.move")}</span>
        <select
          name="bulk-folder"
          value=""
          disabled={bulk.isPending}
          onChange={(event) => {
            const value = event.target.value;
            if (value) apply({ folder_id: value === "inbox" ? null : value });
          }}
        >
          <option value="">{t("bulk.move")}</option>
          <option value="inbox">{t("folders.inbox")}</option>
          <FolderOptions folders={targets} />
        </select>
      </label>
      {me.data && (
        <button type="button" disabled={bulk.isPending} onClick={() => apply({ assignee_id: me.data.user_id })}>
          {t("bulk.assignToMe")}
        </button>
      )}
      <button type="button" disabled={bulk.isPending} onClick={() => apply({ assignee_id: null })}>
        {t("bulk.unassign")}
      </button>
      <AssigneePicker
        name="bulk-assign"
        current={undefined}
        disabled={bulk.isPending}
        onPick={(assigneeId) => apply({ assignee_id: assigneeId })}
      />
      <button type="button" disabled={bulk.isPending} onClick={() => apply({ unread: false })}>
        {t("bulk.markRead")}
      </button>
      <button type="button" disabled={bulk.isPending} onClick={() => apply({ unread: true })}>
        {t("bulk.markUnread")}
      </button>
      <button type="button" className="link" onClick={onClear}>
        {t("bulk.clear")}
      </button>
      {bulk.isPending && <span className="muted">{t("bulk.working")}</span>}
      {bulk.error && (
        <p role="alert" className="error">
          {apiErrorText(bulk.error, t)}
        </p>
      )}
    </div>
  );
}
