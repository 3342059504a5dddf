import { useId, useState } from "react";
import { useI18n } from "../i18n/i18n";

/** A value to paste elsewhere (a URL, a secret, an example), read-only, with a copy button. */
export function CopyField({ label, value, multiline = false }: { label: string; value: string; multiline?: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin, a refused permission): the value is selected to copy by hand.
      document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[id="${id}"]`)?.select();
    }
  };
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        {multiline ? (
          <textarea id={id} readOnly value={value} rows={value.split("\n").length} spellCheck={false} />
        ) : (
          <input id={id} readOnly value={value} spellCheck={false} onFocus={(e) => e.target.select()} />
        )}
        <button type="button" onClick={() => void copy()} aria-label={`${t("settings.copy")}: ${label}`}>
          {copied ? t("settings.copied") : t("settings.copy")}
        </button>
      </div>
    </div>
  );
}
