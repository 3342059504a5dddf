import { memo, useEffect, useMemo, useState, type FormEvent } from "react";
import { useI18n } from "../i18n/i18n";
import {
  MAX_OPENINGS,
  WEEKDAYS,
  dayProblems,
  overnight,
  timeZones,
  useBusinessHours,
  useSaveBusinessHours,
  weekOf,
  weekReady,
  type BusinessHoursOut,
  type Opening,
  type Week,
  type Weekday,
} from "./businessHours";
import { errorText } from "./queries";

/** Settings → Business hours (issue 13, item 6): the time zone, each weekday's openings (none: closed;
 * an end at or before the start runs past midnight) and the holidays. Nudges go out within them. */
export function BusinessHoursSettings() {
  const { t } = useI18n();
  const hours = useBusinessHours();
  return (
    <section aria-labelledby="hours-title" className="business-hours">
      <h1 id="hours-title" tabIndex={-1}>
        {t("settings.hours.title")}
      </h1>
      <p className="muted">{t("settings.hours.intro")}</p>
      {hours.isPending && <p className="muted">{t("app.loading")}</p>}
      {hours.isError && <p className="error">{errorText(hours.error, t)}</p>}
      {hours.data && <HoursForm saved={hours.data} />}
    </section>
  );
}

function HoursForm({ saved }: { saved: BusinessHoursOut }) {
  const { t } = useI18n();
  const save = useSaveBusinessHours();
  const [zone, setZone] = useState(saved.time_zone ?? "Europe/Paris");
  const [week, setWeek] = useState<Week>(() => weekOf(saved));
  const [holidays, setHolidays] = useState<string[]>(saved.holidays ?? []);
  const [done, setDone] = useState(false);
  useEffect(() => setDone(false), [zone, week, holidays]);
  const ready = weekReady(week) && holidays.every(Boolean);

  const setDay = (day: Weekday, openings: Opening[]) => setWeek({ ...week, [day]: openings });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ time_zone: zone, week, holidays }, { onSuccess: () => setDone(true) });
  };

  return (
    <form className="settings-form hours-form" onSubmit={submit}>
      {!saved.configured && <p className="notice">{t("settings.hours.defaults")}</p>}
      <ZonePicker zone={zone} onChange={setZone} />
      <table className="week-grid">
        <caption>{t("settings.hours.week")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("settings.hours.day")}</th>
            <th scope="col">{t("settings.hours.openings")}</th>
          </tr>
        </thead>
        <tbody>
          {WEEKDAYS.map((day) => (
            <DayRow key={day} day={day} openings={week[day]} onChange={(openings) => setDay(day, openings)} />
          ))}
        </tbody>
      </table>
      {!WEEKDAYS.some((day) => week[day].length > 0) && <p className="error">{t("settings.hours.neverOpen")}</p>}
      <fieldset className="holidays">
        <legend>{t("settings.hours.holidays")}</legend>
        {holidays.length === 0 && <p className="muted">{t("settings.hours.noHolidays")}</p>}
        <ul>
          {holidays.map((holiday, index) => (
            <li key={index}>
              <label>
                {t("settings.hours.holiday", { n: index + 1 })}
                <input
                  type="date"
                  required
                  value={holiday}
                  onChange={(e) => setHolidays(holidays.map((h, i) => (i === index ? e.target.value : h)))}
                />
              </label>
              <button
                type="button"
                className="danger"
                aria-label={t("settings.hours.removeHoliday", { n: index + 1 })}
                onClick={() => setHolidays(holidays.filter((_, i) => i !== index))}
              >
                {t("settings.rules.remove")}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => setHolidays([...holidays, ""])}>
          {t("settings.hours.addHoliday")}
        </button>
      </fieldset>
      <div className="form-actions">
        <button type="submit" disabled={save.isPending || !ready}>
          {save.isPending ? t("settings.saving") : t("settings.save")}
        </button>
        {done && (
          <span role="status" className="muted">
            {t("settings.hours.saved")}
          </span>
        )}
      </div>
      {save.error && (
        <p role="alert" className="error">
          {errorText(save.error, t)}
        </p>
      )}
    </form>
  );
}

/** Some 400 zones: drawn again only when the zone changes, not on every change of the week. */
const ZonePicker = memo(function ZonePicker({ zone, onChange }: { zone: string; onChange: (zone: string) => void }) {
  const { t } = useI18n();
  const zones = useMemo(() => timeZones(zone), [zone]);
  return (
    <label>
      {t("settings.hours.timeZone")}
      <select name="time_zone" value={zone} onChange={(e) => onChange(e.target.value)}>
        {zones.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
});

function DayRow({ day, openings, onChange }: { day: Weekday; openings: Opening[]; onChange: (openings: Opening[]) => void }) {
  const { t } = useI18n();
  const dayName = t(`settings.hours.weekday.${day}`);
  const problems = dayProblems(openings);
  const change = (index: number, opening: Opening) => onChange(openings.map((o, i) => (i === index ? opening : o)));
  return (
    <tr data-day={day}>
      <th scope="row">{dayName}</th>
      <td>
        {openings.length === 0 && <span className="muted">{t("settings.hours.closed")}</span>}
        <ul className="openings">
          {openings.map((opening, index) => {
            const problem = problems.get(index);
            const problemId = `hours-${day}-${index}-problem`;
            return (
              <li key={index}>
                <label>
                  {t("settings.hours.opens")}
                  <input
                    type="time"
                    required
                    value={opening.start}
                    aria-label={t("settings.hours.opensOn", { day: dayName, n: index + 1 })}
                    aria-describedby={problem ? problemId : undefined}
                    onChange={(e) => change(index, { ...opening, start: e.target.value })}
                  />
                </label>
                <label>
                  {t("settings.hours.closes")}
                  <input
                    type="time"
                    required
                    value={opening.end}
                    aria-label={t("settings.hours.closesOn", { day: dayName, n: index + 1 })}
                    aria-describedby={problem ? problemId : undefined}
                    onChange={(e) => change(index, { ...opening, end: e.target.value })}
                  />
                </label>
                {opening.start && opening.end && problem === undefined && overnight(opening) && (
                  <span className="muted">{t("settings.hours.nextDay")}</span>
                )}
                <button
                  type="button"
                  className="danger"
                  aria-label={t("settings.hours.removeOpening", { day: dayName, n: index + 1 })}
                  onClick={() => onChange(openings.filter((_, i) => i !== index))}
                >
                  {t("settings.rules.remove")}
                </button>
                {problem && (
                  <span id={problemId} className="error">
                    {t(`settings.hours.problem.${problem}`)}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
        {openings.length < MAX_OPENINGS && (
          <button
            type="button"
            aria-label={t("settings.hours.addOpeningOn", { day: dayName })}
            onClick={() => onChange([...openings, openings.length ? { start: "14:00", end: "18:00" } : { start: "09:00", end: "18:00" }])}
          >
            {t("settings.hours.addOpening")}
          </button>
        )}
      </td>
    </tr>
  );
}
