import { STATUSES } from "../api/client";
import { useI18n } from "../i18n/i18n";

/** The statuses as a select's options, in the interface's language (status, filter and bulk menus). */
export function StatusOptions() {
  const { t } = useI18n();
  return (
    <>
      {STATUSES.map((status) => (
        <option key={status} value={status}>
          {t(`status.${status}`)}
        </option>
      ))}
    </>
  );
}

/** Folders as a select's options, by id, in the order given. */
export function FolderOptions({ folders }: { folders: readonly { id: string; name: string }[] }) {
  return (
    <>
      {folders.map((folder) => (
        <option key={folder.id} value={folder.id}>
          {folder.name}
        </option>
      ))}
    </>
  );
}
