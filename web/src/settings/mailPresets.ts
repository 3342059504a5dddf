// Common providers' servers, to fill a mailbox's form; a person can still change every field.
export type Tls = "implicit" | "starttls" | "none";
export interface ServerPreset {
  host: string;
  port: number;
  tls: Tls;
}
export interface MailPreset {
  id: "gmail" | "outlook" | "ovh";
  label: string;
  imap: ServerPreset;
  smtp: ServerPreset;
}

export const MAIL_PRESETS: readonly MailPreset[] = [
  {
    id: "gmail",
    label: "Gmail / Google Workspace",
    imap: { host: "imap.gmail.com", port: 993, tls: "implicit" },
    smtp: { host: "smtp.gmail.com", port: 465, tls: "implicit" },
  },
  {
    id: "outlook",
    label: "Outlook / Microsoft 365",
    imap: { host: "outlook.office365.com", port: 993, tls: "implicit" },
    smtp: { host: "smtp.office365.com", port: 587, tls: "starttls" },
  },
  {
    id: "ovh",
    label: "OVHcloud",
    imap: { host: "ssl0.ovh.net", port: 993, tls: "implicit" },
    smtp: { host: "ssl0.ovh.net", port: 465, tls: "implicit" },
  },
];

/** The usual port of a TLS mode, for when a person changes the mode. */
export function defaultPort(server: "imap" | "smtp", tls: Tls): number {
  if (server === "imap") return tls === "implicit" ? 993 : 143;
  return tls === "implicit" ? 465 : tls === "starttls" ? 587 : 25;
}
