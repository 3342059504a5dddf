import { useState, type FormEvent } from "react";
import type { Conversation } from "../api/client";
import { apiErrorText } from "../api/errorText";
import { useI18n } from "../i18n/i18n";
import { useSnooze } from "./queries";
import { fromLocalInput, presetTime, SNOOZE_PRESETS, toLocalInput } from "./time";

/** "Snooze": hide the conversation until later today, tomorrow 9:00, next week or a time of one's own
 * (or until the customer writes); a snoozed one says until when, with "Unsnooze". */
export function Snooze({ conversation }: { conversation: Conversation }) {
  const { t, formatDateTime } = useI18n();
  const snooze = useSnooze(conversation.id);
  const [open, setOpen] = useState(false);
  const [custom, setCustom] = useState(() => toLocalInput(presetTime("tomorrow", new Date())));
  const [problem, setProblem] = useState<string | null>(null);
  const error = problem ?? (snooze.error ? apiErrorText(snooze.error, t) : null);
  const until = (iso: string) =>
    snooze.mutate(iso, {
      onSuccess: () => {
        setOpen(false);
        setProblem(null);
      },
    });

  if (conversation.snoozed_until) {
    return (
      <div className="snooze" role="group" aria-label={t("snooze.open")}>
        <span className="snoozed-until" role="status">
          {t("snooze.until", { when: formatDateTime(conversation.snoozed_until) })}
        </span>
        <button type="button" name="unsnooze" disabled={snooze.isPending} onClick={() => snooze.mutate(null)}>
          {t("snooze.wake")}
        </button>
        {error && <span role="alert" className="error">{error}</span>}
      </div>
    );
  }
  const now = new Date();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const iso = fromLocalInput(custom);
    if (!iso) return setProblem(t("followups.whenRequired"));
    until(iso);
  };
  return (
    <div className="snooze">
      <button
        type="button"
        name="snooze"
        aria-expanded={open}
        aria-controls="snooze-menu"
        onClick={() => setOpen((was) => !was)}
      >
        {t("snooze.open")}
      </button>
      {open && (
        <div id="snooze-menu" className="snooze-menu" role="group" aria-label={t("snooze.menu")}>
          {SNOOZE_PRESETS.map((preset) => {
            const at = presetTime(preset, now);
            return (
              <button
                key={preset}
                type="button"
                name={`snooze-${preset}`}
                disabled={snooze.isPending}
                onClick={() => until(at.toISOString())}
              >
                {t(`snooze.preset.${preset}`, { time: formatDateTime(at.toISOString()) })}
              </button>
            );
          })}
          <form className="snooze-custom" onSubmit={submit}>
            <label>
              {t("snooze.custom")}
              <input
                type="datetime-local"
                name="until"
                required
                value={custom}
                onChange={(e) => setCustom(e.target.value)}
              />
            </label>
            <button type="submit" disabled={snooze.isPending}>
              {t("snooze.apply")}
            </button>
          </form>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
