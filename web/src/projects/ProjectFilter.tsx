import { useState } from "react";
import { useI18n } from "../i18n/i18n";
import { projectLabel, useProjects } from "./projects";

/** The list's project filter: the projects are read once it is reached for, or when it names one. */
export function ProjectFilter({ value, onChange }: { value: string | undefined; onChange: (id: string) => void }) {
  const { t } = useI18n();
  const [wanted, setWanted] = useState(false);
  const projects = useProjects(wanted || Boolean(value));
  const want = () => setWanted(true);
  return (
    <label>
      {t("filters.project")}{" "}
      <select
        name="filter-project"
        value={value ?? ""}
        onChange={(event) => onChange(event.target.value)}
        onFocus={want}
        onPointerEnter={want}
      >
        <option value="">{t("filters.any")}</option>
        {(projects.data ?? []).map((project) => (
          <option key={project.id} value={project.id}>
            {projectLabel(project)}
          </option>
        ))}
        {value && !projects.data?.some((p) => p.id === value) && (
          <option value={value}>{projects.isPending ? "…" : t("projects.unknown")}</option>
        )}
      </select>
    </label>
  );
}
