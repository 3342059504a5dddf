// What the statistics show: the period, the granularity, one filter (a folder, a channel or the person
// assigned) and whether response times count business hours only. Every change asks again at once.
import type { Folder, Schemas } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { CHANNELS } from "../inbox/listParams";
import {
  filterValue,
  GRANULARITIES,
  MAX_DAYS,
  parseFilter,
  PRESETS,
  rangeOf,
  rangeProblem,
  type Granularity,
  type StatsChoice,
} from "./period";

type Person = Schemas["UserOut"];

interface Props {
  choice: StatsChoice;
  onChange: (choice: StatsChoice) => void;
  /** The tenant's today (its time zone): where "from a date to a date" starts from. */
  today: string;
  folders: Folder[];
  people: Person[];
}

export function StatsFilters({ choice, onChange, today, folders, people }: Props) {
  const { t } = useI18n();
  const period = choice.period;
  const periodValue = period.kind === "last" ? String(period.days) : "range";
  const problem = period.kind === "range" ? rangeProblem(period.from, period.to, choice.granularity) : null;
  const set = (changes: Partial<StatsChoice>) => onChange({ ...choice, ...changes });

  return (
    <form className="stats-filters" aria-label={t("stats.choice")} onSubmit={(event) => event.preventDefault()}>
      <label>
        {t("stats.period")}
        <select
          name="period"
          value={periodValue}
          onChange={(event) => {
            const value = event.target.value;
            // "From a date to a date" starts from the period shown, to be moved from there.
            if (value === "range") set({ period: { kind: "range", ...rangeOf(period, today) } });
            else set({ period: { kind: "last", days: Number(value) as (typeof PRESETS)[number] } });
          }}
        >
          {PRESETS.map((days) => (
            <option key={days} value={days}>
              {t("stats.period.last", { days })}
            </option>
          ))}
          <option value="range">{t("stats.period.range")}</option>
        </select>
      </label>
      {period.kind === "range" && (
        <>
          <label>
            {t("stats.from")}
            <input
              type="date"
              name="from"
              value={period.from}
              max={today}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? "stats-range-problem" : undefined}
              onChange={(event) => set({ period: { ...period, from: event.target.value } })}
            />
          </label>
          <label>
            {t("stats.to")}
            <input
              type="date"
              name="to"
              value={period.to}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? "stats-range-problem" : undefined}
              onChange={(event) => set({ period: { ...period, to: event.target.value } })}
            />
          </label>
        </>
      )}
      <label>
        {t("stats.granularity")}
        <select
          name="granularity"
          value={choice.granularity}
          onChange={(event) => set({ granularity: event.target.value as Granularity })}
        >
          {GRANULARITIES.map((granularity) => (
            <option key={granularity} value={granularity}>
              {t(`stats.granularity.${granularity}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("stats.filter")}
        <select name="filter" value={filterValue(choice.filter)} onChange={(event) => set({ filter: parseFilter(event.target.value) })}>
          <option value="">{t("stats.filter.none")}</option>
          <optgroup label={t("stats.filter.folders")}>
            <option value="folder:none">{t("folders.inbox")}</option>
            {folders.map((folder) => (
              <option key={folder.id} value={`folder:${folder.id}`}>
                {folder.name}
              </option>
            ))}
          </optgroup>
          <optgroup label={t("stats.filter.channels")}>
            {CHANNELS.map((channel) => (
              <option key={channel} value={`channel:${channel}`}>
                {t(`channel.${channel}`)}
              </option>
            ))}
          </optgroup>
          <optgroup label={t("stats.filter.people")}>
            <option value="assignee:none">{t("stats.filter.unassigned")}</option>
            {people
              .filter((person) => person.enabled)
              .map((person) => (
                <option key={person.id} value={`assignee:${person.id}`}>
                  {person.name || person.email || person.id}
                </option>
              ))}
          </optgroup>
        </select>
      </label>
      <label className="stats-business-hours">
        <input
          type="checkbox"
          name="business_hours"
          checked={choice.businessHours}
          onChange={(event) => set({ businessHours: event.target.checked })}
        />
        {t("stats.businessHours")}
      </label>
      {problem && (
        <p className="error" id="stats-range-problem" role="alert">
          {t(`stats.range.${problem}`, {
            days: MAX_DAYS[choice.granularity],
            granularity: t(`stats.granularity.${choice.granularity}`).toLowerCase(),
          })}
        </p>
      )}
    </form>
  );
}
