import type { ReactNode } from "react";
import { useFolders, useUsers } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { personLabel } from "../inbox/people";
import { useProjects } from "../projects/projects";
import { relativeTime } from "./time";
import type { AuditEntry } from "./types";
import { actorText, fieldText, kindText, summaryText, valueText, type Names } from "./words";

/** The names behind the ids the entries hold: the team (read once a session) and the projects, read
 * only when an entry names someone or a project, and the folders. */
export function useNames(entries: readonly AuditEntry[]): Names {
  const { t, formatDateTime } = useI18n();
  const fields = new Set(entries.flatMap((entry) => entry.changes.map((change) => change.field)));
  const people = ["assignee_id", "user_id", "author_id"].some((field) => fields.has(field));
  const users = useUsers(people || entries.some((entry) => entry.actor.type === "person"));
  const folders = useFolders(); // the inbox reads them anyway (its left pane)
  const projects = useProjects(fields.has("project_id"));
  return {
    t,
    formatDateTime,
    person: (id) => {
      const person = users.data?.find((p) => p.id === id);
      return person ? personLabel(person) : users.isPending ? "…" : null;
    },
    folder: (id) => folders.data?.find((folder) => folder.id === id)?.name ?? null,
    project: (id) => projects.data?.find((project) => project.id === id)?.name ?? null,
  };
}

/** One entry, the same in the activity and in a conversation's history: who, what, when (relative, and
 * the date and time), each field changed before → after; `children` adds the activity's links. */
export function AuditEntryItem({ entry, names, children }: { entry: AuditEntry; names: Names; children?: ReactNode }) {
  const { t, language } = useI18n();
  const absolute = names.formatDateTime(entry.at);
  const summary = summaryText(entry, t);
  return (
    <li className="audit-entry" data-audit-id={entry.id} data-audit-kind={entry.kind}>
      <p className="audit-head">
        <strong className={`audit-who audit-${entry.actor.type}`}>{actorText(entry.actor, names)}</strong>
        <span className="audit-what">{kindText(entry.kind, t)}</span>
        <span className="audit-when muted">
          <time dateTime={entry.at}>{relativeTime(entry.at, new Date(), language)}</time>
          <span className="audit-date">{absolute}</span>
        </span>
      </p>
      {summary && <p className="audit-summary">{summary}</p>}
      {entry.changes.length > 0 && (
        <dl className="audit-changes">
          {entry.changes.map((change) => (
            <div key={change.field} data-field={change.field}>
              <dt>{fieldText(change.field, t)}</dt>
              <dd>
                <span className="audit-before">{valueText(change.field, change.before, names)}</span>
                <span aria-hidden="true"> → </span>
                <span className="visually-hidden"> {t("audit.becomes")} </span>
                <span className="audit-after">{valueText(change.field, change.after, names)}</span>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {children}
    </li>
  );
}
