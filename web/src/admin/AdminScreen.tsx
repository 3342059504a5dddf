// The shell of the screens reached from the inbox's header (settings, statistics, activity): the top
// bar with the way back, the person and the language, an optional side navigation, and the main part.
import { useEffect, type ReactNode } from "react";
import { useMe } from "../api/queries";
import { useAuth } from "../auth/AuthProvider";
import { LanguageSwitch, useI18n } from "../i18n/i18n";

interface AdminScreenProps {
  /** The screen's name in its class names: `<name>-app` and `<name>-main` (styles.css). */
  name: string;
  nav?: ReactNode;
  /** What moves the focus to the screen's title again when it changes (a settings section). */
  focusKey?: string;
  /** The way back, when it is not to the inbox as it was left (a conversation to open again). */
  back?: { href: string; label: string };
  children: ReactNode;
}

export function AdminScreen({ name, nav, focusKey, back, children }: AdminScreenProps) {
  const { t } = useI18n();
  const { session } = useAuth();
  const me = useMe();
  useEffect(() => {
    document.querySelector<HTMLElement>(`.${name}-main h1`)?.focus();
  }, [name, focusKey]);
  return (
    <div className={`${name}-app`}>
      <header className="top-bar">
        <span className="brand">{t("app.title")}</span>
        <a className="button-link" href={back?.href ?? "#"}>
          {back?.label ?? t("settings.back")}
        </a>
        <span className="spacer" />
        <span className="muted user">{me.data?.email ?? me.data?.username ?? ""}</span>
        <LanguageSwitch />
        <button type="button" onClick={() => void session?.signOut()}>
          {t("auth.signOut")}
        </button>
      </header>
      {nav}
      <main className={`${name}-main`}>{children}</main>
    </div>
  );
}

/** The children for an admin; "loading" until the person is known, and `refusal` for an agent. */
export function AdminsOnly({ refusal, children }: { refusal: string; children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  if (me.isPending) return <p className="muted">{t("app.loading")}</p>;
  if (me.data?.role !== "admin") return <p className="error">{refusal}</p>;
  return <>{children}</>;
}
