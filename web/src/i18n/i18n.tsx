import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { catalogs, type Language, type MessageKey } from "./messages";

const STORAGE_KEY = "inbox.language";

/** The first of the browser's languages we speak: French for any fr-*, else English. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "fr") return "fr";
    if (base === "en") return "en";
  }
  return "en";
}

export function translate(language: Language, key: MessageKey, values?: Record<string, string | number>): string {
  const text: string = catalogs[language][key];
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

function initialLanguage(): Language {
  const chosen = safeStorage()?.getItem(STORAGE_KEY);
  if (chosen === "fr" || chosen === "en") return chosen;
  return pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

// The language choice is a preference, not a secret: it may be kept (tokens never are).
function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  /** A date and time in the user's locale and time zone: the time alone for today. */
  formatTime: (iso: string) => string;
  formatDateTime: (iso: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, language: forced }: { children: ReactNode; language?: Language }) {
  const [language, setLanguageState] = useState<Language>(forced ?? initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    safeStorage()?.setItem(STORAGE_KEY, next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(() => {
    // undefined time zone = the browser's own; the locale follows the interface language.
    const locale = language === "fr" ? "fr-FR" : "en-GB";
    const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
    const day = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" });
    const full = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    return {
      language,
      setLanguage,
      t: (key, values) => translate(language, key, values),
      formatTime: (iso) => {
        const date = new Date(iso);
        return date.toDateString() === new Date().toDateString() ? time.format(date) : day.format(date);
      },
      formatDateTime: (iso) => full.format(new Date(iso)),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <label className="language">
      <span className="visually-hidden">{t("language.label")}</span>
      <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
        <option value="en" lang="en">English</option>
        <option value="fr" lang="fr">Français</option>
      </select>
    </label>
  );
}
