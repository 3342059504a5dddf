// The browser's side of alerts: notifications, a short beep, the favicon's badge. Not unit-tested
// (no Notification, AudioContext or canvas in jsdom); what to alert of is decided in notifications.ts.
import { badgeText } from "./notifications";

export function notificationsSupported(): boolean {
  return typeof window !== "undefined" && "Notification" in window;
}

export function notificationPermission(): NotificationPermission | "unsupported" {
  return notificationsSupported() ? Notification.permission : "unsupported";
}

/** Asks for the permission: only ever called from a click, as browsers require (and users prefer). */
export async function askNotificationPermission(): Promise<NotificationPermission | "unsupported"> {
  if (!notificationsSupported()) return "unsupported";
  if (Notification.permission !== "default") return Notification.permission;
  return Notification.requestPermission();
}

/** Shows a notification; a click brings the app forward and runs `onClick`. One per conversation
 * at a time (`tag`): a second message replaces the first's notification. */
export function showNotification(title: string, body: string, tag: string, onClick: () => void): void {
  if (notificationPermission() !== "granted") return;
  try {
    const notification = new Notification(title, { body, tag, icon: faviconLink()?.href });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  } catch {
    // Some browsers (Android's Chrome) allow notifications from a service worker only.
  }
}

let audio: AudioContext | null = null;

/** Creates (or resumes) the audio context during a click, so that later beeps are allowed to play. */
export function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") void audio.resume();
  } catch {
    audio = null;
  }
}

/** Two short tones, generated: no audio file to load. */
export function beep(): void {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.12, 1320],
    ] as const) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.1);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.11);
    }
  } catch {
    // No audio (or not allowed yet): the notification says it anyway.
  }
}

function faviconLink(): HTMLLinkElement | null {
  return document.querySelector<HTMLLinkElement>('link[rel="icon"]');
}

/** The favicon: an envelope, with a red badge holding the unread count when there is one. */
export function drawFavicon(unread: number): void {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const context = canvas.getContext("2d");
  if (!context) return;
  context.fillStyle = "#2457c5";
  context.beginPath();
  context.roundRect(2, 10, 60, 44, 8);
  context.fill();
  context.strokeStyle = "#ffffff";
  context.lineWidth = 5;
  context.beginPath();
  context.moveTo(10, 20);
  context.lineTo(32, 36);
  context.lineTo(54, 20);
  context.stroke();
  const text = badgeText(unread);
  if (text) {
    const radius = text.length > 2 ? 22 : 18;
    context.fillStyle = "#d42020";
    context.beginPath();
    context.arc(64 - radius, radius, radius, 0, 2 * Math.PI);
    context.fill();
    context.fillStyle = "#ffffff";
    context.font = `bold ${text.length > 2 ? 20 : 26}px sans-serif`;
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.fillText(text, 64 - radius, radius + 1);
  }
  let link = faviconLink();
  if (!link) {
    link = document.createElement("link");
    link.rel = "icon";
    document.head.append(link);
  }
  link.href = canvas.toDataURL("image/png");
  link.dataset.unread = String(unread);
}
