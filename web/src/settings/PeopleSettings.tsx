import { useState, type FormEvent } from "react";
import type { Translate } from "../api/errorText";
import { useMe, useUsers } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { errorText } from "./queries";
import { ROLES, isConflict, isLastEnabledAdmin, useChangePerson, useInvitePerson, type Person, type Role } from "./team";

/** The tenant's people (issue 13, item 1): who they are, their role and state; admins invite and change them. */
export function PeopleSettings() {
  const { t } = useI18n();
  const people = useUsers(true);
  const me = useMe();

  return (
    <section aria-labelledby="people-title" className="people">
      <h1 id="people-title" tabIndex={-1}>
        {t("settings.people.title")}
      </h1>
      <p className="muted">{t("settings.people.intro")}</p>
      <InviteForm />
      {people.isPending && <p className="muted">{t("app.loading")}</p>}
      {people.isError && <p className="error">{errorText(people.error, t)}</p>}
      {people.data && (
        <table className="people-list">
          <thead>
            <tr>
              <th scope="col">{t("settings.people.name")}</th>
              <th scope="col">{t("settings.people.email")}</th>
              <th scope="col">{t("settings.people.role")}</th>
              <th scope="col">{t("settings.people.state")}</th>
            </tr>
          </thead>
          <tbody>
            {people.data.map((person) => (
              <PersonRow
                key={person.id}
                person={person}
                isMe={person.id === me.data?.user_id}
                locked={isLastEnabledAdmin(person, people.data)}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One person: the role select and the enable/disable button, not offered on the last enabled admin. */
function PersonRow({ person, isMe, locked }: { person: Person; isMe: boolean; locked: boolean }) {
  const { t } = useI18n();
  const change = useChangePerson();
  const nameId = `person-${person.id}`;
  const name = person.name || person.email || person.id;
  return (
    <tr>
      <th scope="row" id={nameId}>
        {name}
        {isMe && <span className="muted"> {t("settings.people.you")}</span>}
      </th>
      <td>{person.email ?? ""}</td>
      <td>
        {locked ? (
          t(`settings.people.role.${person.role ?? "none"}`)
        ) : (
          <select
            aria-label={t("settings.people.roleOf", { name })}
            value={person.role ?? ""}
            disabled={change.isPending}
            onChange={(event) => change.mutate({ id: person.id, role: event.target.value as Role })}
          >
            {!person.role && <option value="">{t("settings.people.role.none")}</option>}
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`settings.people.role.${role}`)}
              </option>
            ))}
          </select>
        )}
      </td>
      <td>
        {t(person.enabled ? "settings.people.enabled" : "settings.people.disabled")}{" "}
        {locked ? (
          <span className="muted hint">{t("settings.people.lastAdmin")}</span>
        ) : (
          <button
            type="button"
            aria-describedby={nameId}
            disabled={change.isPending}
            onClick={() => {
              // Disabling stops the person signing in: asked first (enabling again is not).
              if (person.enabled && !window.confirm(t("settings.people.disableConfirm", { name }))) return;
              change.mutate({ id: person.id, enabled: !person.enabled });
            }}
          >
            {t(person.enabled ? "settings.people.disable" : "settings.people.enable")}
          </button>
        )}
        {change.isError && (
          <p role="alert" className="error">
            {isConflict(change.error) ? t("settings.people.noAdminLeft") : errorText(change.error, t)}
          </p>
        )}
      </td>
    </tr>
  );
}

function InviteForm() {
  const { t } = useI18n();
  const invite = useInvitePerson();
  const [invited, setInvited] = useState<string | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const email = String(fields.get("email") ?? "").trim();
    const role: Role = fields.get("role") === "admin" ? "admin" : "agent";
    setInvited(null);
    invite.mutate(
      { email, name: String(fields.get("name") ?? "").trim(), role },
      {
        onSuccess: () => {
          form.reset();
          setInvited(email);
        },
      },
    );
  };
  return (
    <form className="settings-form" onSubmit={submit} aria-label={t("settings.people.invite")}>
      <h2>{t("settings.people.invite")}</h2>
      <label>
        {t("settings.people.email")}
        <input name="email" type="email" required autoComplete="off" />
      </label>
      <label>
        {t("settings.people.name")}
        <input name="name" required maxLength={200} autoComplete="off" />
      </label>
      <label>
        {t("settings.people.role")}
        <select name="role" defaultValue="agent">
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`settings.people.role.${role}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="form-actions">
        <button type="submit" disabled={invite.isPending}>
          {invite.isPending ? t("settings.people.inviting") : t("settings.people.send")}
        </button>
      </div>
      {invited && (
        <p role="status" className="muted">
          {t("settings.people.invited", { email: invited })}
        </p>
      )}
      {invite.isError && (
        <p role="alert" className="error">
          {inviteErrorText(invite.error, t)}
        </p>
      )}
    </form>
  );
}

function inviteErrorText(error: unknown, t: Translate): string {
  return isConflict(error) ? t("settings.people.emailTaken") : errorText(error, t);
}
