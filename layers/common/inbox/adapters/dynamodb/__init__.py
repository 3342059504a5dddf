"""The single DynamoDB table: every item a tenant owns has a key that starts with `T#<tenant>`.

Layout (every key is built by one function of `keys.py`, named in the last column):

  PK                           SK                    item                                        keys.py
  T#t                          INTEGRATION#id        an integration (secrets as ciphertext)      tenant, integration_sk
  T#t                          FOLDER#id             a folder: order, rules, AI filter, reply    tenant, folder_sk
  T#t                          SETTINGS#AI           the tenant's model, base URL, sealed key    tenant, AI_SETTINGS
  T#t                          SETTINGS#BUSINESS_HOURS  the time zone, week, holidays (nudges)   tenant, BUSINESS_HOURS
  T#t                          COUNTER#FOLDER#key    a folder's total and unread conversations   tenant, counter_sk
  T#t                          COUNTER#ASSIGNEE#u    the same counters of an assignee's view     tenant,
                                                     (`none`: Unassigned), moved alike           assignee_counter_sk
  T#t                          SYNC#integration      a mailbox's sync: lease, cursors, progress  tenant, sync_sk
  T#t#CONTACT#id               CONTACT               a contact (versioned), in GSI1 by name      contact_pk
  T#t#IDENTITY#email:x         IDENTITY              email or phone -> contact (conditional put) identity_pk
  T#t#PROJECTS                 PROJECT#id            a project (its conversations: GSI7)         projects_pk, project_sk
  T#t#CONV#id                  CONV                  a conversation (versioned), in the views    conversation_pk
  T#t#CONV#id                  MSG#<time>#id         its messages                                message_sk
  T#t#CONV#id                  NOTE#<time>#id        its internal notes                          note_sk
  T#t#CONV#id                  DECISION#message      how a message was classified (once)         decision_sk
  T#t#CONV#id                  DRAFT#id              an AI draft reply and its outcome; an auto  draft_sk
                                                     reply's id is the answered message's
  T#t#CONV#id                  SUMMARY               the AI summary kept, up to a message        SUMMARY
  T#t#CONV#id                  SUGGESTING            a suggestion being written (lease)          SUGGESTING
  T#t#CONV#id                  AUTOREPLYING          an auto-reply being written (lease)         AUTO_REPLYING
  T#t#CONV#id                  NUDGE                 its folder's nudge: the reply unanswered,   NUDGE
                                                     nudges since the customer wrote
  T#t#CONV#id                  #DELETING             a deleted conversation being removed        DELETING
  T#t#CONV#id                  FOLLOWUP#id           a follow-up (versioned); while scheduled,   follow_up_sk
                                                     in GSI1 (below)
  T#t#CONV#id                  TASK#id               a task (versioned), in GSI1 by assignee,    task_sk
                                                     state and due date (below)
  T#t#TASK#id                  TASK                  a task's id -> its conversation             task_ref_pk, TASK_REF
  T#t#DELIVERY#integration#h   DELIVERY              dedupe: a provider message id seen once     delivery_pk
  T#t#THREAD#integration#h     THREAD                a thread key -> its conversation            thread_pk
  T#t#MSGID#h                  MSGID                 an email Message-ID -> its conversation     msgid_pk
  T#t#SENT#integration#h       SENT                  a provider's id for what we sent -> the     sent_pk
                                                     message (status webhooks)
  T#t#SMSPART#integration#h    PART#nnn              a part of a long SMS until all are here,    sms_part_pk,
                                                     then only its id and conversation (TTL 2 d) sms_part_sk
  T#t#AUTOREPLIED#h            AT#<time>#draft       an auto-reply to one recipient (TTL 25 h),  auto_replied_pk,
                                                     for the per-recipient caps                  auto_replied_sk
  T#t#STATS                    DAY#yyyy-mm-dd        the day's counters (AI accuracy)            stats_pk, day_sk
  T#t#STATS#g#dimension        P#yyyy-mm-dd          statistics of a day, ISO week or month (g)  stats_counters_pk,
                                                     in the tenant's zone, per dimension (all,   stats_period_sk
                                                     channel:x, folder:x, assignee:x; `ai`: the
                                                     AI's work, by UTC day): counts, histograms
  T#t#STATS#g#PEOPLE           P#yyyy-mm-dd#user     a person's statistics of a period           stats_people_pk
  T#t#STATS#APPLIED            <batch>#n             a stream batch counted (TTL a day): read    stats_applied_pk
                                                     again, it adds nothing
  T#t#SEARCH                   MANIFEST              the search index's commit point: live       search_pk,
                                                     segments, tombstone count, version          SEARCH_MANIFEST
  T#t#SEARCH                   TOMB#conversation     a deleted conversation still in segments    search_tombstone_sk
                                                     (read by merges only)
  T#t#KNOWLEDGE                DOC#id                a knowledge-base document (text in S3)      knowledge_pk,
                                                                                                 knowledge_document_sk
  T#t#KNOWLEDGE                PASSAGES#id           its passages, one item (knowledge.py)       knowledge_passages_sk
  T#t#KNOWLEDGE                BASE                  the base's version, documents, characters   KNOWLEDGE_BASE
  T#t#CONNS                    CONN#id               a live-update WebSocket connection (TTL)    connections_pk,
                                                                                                 connection_sk
  T#t#USER#user                NOTIF#id              a person's notification (TTL 90 d)          notifications_pk,
                                                                                                 notification_sk
  T#t#USER#user                UNREAD#id             its marker while unread (same TTL)          unread_sk
  T#t#USER#user                UNREADCOUNT#yyyy-mm-dd  how many markers expire that day (TTL:    unread_count_sk
                                                     its end): the unread count is their sum
  T#t#AUDIT#yyyy-mm            <time>#id             an audit entry (TTL: AuditRetentionDays),   audit_pk, audit_sk
                                                     in GSI1 by conversation (below; audit.py)
  T#t#WEBHOOKS                 WEBHOOK#id            an outbound webhook (its secret sealed)     webhooks_pk, webhook_sk
  T#t#WEBHOOK#id#LOG           LOG#<time>#event      one event's delivery to it (TTL 14 d)       webhook_log_pk,
                                                                                                 webhook_log_sk
  T#t#AI_LOOKUPS               LOOKUP#id             a lookup the AI may call (secret sealed)    ai_lookups_pk,
                                                                                                 ai_lookup_sk
  T#t#AI_LOOKUPS               NAME#name             the lookup that holds that name             ai_lookup_name_sk
  T#t#SAVEDREPLIES             TEAM#id               a saved reply, the team's, or one person's  saved_replies_pk,
                               USER#user#id          own (their id in the key)                   saved_team_reply_sk,
                                                                                                 saved_personal_reply_sk
  META#MIGRATIONS              MIGRATION#name        a data migration applied (migrations.py)    MIGRATIONS_PK,
                                                                                                 migration_sk
  ROUTE#INTEGRATION#id         ROUTE                 the items without a tenant prefix: they map integration_route_pk
  ROUTE#NUMBER#kind#+e164      ROUTE                 the id in a public webhook URL, or the      number_route_pk
                                                     number a provider's webhook names, to its
                                                     tenant (GetItem, no index); one per kind
                                                     (sms, whatsapp): a claim on a number for one
                                                     never blocks or takes it for the other
  ROUTE#CONNECTION#id          ROUTE                 a connection's tenant, for $disconnect (TTL) connection_route_pk
(h: SHA-256 of a provider's id, thread key or Message-ID, whose length we do not control.)

Indexes. Conversation views share the sort key `activity` (`<last activity>#<id>`, keys.activity),
newest first:

  index  partition key                  holds                                        keys.py
  GSI1   T#t#CONVS                      every conversation                           all_conversations_pk
  GSI2   T#t#FOLDER#folder              the conversations of a folder                view_pk(t, "FOLDER", ..)
  GSI3   T#t#STATUS#status              ... of a status                              view_pk(t, "STATUS", ..)
  GSI4   T#t#ASSIGNEE#user|none         ... of an assignee (`none`: unassigned)      view_pk(t, "ASSIGNEE", ..)
  GSI5   T#t#CONTACT#contact            ... of a contact                             view_pk(t, "CONTACT", ..)
  GSI6   T#t#CHANNEL#channel            ... of a channel                             view_pk(t, "CHANNEL", ..)
  GSI7   T#t#PROJECT#project            ... of a project (sparse: linked ones only)  view_pk(t, "PROJECT", ..)
  GSI1   T#t#CONTACTS                   every contact by its folded name             contacts_pk,
                                        (`<name>#<id>`): a name's start is found by  contact_sort
                                        begins_with; no `priority`, not in GSI1U
  GSI1   T#t#TASKS#user#OPEN|DONE       a person's open (done) tasks by due date     assigned_tasks_pk,
                                        (`<time>#id`)                                task_due
  GSI1   T#t#FOLLOWUPS#user             a person's follow-ups still to fire, by due  scheduled_follow_ups_pk,
                                        time (`<time>#id`)                           follow_up_due
  GSI1   T#t#SNOOZED#CONVS              snoozed conversations: GSI1..GSI4 and GSI6   snoozed_conversations_pk,
         (GSI2..4, 6: T#t#SNOOZED#view#v) move under SNOOZED# while snoozed, out of   snoozed_view_pk
                                        the lists (ConversationItem.snoozed)
  GSI1   T#t#AUDITOF#conversation   a conversation's audit entries by time       conversation_audit_pk
                                        (`<time>#id`, the entry's SK)
  GSI1   SYNC#DUE                       every mailbox by the time its next sync is   SYNC_DUE, sync_due
                                        due (`<time>#t#integration`): the one
                                        cross-tenant view, read by the scheduler only

GSI1U..GSI6U are the first six views (same partition keys) sorted by `priority`
(`<urgency rank>#<last activity>#<id>`, keys.priority; rank 3 urgent, 2 normal, 1 low, from
domain.conversations.urgency_rank), read backwards: the most urgent first, newest first among
equals. So a list sorted by urgency is one Query, whatever its filters; oldest first is the same
view read forwards, and a list by status one Query per status in a fixed order. 12 of
DynamoDB's 20 indexes per table (13 with GSI7, which has no U twin: a project's list by urgency
reads GSI1U filtered on the project); `SYNC#DUE` items have no `priority` and stay out of GSI1U.

The store: `table.py` holds the client, transactions, errors and cursors; one module per aggregate
adds its reads and writes, and `InboxStore` is all of them over one client, so that one
transaction can span aggregates (ingest writes a delivery, a message, its conversation and the
folder counters at once).

Every item has PK, SK and `type` (but the counters and the day statistics, which ADDs alone
write). An item that stores a domain model holds its fields as JSON (table.item_of); what it holds
beyond them is declared by a storage record in its aggregate's module (ConversationItem,
MessageItem, SyncItem, SmsPartRecord; DeliveryItem is a whole record), and each module's docstring
says which of its items are the model under its keys and nothing more.
"""

from __future__ import annotations

from inbox.adapters.dynamodb.audit import AuditStore
from inbox.adapters.dynamodb.contacts import ContactStore
from inbox.adapters.dynamodb.decisions import DecisionStore
from inbox.adapters.dynamodb.deletion import DeletionStore
from inbox.adapters.dynamodb.deliveries import DeliveryStore
from inbox.adapters.dynamodb.drafts import DraftStore
from inbox.adapters.dynamodb.follow_ups import FollowUpStore
from inbox.adapters.dynamodb.integrations import MAX_NUMBERS, IntegrationStore
from inbox.adapters.dynamodb.projects import ProjectStore
from inbox.adapters.dynamodb.search_manifest import SearchManifestStore
from inbox.adapters.dynamodb.sms_parts import SmsPartStore
from inbox.adapters.dynamodb.statistics import StatisticsStore
from inbox.adapters.dynamodb.table import MAX_QUERY_ROUNDS

__all__ = ["MAX_NUMBERS", "MAX_QUERY_ROUNDS", "InboxStore"]


class InboxStore(
    DeliveryStore,
    DecisionStore,
    DeletionStore,
    SmsPartStore,
    DraftStore,
    FollowUpStore,
    StatisticsStore,
    ContactStore,
    IntegrationStore,
    ProjectStore,
    AuditStore,
    SearchManifestStore,
):
    """Every read and write of the table. Queries only; no Scan anywhere."""
