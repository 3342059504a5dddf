import { useState, type FormEvent } from "react";
import { useI18n } from "../i18n/i18n";
import { defaultPort, MAIL_PRESETS, type ServerPreset, type Tls } from "./mailPresets";
import { errorText, useCreateIntegration, useTestConnection, type EmailIntegrationIn } from "./queries";

interface MailboxFields {
  name: string;
  address: string;
  username: string;
  password: string;
  imap: ServerPreset;
  smtp: ServerPreset;
  days: number;
}

const EMPTY: MailboxFields = {
  name: "",
  address: "",
  username: "",
  password: "",
  imap: { host: "", port: 993, tls: "implicit" },
  smtp: { host: "", port: 465, tls: "implicit" },
  days: 14,
};

function bodyOf(fields: MailboxFields): EmailIntegrationIn {
  const login = { username: fields.username || fields.address, password: fields.password };
  return {
    kind: "email",
    name: fields.name || fields.address,
    address: fields.address,
    auth: "password",
    imap: { ...fields.imap, ...login },
    smtp: { ...fields.smtp, ...login },
    initial_sync_days: fields.days,
  } as EmailIntegrationIn;
}

/** Connect a mailbox: servers from a preset or typed, tested before they can be saved. */
export function MailboxForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [fields, setFields] = useState<MailboxFields>(EMPTY);
  const [tested, setTested] = useState<string | null>(null); // the body the last passing test was of
  const test = useTestConnection();
  const create = useCreateIntegration();
  const body = bodyOf(fields);
  const current = JSON.stringify(body);
  const set = (change: Partial<MailboxFields>) => setFields((before) => ({ ...before, ...change }));

  const runTest = () =>
    test.mutate(body, {
      onSuccess: (check) => setTested(check.imap_ok && check.smtp_ok ? current : null),
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(body, { onSuccess: onDone });
  };
  const server = (which: "imap" | "smtp") => (
    <fieldset>
      <legend>{t(`settings.mail.${which}`)}</legend>
      <label>
        {t("settings.mail.host")}
        <input
          name={`${which}_host`}
          required
          maxLength={253}
          value={fields[which].host}
          onChange={(e) => set({ [which]: { ...fields[which], host: e.target.value.trim() } })}
        />
      </label>
      <label>
        {t("settings.mail.tls")}
        <select
          name={`${which}_tls`}
          value={fields[which].tls}
          onChange={(e) => {
            const tls = e.target.value as Tls;
            set({ [which]: { ...fields[which], tls, port: defaultPort(which, tls) } });
          }}
        >
          <option value="implicit">{t("settings.mail.tls.implicit")}</option>
          <option value="starttls">{t("settings.mail.tls.starttls")}</option>
          <option value="none">{t("settings.mail.tls.none")}</option>
        </select>
      </label>
      <label>
        {t("settings.mail.port")}
        <input
          name={`${which}_port`}
          type="number"
          min={1}
          max={65535}
          required
          value={fields[which].port}
          onChange={(e) => set({ [which]: { ...fields[which], port: Number(e.target.value) } })}
        />
      </label>
    </fieldset>
  );
  const check = test.data && JSON.stringify(test.variables) === current ? test.data : null;

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby="mailbox-title">
      <h2 id="mailbox-title">{t("settings.integrations.add.email")}</h2>
      <label>
        {t("settings.mail.address")}
        <input
          name="address"
          type="email"
          required
          maxLength={320}
          value={fields.address}
          onChange={(e) => set({ address: e.target.value.trim() })}
        />
      </label>
      <label>
        {t("settings.name")}
        <input
          name="name"
          maxLength={100}
          placeholder={fields.address}
          value={fields.name}
          onChange={(e) => set({ name: e.target.value })}
        />
      </label>
      <label>
        {t("settings.mail.preset")}
        <select
          name="preset"
          defaultValue=""
          onChange={(e) => {
            const preset = MAIL_PRESETS.find((p) => p.id === e.target.value);
            if (preset) set({ imap: { ...preset.imap }, smtp: { ...preset.smtp } });
          }}
        >
          <option value="">{t("settings.mail.preset.other")}</option>
          {MAIL_PRESETS.map((preset) => (
            <option key={preset.id} value={preset.id}>
              {preset.label}
            </option>
          ))}
        </select>
      </label>
      <div className="servers">
        {server("imap")}
        {server("smtp")}
      </div>
      <label>
        {t("settings.mail.username")}
        <input
          name="username"
          autoComplete="off"
          maxLength={320}
          placeholder={fields.address}
          value={fields.username}
          onChange={(e) => set({ username: e.target.value })}
        />
      </label>
      <label>
        {t("settings.mail.password")}
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          value={fields.password}
          onChange={(e) => set({ password: e.target.value })}
        />
        <span className="muted hint">{t("settings.mail.passwordHint")}</span>
      </label>
      <label>
        {t("settings.mail.days")}
        <input
          name="days"
          type="number"
          min={1}
          max={365}
          value={fields.days}
          onChange={(e) => set({ days: Number(e.target.value) })}
        />
      </label>
      <div className="form-actions">
        <button type="button" onClick={runTest} disabled={test.isPending || !fields.address || !fields.password}>
          {test.isPending ? t("settings.mail.testing") : t("settings.mail.test")}
        </button>
        <button type="submit" disabled={create.isPending || tested !== current}>
          {t("settings.save")}
        </button>
        <button type="button" onClick={onDone}>
          {t("settings.cancel")}
        </button>
      </div>
      {tested !== current && <p className="muted hint">{t("settings.mail.testFirst")}</p>}
      {check && (
        <ul className="connection-check" aria-live="polite">
          {(["imap", "smtp"] as const).map((which) => (
            <li key={which} className={check[`${which}_ok`] ? "ok" : "error"}>
              {t(`settings.mail.${which}`)}:{" "}
              {check[`${which}_ok`] ? t("settings.mail.ok") : (check[`${which}_error`] ?? t("settings.mail.failed"))}
            </li>
          ))}
        </ul>
      )}
      {(test.error || create.error) && (
        <p role="alert" className="error">
          {errorText(test.error ?? create.error, t)}
        </p>
      )}
    </form>
  );
}
