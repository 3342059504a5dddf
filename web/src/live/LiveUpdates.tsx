import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useRef, useState } from "react";
import { useChangeConversation, useFolders, useMe } from "../api/queries";
import { useAuth } from "../auth/AuthProvider";
import { useI18n } from "../i18n/i18n";
import { beep, drawFavicon, showNotification } from "./alerts";
import { CATCH_UP, cacheEffects, mergeEffects, type CacheEffects } from "./events";
import {
  reactionTo,
  readPreferences,
  tabTitle,
  unreadTotal,
  writePreferences,
  type NotifyPreferences,
} from "./notifications";
import { NotifySettings } from "./NotifySettings";
import { LiveSocket, type LiveStatus } from "./socket";

/** The WebSocket API's URL from `/config.json` (`websocketUrl`), null where there is none. */
export const LiveUrlContext = createContext<string | null>(null);

/** Events of a burst are applied together this long after the first: each list is read once. */
const BATCH_MS = 50;

/**
 * Live updates of the signed-in app, shown in the header: keeps the socket, marks stale what each
 * event concerns (and everything after a reconnection), alerts of new conversations and customer
 * replies as the user chose, and keeps the unread count in the tab's title and favicon.
 */
export function LiveUpdates({ openId, onOpen }: { openId: string | null; onOpen: (id: string) => void }) {
  const { t } = useI18n();
  const url = useContext(LiveUrlContext);
  const { session } = useAuth();
  const queryClient = useQueryClient();
  const me = useMe();
  const folders = useFolders();
  const userId = me.data?.user_id ?? null;
  const change = useChangeConversation();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [preferences, setPreferences] = useState<NotifyPreferences>(() => readPreferences(undefined, ""));
  useEffect(() => {
    if (userId) setPreferences(readPreferences(safeStorage(), userId));
  }, [userId]);

  // What the socket's callbacks read as it is now, without reconnecting when it changes.
  const markRead = (id: string) => change.mutate({ id, changes: { unread: false } });
  const latest = useRef({ openId, onOpen, preferences, userId, t, markRead });
  latest.current = { openId, onOpen, preferences, userId, t, markRead };

  useEffect(() => {
    if (!url || !session) return;
    let pending: CacheEffects[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const apply = (effects: CacheEffects) => {
      pending.push(effects);
      timer ??= setTimeout(() => {
        const { invalidate, remove } = mergeEffects(pending);
        pending = [];
        timer = undefined;
        // Not one on screen: its view would unmount mid-delete (the delete's own callbacks lost).
        for (const queryKey of remove) {
          queryClient.removeQueries({ queryKey, predicate: (query) => query.getObserversCount() === 0 });
        }
        for (const queryKey of invalidate) void queryClient.invalidateQueries({ queryKey });
      }, BATCH_MS);
    };
    const socket = new LiveSocket({
      url,
      token: () => session.idToken(),
      refreshToken: () => session.refresh(),
      onStatus: setStatus,
      onReconnected: () => apply({ invalidate: CATCH_UP, remove: [] }),
      onEvent: (event) => {
        apply(cacheEffects(event));
        const now = latest.current;
        const reaction = reactionTo(event, {
          preferences: now.preferences,
          me: now.userId,
          openId: now.openId,
          now: Date.now(),
          visible: document.visibilityState === "visible",
        });
        if (reaction.markRead) now.markRead(reaction.markRead);
        const { alert } = reaction;
        if (!alert) return;
        const title = now.t(alert.kind === "reply" ? "live.notify.reply" : "live.notify.new");
        showNotification(title, now.t("live.notify.body"), alert.conversationId, () =>
          latest.current.onOpen(alert.conversationId),
        );
        if (reaction.beep) beep();
      },
    });
    socket.start();
    return () => {
      clearTimeout(timer);
      socket.close();
    };
  }, [url, session, queryClient]);

  const unread = unreadTotal(folders.data);
  const title = t("app.title");
  useEffect(() => {
    document.title = tabTitle(unread, title);
    drawFavicon(unread);
    return () => {
      document.title = title; // signed out: no count left behind
      drawFavicon(0);
    };
  }, [unread, title]);

  if (!url) return null;
  return (
    <>
      <span className={`live-status ${status}`} role="status" data-live-status={status}>
        <span className="live-dot" aria-hidden="true" />
        {t(`live.status.${status}`)}
      </span>
      {userId && (
        <NotifySettings
          preferences={preferences}
          onChange={(next) => {
            setPreferences(next);
            writePreferences(safeStorage(), userId, next);
          }}
        />
      )}
    </>
  );
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
