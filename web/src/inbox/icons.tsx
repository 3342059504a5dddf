import type { Channel } from "../api/client";

// One small line icon per channel (24-unit viewBox, drawn with the text colour).
const PATHS: Record<Channel, string> = {
  email: "M3 6h18v12H3z M3 6l9 7 9-7",
  sms: "M4 5h16v11H9l-5 4z M8 10h8 M8 13h5",
  whatsapp: "M12 3a9 9 0 0 0-7.8 13.5L3 21l4.6-1.2A9 9 0 1 0 12 3z M9 8c0 4 3 7 7 7",
  custom: "M9 3v6 M15 3v6 M6 9h12v3a6 6 0 0 1-12 0z M12 18v3",
};

export function ChannelIcon({ channel, label }: { channel: Channel; label: string }) {
  return (
    <svg className="channel-icon" viewBox="0 0 24 24" role="img" aria-label={label} width="16" height="16">
      <title>{label}</title>
      <path d={PATHS[channel]} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
    </svg>
  );
}
