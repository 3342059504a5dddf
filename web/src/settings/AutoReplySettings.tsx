import type { Schemas } from "../api/client";
import { useI18n } from "../i18n/i18n";

export type AutoReplyLimits = Schemas["AutoReplyLimits"];
export const MAX_COMPANY_PROMPT = 8000; // the API's bound (domain/reply_prompt.py)
export const DEFAULT_LIMITS: AutoReplyLimits = { max_per_window: 3, window_minutes: 10, max_per_day: 10 };

/** What the AI must know to answer for the company: AI replies are not configured without it. */
export function CompanyPromptField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useI18n();
  return (
    <label>
      {t("settings.ai.companyPrompt")}
      <textarea
        name="company_prompt"
        rows={8}
        maxLength={MAX_COMPANY_PROMPT}
        value={value}
        aria-describedby="company-prompt-hint"
        placeholder={t("settings.ai.companyPromptPlaceholder")}
        onChange={(e) => onChange(e.target.value)}
      />
      <span id="company-prompt-hint" className="muted hint">
        {value.trim() ? t("settings.ai.companyPromptHint") : t("settings.ai.companyPromptMissing")}{" "}
        {t("settings.ai.companyPromptCount", { count: value.length, max: MAX_COMPANY_PROMPT })}
      </span>
    </label>
  );
}

const CAPS = [
  { field: "max_per_window", label: "settings.ai.capWindowCount", min: 1, max: 50 },
  { field: "window_minutes", label: "settings.ai.capWindowMinutes", min: 1, max: 1440 },
  { field: "max_per_day", label: "settings.ai.capDay", min: 1, max: 500 },
] as const;

/** The caps on auto-replies to one recipient, across conversations: what stops two auto-responders. */
export function AutoReplyCapsFields({
  value,
  onChange,
}: {
  value: AutoReplyLimits;
  onChange: (value: AutoReplyLimits) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset>
      <legend>{t("settings.ai.caps")}</legend>
      <p className="muted hint">{t("settings.ai.capsHint")}</p>
      {CAPS.map(({ field, label, min, max }) => (
        <label key={field}>
          {t(label)}
          <input
            name={field}
            type="number"
            required
            min={min}
            max={max}
            step={1}
            value={value[field]}
            onChange={(e) => onChange({ ...value, [field]: e.target.valueAsNumber })}
          />
        </label>
      ))}
    </fieldset>
  );
}
