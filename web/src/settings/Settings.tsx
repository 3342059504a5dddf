import { useEffect, useState } from "react";
import { AdminScreen, AdminsOnly } from "../admin/AdminScreen";
import { useMe } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { SAVED_REPLIES_HASH } from "../savedReplies/savedReplies";
import { AiSettingsScreen } from "./AiSettings";
import { BusinessHoursSettings } from "./BusinessHoursSettings";
import { FolderSettings } from "./FolderSettings";
import { IntegrationSettings } from "./IntegrationSettings";
import { KnowledgeSettings } from "./KnowledgeSettings";
import { PeopleSettings } from "./PeopleSettings";
import { ProjectSettings } from "./ProjectSettings";
import { WebhookSettings } from "./WebhookSettings";

export const SETTINGS_HASH = "#settings";
const SECTIONS = ["integrations", "folders", "ai", "knowledge", "people", "projects", "hours", "webhooks"] as const;
type Section = (typeof SECTIONS)[number];

/** The location's hash, followed as it changes: `#settings/<section>` is the settings, anything else the inbox. */
export function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const follow = () => setHash(window.location.hash);
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);
  return hash;
}

export function isSettingsHash(hash: string): boolean {
  return hash === SETTINGS_HASH || hash.startsWith(`${SETTINGS_HASH}/`);
}

function sectionOf(hash: string): Section {
  const name = hash.slice(SETTINGS_HASH.length + 1);
  return (SECTIONS as readonly string[]).includes(name) ? (name as Section) : "integrations";
}

/** The header's way in: admins only (agents have no settings to change). */
export function SettingsLink() {
  const { t } = useI18n();
  const me = useMe();
  if (me.data?.role !== "admin") return null;
  return (
    <a className="button-link" href={SETTINGS_HASH}>
      {t("settings.title")}
    </a>
  );
}

/** The settings screens of an admin: integrations, folders, AI, the knowledge base, the people. */
export function Settings({ apiBaseUrl, hash }: { apiBaseUrl: string; hash: string }) {
  const { t } = useI18n();
  const section = sectionOf(hash);
  return (
    <AdminScreen name="settings" nav={<SettingsNav section={section} />} focusKey={section}>
      <AdminsOnly refusal={t("settings.adminsOnly")}>
        <SettingsSection apiBaseUrl={apiBaseUrl} section={section} />
      </AdminsOnly>
    </AdminScreen>
  );
}

/** The sections, then the saved replies: a screen of everyone's own, yet where an admin looking for the
 * team's canned answers expects them (issue 16, leftovers); the link leaves Settings for it. */
function SettingsNav({ section }: { section: Section }) {
  const { t } = useI18n();
  return (
    <nav className="settings-nav" aria-label={t("settings.title")}>
      <ul>
        {SECTIONS.map((name) => (
          <li key={name}>
            <a
              className="pane-item"
              href={`${SETTINGS_HASH}/${name}`}
              aria-current={name === section ? "page" : undefined}
            >
              {t(`settings.section.${name}`)}
            </a>
          </li>
        ))}
        <li>
          <a className="pane-item" href={SAVED_REPLIES_HASH}>
            {t("savedReplies.title")}
          </a>
        </li>
      </ul>
    </nav>
  );
}

function SettingsSection({ apiBaseUrl, section }: { apiBaseUrl: string; section: Section }) {
  return section === "integrations" ? (
    <IntegrationSettings apiBaseUrl={apiBaseUrl} />
  ) : section === "folders" ? (
    <FolderSettings />
  ) : section === "knowledge" ? (
    <KnowledgeSettings />
  ) : section === "people" ? (
    <PeopleSettings />
  ) : section === "projects" ? (
    <ProjectSettings />
  ) : section === "hours" ? (
    <BusinessHoursSettings />
  ) : section === "webhooks" ? (
    <WebhookSettings />
  ) : (
    <AiSettingsScreen />
  );
}
