import { useEffect, useId, useRef, useState } from "react";
import { useI18n } from "../i18n/i18n";
import { askNotificationPermission, notificationPermission, unlockAudio } from "./alerts";
import type { NotifyChoice, NotifyPreferences } from "./notifications";

const CHOICES: NotifyChoice[] = ["all", "mine", "none"];

/** The header's notification settings: which alerts, the sound, and the browser's permission,
 * asked for only when the user chooses alerts or presses "Allow" (never at load). */
export function NotifySettings({
  preferences,
  onChange,
}: {
  preferences: NotifyPreferences;
  onChange: (next: NotifyPreferences) => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [permission, setPermission] = useState(notificationPermission);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", outside);
    root.current?.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.focus();
    return () => document.removeEventListener("pointerdown", outside);
  }, [open]);

  const ask = async () => setPermission(await askNotificationPermission());
  const choose = (choice: NotifyChoice) => {
    onChange({ ...preferences, choice });
    if (choice !== "none" && permission === "default") void ask();
  };

  return (
    // Esc closes it, from the button or the panel (and does not reach the inbox's Esc, which would
    // close the conversation).
    <div
      className="notify-settings"
      ref={root}
      onKeyDown={(event) => {
        if (event.key !== "Escape" || !open) return;
        event.nativeEvent.stopPropagation();
        setOpen(false);
        button.current?.focus();
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        {t("live.settings.button")}
      </button>
      {open && (
        <div
          id={panelId}
          className="notify-panel"
          role="group"
          aria-label={t("live.settings.title")}
        >
          <fieldset>
            <legend>{t("live.settings.title")}</legend>
            {CHOICES.map((choice) => (
              <label key={choice}>
                <input
                  type="radio"
                  name="notify-choice"
                  value={choice}
                  checked={preferences.choice === choice}
                  onChange={() => choose(choice)}
                />
                {t(`live.settings.${choice}`)}
              </label>
            ))}
          </fieldset>
          <label>
            <input
              type="checkbox"
              checked={preferences.sound}
              onChange={(event) => {
                if (event.target.checked) unlockAudio(); // a click: the browser lets it play later
                onChange({ ...preferences, sound: event.target.checked });
              }}
            />
            {t("live.settings.sound")}
          </label>
          {permission === "default" && preferences.choice !== "none" && (
            <button type="button" onClick={() => void ask()}>
              {t("live.settings.allow")}
            </button>
          )}
          {permission === "denied" && <p className="muted">{t("live.settings.denied")}</p>}
          {permission === "unsupported" && <p className="muted">{t("live.settings.unsupported")}</p>}
        </div>
      )}
    </div>
  );
}
