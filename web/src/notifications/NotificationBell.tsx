import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { apiErrorText } from "../api/errorText";
import { useUsers } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { personLabel } from "../inbox/people";
import { useMarkNotificationsRead, useNotifications, useUnreadNotifications, type Notification } from "./queries";
import { notificationSentence } from "./sentence";

/** The header's bell: the unread count on it (read with the folders' counters), and on click the
 * person's notifications, newest first.
 * Choosing one marks it read and opens its conversation; "Mark all read" clears the count. Kept fresh
 * by the live updates (notifications.changed, to this person's apps only). Esc closes it. */
export function NotificationBell({ onOpen }: { onOpen: (conversationId: string) => void }) {
  const { t, formatTime } = useI18n();
  const [open, setOpen] = useState(false);
  const notifications = useNotifications(open);
  const markRead = useMarkNotificationsRead();
  const people = useUsers(open); // the names of who assigned, read when the list is first opened
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  const id = useId();
  const unread = useUnreadNotifications();
  const items = notifications.data?.pages.flatMap((page) => page.items) ?? [];

  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLElement>("h2")?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const actorOf = (notification: Notification) => {
    const person = people.data?.find((p) => p.id === notification.actor_id);
    return person ? personLabel(person) : null;
  };
  const choose = (notification: Notification) => {
    if (!notification.read_at) markRead.mutate(notification.id);
    if (notification.conversation_id) {
      setOpen(false);
      onOpen(notification.conversation_id);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    // The panel's keys are its own: the inbox's one-letter shortcuts (document-wide) must not see them.
    event.stopPropagation();
    if (event.key === "Escape") close();
  };

  return (
    <div className="notification-bell">
      <button
        ref={button}
        type="button"
        className="bell"
        name="notifications"
        aria-expanded={open}
        aria-controls={id}
        aria-label={unread ? t("notifications.bellUnread", { count: unread }) : t("notifications.bell")}
        onClick={() => (open ? close() : setOpen(true))}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path
            d="M6 17V11a6 6 0 0 1 12 0v6l2 2H4z M10 21h4"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinejoin="round"
          />
        </svg>
        {unread > 0 && (
          <span className="count" aria-hidden="true">
            {unread}
          </span>
        )}
      </button>
      {open && (
        <section
          ref={panel}
          id={id}
          className="notification-panel"
          aria-labelledby={`${id}-title`}
          onKeyDown={onKeyDown}
        >
          <div className="notification-head">
            <h2 id={`${id}-title`} tabIndex={-1}>
              {t("notifications.title")}
            </h2>
            <button
              type="button"
              name="mark-all-read"
              disabled={unread === 0 || markRead.isPending}
              onClick={() => markRead.mutate(null)}
            >
              {t("notifications.markAllRead")}
            </button>
          </div>
          {notifications.isError && <p className="error">{apiErrorText(notifications.error, t)}</p>}
          {notifications.isPending && <p className="muted">{t("notifications.loading")}</p>}
          {notifications.isSuccess && items.length === 0 && <p className="muted">{t("notifications.none")}</p>}
          <ul className="notification-list">
            {items.map((notification) => (
              <li
                key={notification.id}
                className={notification.read_at ? "read" : "unread"}
                data-notification-id={notification.id}
                data-kind={notification.kind}
              >
                <button type="button" className="notification-open" onClick={() => choose(notification)}>
                  {!notification.read_at && <span className="visually-hidden">{t("notifications.unreadMark")}</span>}
                  <span className="notification-text">{notificationSentence(notification, t, actorOf(notification))}</span>
                  <time className="muted" dateTime={notification.created_at}>
                    {formatTime(notification.created_at)}
                  </time>
                </button>
                {!notification.read_at && (
                  <button
                    type="button"
                    className="link"
                    name="mark-read"
                    onClick={() => markRead.mutate(notification.id)}
                  >
                    {t("notifications.markRead")}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {notifications.hasNextPage && (
            <button
              type="button"
              disabled={notifications.isFetchingNextPage}
              onClick={() => void notifications.fetchNextPage()}
            >
              {t("notifications.more")}
            </button>
          )}
        </section>
      )}
    </div>
  );
}
