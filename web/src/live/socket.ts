import { reconnectDelay } from "./backoff";
import { parseLiveEvent, type LiveEvent } from "./events";

export type LiveStatus = "connecting" | "online" | "reconnecting";

export interface LiveSocketOptions {
  /** The WebSocket API's URL, without the token. */
  url: string;
  /** The current ID token (the session refreshes it when it is due). */
  token: () => Promise<string>;
  /** Forces a new ID token: called when attempts fail before the socket ever opens. */
  refreshToken: () => Promise<unknown>;
  onEvent: (event: LiveEvent) => void;
  onStatus: (status: LiveStatus) => void;
  /** Called when the socket opens again after a drop: what changed meanwhile was not told. */
  onReconnected: () => void;
}

/** API Gateway closes a socket silent for 10 minutes: a ping every 5 keeps it. */
const PING_MS = 5 * 60_000;
/** Failed attempts in a row (never opened) after which the token is refreshed, once: `$connect` may
 * have refused it (a browser is not told why a WebSocket failed). */
const REFRESH_AFTER = 2;

/** One signed-in app's socket: connects with the current token, reconnects after a drop with
 * exponential backoff and jitter (at once when the browser comes back online), and stops for good
 * on `close()`. */
export class LiveSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private failedInARow = 0;
  private everOpened = false;
  private closed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: LiveSocketOptions) {}

  start(): void {
    window.addEventListener("online", this.reconnectNow);
    void this.connect();
  }

  close(): void {
    this.closed = true;
    window.removeEventListener("online", this.reconnectNow);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.socket?.close(1000);
    this.socket = null;
  }

  private reconnectNow = () => {
    if (this.closed || this.socket?.readyState === WebSocket.OPEN) return;
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    void this.connect();
  };

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.options.onStatus(this.everOpened ? "reconnecting" : "connecting");
    let token: string;
    try {
      if (this.failedInARow === REFRESH_AFTER) await this.options.refreshToken(); // once per streak
      token = await this.options.token();
    } catch {
      this.retry(); // offline, or the session ended (then close() follows)
      return;
    }
    if (this.closed) return;
    const separator = this.options.url.includes("?") ? "&" : "?";
    const socket = new WebSocket(`${this.options.url}${separator}token=${encodeURIComponent(token)}`);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.failedInARow = 0;
      this.options.onStatus("online");
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => socket.send(JSON.stringify({ action: "ping" })), PING_MS);
      if (reconnected) this.options.onReconnected();
    };
    socket.onmessage = (message) => {
      const event = parseLiveEvent(message.data);
      if (event) this.options.onEvent(event);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearInterval(this.pingTimer);
      if (!opened) this.failedInARow += 1;
      this.retry();
    };
  }

  private retry(): void {
    if (this.closed) return;
    this.options.onStatus(this.everOpened ? "reconnecting" : "connecting");
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), reconnectDelay(this.attempt));
    this.attempt += 1;
  }
}
