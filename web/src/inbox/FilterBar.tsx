import { type Channel, type Status } from "../api/client";
import { useState } from "react";
import { useFolders, useMe, useUsers } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { CHANNELS, fixedBy, SORTS, type BarFilter, type ListSort, type ListState } from "./listParams";
import { ProjectFilter } from "../projects/ProjectFilter";
import { PeopleOptions } from "./AssigneePicker";
import { FolderOptions, StatusOptions } from "./options";
import { orderFolders } from "./views";

/** Above the list: the filters the left pane's selection does not set already, and the order. */
export function FilterBar({ state, onChange }: { state: ListState; onChange: (state: ListState) => void }) {
  const { t } = useI18n();
  const folders = useFolders();
  const me = useMe();
  // The people are read when the assignee filter is reached for, or when it names one already.
  const [peopleWanted, setPeopleWanted] = useState(false);
  const person = state.bar.assignee && !["me", "none"].includes(state.bar.assignee) ? state.bar.assignee : null;
  const people = useUsers(peopleWanted || person !== null);
  const wantPeople = () => setPeopleWanted(true);
  const fixed = fixedBy(state.selection);
  const set = (name: keyof BarFilter, value: string) =>
    onChange({ ...state, bar: { ...state.bar, [name]: value || undefined } });
  const folderName = (id: string, name: string) =>
    id === "inbox" ? t("folders.inbox") : id === "automated" ? t("folders.automated") : name;
  const filtered = Object.entries(state.bar).some(([name, value]) => value && !fixed.includes(name as keyof BarFilter));

  return (
    <div className="filter-bar" role="group" aria-label={t("filters.title")}>
      {!fixed.includes("folder") && (
        <label>
          {t("filters.folder")}{" "}
          <select name="filter-folder" value={state.bar.folder ?? ""} onChange={(event) => set("folder", event.target.value)}>
            <option value="">{t("filters.any")}</option>
            <FolderOptions
              folders={orderFolders(folders.data ?? []).map((f) => ({ id: f.id, name: folderName(f.id, f.name) }))}
            />
          </select>
        </label>
      )}
      {!fixed.includes("status") && (
        <label>
          {t("filters.status")}{" "}
          <select name="filter-status" value={state.bar.status ?? ""} onChange={(event) => set("status", event.target.value as Status)}>
            <option value="">{t("filters.any")}</option>
            <StatusOptions />
          </select>
        </label>
      )}
      <label>
        {t("filters.channel")}{" "}
        <select name="filter-channel" value={state.bar.channel ?? ""} onChange={(event) => set("channel", event.target.value as Channel)}>
          <option value="">{t("filters.any")}</option>
          {CHANNELS.map((channel) => (
            <option key={channel} value={channel}>
              {t(`channel.${channel}`)}
            </option>
          ))}
        </select>
      </label>
      {!fixed.includes("assignee") && (
        <label>
          {t("filters.assignee")}{" "}
          <select
            name="filter-assignee"
            value={state.bar.assignee ?? ""}
            onChange={(event) => set("assignee", event.target.value)}
            onFocus={wantPeople}
            onPointerEnter={wantPeople}
          >
            <option value="">{t("filters.any")}</option>
            <option value="me">{t("views.mine")}</option>
            <option value="none">{t("views.unassigned")}</option>
            <PeopleOptions people={people.data ?? []} meId={me.data?.user_id} />
            {person && !people.data?.some((p) => p.id === person) && (
              <option value={person}>{people.isPending ? "…" : t("people.unknown")}</option>
            )}
          </select>
        </label>
      )}
      <ProjectFilter value={state.bar.project} onChange={(id) => set("project", id)} />
      <label>
        {t("filters.sort")}{" "}
        <select
          name="sort"
          value={state.sort}
          onChange={(event) => onChange({ ...state, sort: event.target.value as ListSort })}
        >
          {SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {t(`sort.${sort}`)}
            </option>
          ))}
        </select>
      </label>
      {filtered && (
        <button type="button" className="link" onClick={() => onChange({ ...state, bar: {} })}>
          {t("filters.clear")}
        </button>
      )}
    </div>
  );
}
