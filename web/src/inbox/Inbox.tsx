import { useCallback, useEffect, useState } from "react";
import { useChangeConversation, useFolders, useMe } from "../api/queries";
import { useAuth } from "../auth/AuthProvider";
import { LanguageSwitch, useI18n } from "../i18n/i18n";
import { LiveUpdates } from "../live/LiveUpdates";
import { NotificationBell } from "../notifications/NotificationBell";
import { ContactsSearch } from "../contacts/ContactsSearch";
import { SettingsLink } from "../settings/Settings";
import { SavedRepliesLink } from "../savedReplies/SavedRepliesLink";
import { StatsLink } from "../stats/StatsLink";
import { ActivityLink } from "../audit/Activity";
import { clearConversationHash, conversationInHash } from "../audit/links";
import { ConversationList } from "./ConversationList";
import { ConversationView } from "./ConversationView";
import { FolderPane } from "./FolderPane";
import { moveInList, useShortcuts, type ShortcutAction } from "./shortcuts";
import { ShortcutsHelp } from "./ShortcutsHelp";
import { MyTasks } from "../tasks/MyTasks";
import { useListState } from "./listParams";

/** The main view: folders and views, the conversation list, the open conversation. */
export function Inbox() {
  const { t } = useI18n();
  const { session } = useAuth();
  const me = useMe();
  const folders = useFolders();
  const [listState, setListState] = useListState(); // the selection, the filter bar and the order, in the URL
  const selection = listState.selection;
  // A link from elsewhere (the activity's "Open the conversation") opens its conversation.
  const [openId, setOpenId] = useState<string | null>(() => conversationInHash(window.location.hash));
  useEffect(clearConversationHash, []);
  const [help, setHelp] = useState(false);
  const [tasks, setTasks] = useState(false); // "My tasks" in the list's place
  const change = useChangeConversation();

  const handle = useCallback(
    (action: ShortcutAction | "leave", event: KeyboardEvent): boolean => {
      if (help) {
        if (action === "close" || action === "help") setHelp(false);
        return action === "close" || action === "help";
      }
      const focus = (selector: string) => setTimeout(() => document.querySelector<HTMLElement>(selector)?.focus());
      switch (action) {
        case "next":
          return moveInList(1);
        case "previous":
          return moveInList(-1);
        case "help":
          setHelp(true);
          return true;
        case "leave":
          (event.target as HTMLElement).blur();
          return true;
        case "open":
          return false; // a focused row is a button: Enter opens it
        case "search": {
          const field = document.querySelector<HTMLInputElement>(".search-field input");
          field?.focus(); // at once: the key's own "/" must not be typed into it
          return field !== null;
        }
      }
      if (!openId) return false;
      switch (action) {
        case "reply":
        case "note":
          document.querySelector<HTMLElement>(`.composer [data-mode="${action}"]`)?.click();
          focus(".composer textarea");
          return true;
        case "resolve":
          change.mutate({ id: openId, changes: { status: "resolved" } });
          return true;
        case "assign": // opens the conversation's assignee picker (AssigneePicker)
          document.querySelector<HTMLElement>('.conversation-actions button[name="assign"]')?.click();
          return true;
        case "unread":
          change.mutate({ id: openId, changes: { unread: true } });
          return true;
        case "suggest": // "Suggest a reply": the AI's draft on demand (Drafts.tsx)
          document.querySelector<HTMLElement>('.ai-tools button[name="suggest"]')?.click();
          return true;
        case "move":
          focus('.conversation-actions select[name="folder"]');
          return true;
        case "close":
          setOpenId(null);
          focus(`.conversation-row[data-conversation-id="${openId}"]`);
          return true;
      }
      return false;
    },
    [help, openId, change, me.data],
  );
  useShortcuts(handle);

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
        <LiveUpdates openId={openId} onOpen={setOpenId} />
        <NotificationBell onOpen={setOpenId} />
        <span className="muted user">{me.data?.email ?? me.data?.username ?? ""}</span>
        <ContactsSearch onOpen={setOpenId} />
        <SavedRepliesLink />
        <StatsLink />
        <SettingsLink />
        <ActivityLink />
        <LanguageSwitch />
        <button type="button" onClick={() => void session?.signOut()}>
          {t("auth.signOut")}
        </button>
      </header>
      <FolderPane
        selection={selection}
        onSelect={(next) => {
          setListState((state) => ({ ...state, selection: next }));
          setOpenId(null);
          setTasks(false);
        }}
        tasks={{ active: tasks, onSelect: () => setTasks(true) }}
      />
      {tasks ? (
        <MyTasks openId={openId} onOpen={setOpenId} />
      ) : (
        <ConversationList
          state={listState}
          onStateChange={(next) => setListState(() => next)}
          openId={openId}
          onOpen={setOpenId}
          title={title}
        />
      )}
      {openId ? (
        <ConversationView key={openId} id={openId} onClose={() => setOpenId(null)} onOpen={setOpenId} />
      ) : (
        <section className="conversation empty muted">{t("conversation.none")}</section>
      )}
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
    </div>
  );
}
