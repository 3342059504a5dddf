import { useState, type FormEvent } from "react";
import { apiErrorText } from "../api/errorText";
import { useI18n } from "../i18n/i18n";
import { projectLabel, useCreateProject, useProjects } from "./projects";

const NEW = "__new__";

/** The conversation's project: pick one of the active projects, none, or create one on the spot
 * (anyone on the team may); its link to the outside system beside it. */
export function ProjectPicker({ current, onPick }: { current: string | null | undefined; onPick: (id: string | null) => void }) {
  const { t } = useI18n();
  const [wanted, setWanted] = useState(false);
  const [creating, setCreating] = useState(false);
  const projects = useProjects(wanted || Boolean(current));
  const linked = projects.data?.find((project) => project.id === current);
  const offered = (projects.data ?? []).filter((project) => !project.archived || project.id === current);
  const want = () => setWanted(true);

  return (
    <span className="project-picker">
      <label>
        {t("projects.project")}{" "}
        <select
          name="project"
          value={creating ? NEW : (current ?? "")}
          onFocus={want}
          onPointerEnter={want}
          onChange={(event) => {
            const value = event.target.value;
            setCreating(value === NEW);
            if (value !== NEW) onPick(value || null);
          }}
        >
          <option value="">{t("projects.none")}</option>
          {offered.map((project) => (
            <option key={project.id} value={project.id}>
              {projectLabel(project)}
            </option>
          ))}
          {current && !linked && <option value={current}>{projects.isPending ? "…" : t("projects.unknown")}</option>}
          <option value={NEW}>{t("projects.new")}</option>
        </select>
      </label>
      {linked?.url && (
        <a href={linked.url} target="_blank" rel="noopener noreferrer" className="project-link">
          {t("projects.open", { host: new URL(linked.url).host })}
        </a>
      )}
      {creating && (
        <NewProjectForm
          onCreated={(id) => {
            setCreating(false);
            onPick(id);
          }}
          onCancel={() => setCreating(false)}
        />
      )}
    </span>
  );
}

function NewProjectForm({ onCreated, onCancel }: { onCreated: (id: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const create = useCreateProject();
  const [name, setName] = useState("");
  const [reference, setReference] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), external_ref: reference.trim() || null },
      { onSuccess: (project) => onCreated(project.id) },
    );
  };
  return (
    <form className="new-project" onSubmit={submit} aria-label={t("projects.newTitle")}>
      <label>
        {t("projects.name")}{" "}
        <input name="project-name" required maxLength={200} autoFocus value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t("projects.reference")}{" "}
        <input name="project-reference" maxLength={200} value={reference} onChange={(e) => setReference(e.target.value)} />
      </label>
      <button type="submit" disabled={create.isPending || !name.trim()}>
        {t("projects.createAndLink")}
      </button>
      <button type="button" className="link" onClick={onCancel}>
        {t("projects.cancel")}
      </button>
      {create.error && (
        <p role="alert" className="error">
          {apiErrorText(create.error, t)}
        </p>
      )}
    </form>
  );
}
