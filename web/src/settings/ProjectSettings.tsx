import { useState, type FormEvent } from "react";
import { apiErrorText } from "../api/errorText";
import { useI18n } from "../i18n/i18n";
import { useChangeProject, useCreateProject, useProjects, type Project } from "../projects/projects";

/** The tenant's projects (issue 13, item 7): add one, rename it, give its reference and link in another
 * system, archive it once done (archived projects are no longer offered on a conversation). */
export function ProjectSettings() {
  const { t } = useI18n();
  const projects = useProjects();
  return (
    <section aria-labelledby="projects-title" className="projects">
      <h1 id="projects-title" tabIndex={-1}>
        {t("settings.projects.title")}
      </h1>
      <p className="muted">{t("settings.projects.intro")}</p>
      <ProjectForm />
      {projects.isPending && <p className="muted">{t("app.loading")}</p>}
      {projects.isError && <p className="error">{apiErrorText(projects.error, t)}</p>}
      {projects.data?.length === 0 && <p className="muted">{t("settings.projects.empty")}</p>}
      {projects.data && projects.data.length > 0 && (
        <table className="project-list">
          <thead>
            <tr>
              <th scope="col">{t("projects.name")}</th>
              <th scope="col">{t("projects.reference")}</th>
              <th scope="col">{t("projects.url")}</th>
              <th scope="col">{t("settings.projects.state")}</th>
            </tr>
          </thead>
          <tbody>
            {projects.data.map((project) => (
              <ProjectRow key={project.id} project={project} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ProjectRow({ project }: { project: Project }) {
  const { t } = useI18n();
  const change = useChangeProject();
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <tr>
        <td colSpan={4}>
          <ProjectForm project={project} onDone={() => setEditing(false)} />
        </td>
      </tr>
    );
  }
  const nameId = `project-${project.id}`;
  return (
    <tr className={project.archived ? "archived" : undefined}>
      <th scope="row" id={nameId}>
        {project.name}
      </th>
      <td>{project.external_ref ?? ""}</td>
      <td>
        {project.url && (
          <a href={project.url} target="_blank" rel="noopener noreferrer">
            {new URL(project.url).host}
          </a>
        )}
      </td>
      <td>
        {t(project.archived ? "settings.projects.archived" : "settings.projects.active")}{" "}
        <button type="button" aria-describedby={nameId} onClick={() => setEditing(true)}>
          {t("settings.projects.edit")}
        </button>{" "}
        <button
          type="button"
          aria-describedby={nameId}
          disabled={change.isPending}
          onClick={() => change.mutate({ id: project.id, changes: { archived: !project.archived } })}
        >
          {t(project.archived ? "settings.projects.restore" : "settings.projects.archive")}
        </button>
        {change.isError && (
          <p role="alert" className="error">
            {apiErrorText(change.error, t)}
          </p>
        )}
      </td>
    </tr>
  );
}

/** Adds a project, or changes `project` (then `onDone` once saved or cancelled). */
function ProjectForm({ project, onDone }: { project?: Project; onDone?: () => void }) {
  const { t } = useI18n();
  const create = useCreateProject();
  const change = useChangeProject();
  const saving = project ? change : create;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const text = (name: string) => String(fields.get(name) ?? "").trim() || null;
    const body = { name: text("name") ?? "", external_ref: text("external_ref"), url: text("url") };
    if (project) change.mutate({ id: project.id, changes: body }, { onSuccess: onDone });
    else create.mutate(body, { onSuccess: () => form.reset() });
  };
  const title = t(project ? "settings.projects.editTitle" : "settings.projects.add");
  return (
    <form className="settings-form" onSubmit={submit} aria-label={title}>
      {!project && <h2>{title}</h2>}
      <label>
        {t("projects.name")}
        <input name="name" required maxLength={200} defaultValue={project?.name} autoComplete="off" />
      </label>
      <label>
        {t("projects.reference")}
        <input name="external_ref" maxLength={200} defaultValue={project?.external_ref ?? ""} autoComplete="off" />
      </label>
      <label>
        {t("projects.url")}
        <input name="url" type="url" maxLength={2000} defaultValue={project?.url ?? ""} placeholder="https://" />
      </label>
      <div className="form-actions">
        <button type="submit" disabled={saving.isPending}>
          {t(project ? "settings.projects.save" : "settings.projects.create")}
        </button>
        {onDone && (
          <button type="button" className="link" onClick={onDone}>
            {t("projects.cancel")}
          </button>
        )}
      </div>
      {saving.isError && (
        <p role="alert" className="error">
          {apiErrorText(saving.error, t)}
        </p>
      )}
    </form>
  );
}
