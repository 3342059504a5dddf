import { useMemo, useState } from "react";
import { useFolders, useMe } from "../api/queries";
import { useAuth } from "../auth/AuthProvider";
import { LanguageSwitch, useI18n } from "../i18n/i18n";
import { ConversationList } from "./ConversationList";
import { ConversationView } from "./ConversationView";
import { FolderPane } from "./FolderPane";
import { DEFAULT_SELECTION, filterOf, type Selection } from "./views";

/** The main view: folders and views, the conversation list, the open conversation. */
export function Inbox() {
  const { t } = useI18n();
  const { session } = useAuth();
  const me = useMe();
  const folders = useFolders();
  const [selection, setSelection] = useState<Selection>(DEFAULT_SELECTION);
  const [openId, setOpenId] = useState<string | null>(null);
  const filter = useMemo(() => filterOf(selection), [selection]);

  const title = (() => {
    if (selection.kind === "status") return t(`status.${selection.status}`);
    if (selection.kind === "view") return t(`views.${selection.view}`);
    if (selection.id === "inbox") return t("folders.inbox");
    if (selection.id === "automated") return t("folders.automated");
    return folders.data?.find((folder) => folder.id === selection.id)?.name ?? "";
  })();

  return (
    <div className={`app${openId ? " has-open" : ""}`}>
      <header className="top-bar">
        <span className="brand">{t("app.title")}</span>
        <span className="spacer" />
        <span className="muted user">{me.data?.email ?? me.data?.username ?? ""}</span>
        <LanguageSwitch />
        <button type="button" onClick={() => void session?.signOut()}>
          {t("auth.signOut")}
        </button>
      </header>
      <FolderPane
        selection={selection}
        onSelect={(next) => {
          setSelection(next);
          setOpenId(null);
        }}
      />
      <ConversationList filter={filter} openId={openId} onOpen={setOpenId} title={title} />
      {openId ? (
        <ConversationView key={openId} id={openId} onClose={() => setOpenId(null)} />
      ) : (
        <section className="conversation empty muted">{t("conversation.none")}</section>
      )}
    </div>
  );
}
