"""Notifications for the people of a tenant: written by whatever concerns them (an assignment, a task
or follow-up that fell due, a nudge that needs a template), read and marked read by that person alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from inbox.domain.ids import new_id
from inbox.errors import NotFoundError
from inbox.models import Conversation, Principal
from inbox.models.notification import Notification, NotificationKind
from inbox.observability import logger

KEPT_FOR = timedelta(days=90)  # the table's TTL removes a notification (read or not) after this
MARK_ALL_AT_ONCE = 100  # "mark all read" per API call: one transaction each, well within the call's time


class Store(Protocol):
    def save_notification(self, notification: Notification, expires_at: int) -> None: ...
    def get_notification(self, tenant_id: str, user_id: str, notification_id: str) -> Notification | None: ...
    def list_notifications(
        self, tenant_id: str, user_id: str, limit: int, cursor: str | None = None
    ) -> tuple[list[Notification], str | None]: ...
    def unread_notifications(self, tenant_id: str, user_id: str) -> int: ...
    def unread_notification_ids(self, tenant_id: str, user_id: str, limit: int) -> list[str]: ...
    def mark_notifications_read(self, tenant_id: str, user_id: str, ids: list[str], at: datetime) -> int: ...


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    unread: int
    next_cursor: str | None


class Notifications:
    def __init__(self, store: Store):
        self._store = store

    def notify(
        self,
        tenant_id: str,
        user_id: str,
        kind: NotificationKind,
        *,
        conversation_id: str | None = None,
        task_id: str | None = None,
        actor_id: str | None = None,
        text: str | None = None,
        placeholders: list[str] | None = None,
        now: datetime | None = None,
    ) -> Notification:
        """Notify one person of the tenant; it reaches their open apps through the table's stream."""
        now = now or datetime.now(UTC)
        notification = Notification(
            id=new_id(now.timestamp()),
            tenant_id=tenant_id,
            user_id=user_id,
            kind=kind,
            conversation_id=conversation_id,
            task_id=task_id,
            actor_id=actor_id,
            text=text,
            placeholders=placeholders,
            created_at=now,
        )
        self._store.save_notification(notification, int((now + KEPT_FOR).timestamp()))
        return notification

    def page(self, tenant_id: str, user_id: str, limit: int, cursor: str | None = None) -> NotificationPage:
        """The person's own notifications, newest first, with their unread count."""
        items, next_cursor = self._store.list_notifications(tenant_id, user_id, limit, cursor)
        return NotificationPage(items, self._store.unread_notifications(tenant_id, user_id), next_cursor)

    def unread(self, tenant_id: str, user_id: str) -> int:
        """How many of the person's notifications are unread (the bell's count, read with the folders')."""
        return self._store.unread_notifications(tenant_id, user_id)

    def mark_read(
        self, tenant_id: str, user_id: str, notification_id: str, now: datetime | None = None
    ) -> Notification:
        """Mark one of the person's notifications read (read already: unchanged); another's answers 404."""
        self._store.mark_notifications_read(tenant_id, user_id, [notification_id], now or datetime.now(UTC))
        notification = self._store.get_notification(tenant_id, user_id, notification_id)
        if notification is None:
            raise NotFoundError(notification_id)
        return notification

    def mark_all_read(self, tenant_id: str, user_id: str, now: datetime | None = None) -> tuple[int, bool]:
        """Mark the person's unread notifications read, at most MARK_ALL_AT_ONCE per call (one small
        transaction each, within one API call's time); how many were, and whether unread ones remain
        (the caller calls again)."""
        ids = self._store.unread_notification_ids(tenant_id, user_id, MARK_ALL_AT_ONCE + 1)
        batch = ids[:MARK_ALL_AT_ONCE]
        marked = self._store.mark_notifications_read(tenant_id, user_id, batch, now or datetime.now(UTC))
        return marked, len(ids) > len(batch)

    def assigned(self, who: Principal, conversation: Conversation) -> None:
        """A conversation was assigned: its new assignee is notified, unless they assigned it to themselves.
        The assignment stands whatever happens here, so a failure is logged, never raised."""
        if conversation.assignee_id in (None, who.user_id):
            return
        try:
            self.notify(
                who.tenant_id,
                conversation.assignee_id,
                NotificationKind.ASSIGNED,
                conversation_id=conversation.id,
                actor_id=who.user_id,
            )
        except Exception:
            logger.exception("the assignee was not notified")
