import { CognitoClient, CognitoError, type Tokens } from "./cognito";

/** Refresh this long before the tokens expire, so a request never leaves with a dying token. */
const EARLY_MS = 60_000;

/**
 * One signed-in user's tokens, in memory only (a reload signs out). `idToken()` refreshes when the
 * tokens are about to expire, once for all callers; a refused refresh ends the session.
 */
export class Session {
  private tokens: Tokens;
  private refreshing: Promise<Tokens> | null = null;
  private ended = false;

  constructor(
    private readonly cognito: CognitoClient,
    tokens: Tokens,
    private readonly onEnd: (reason: "signedOut" | "expired") => void,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = tokens;
  }

  /** The claims of the ID token (not verified here: the API does that). */
  get claims(): Record<string, unknown> {
    return decodeJwtPayload(this.tokens.idToken);
  }

  async idToken(): Promise<string> {
    if (this.ended) throw new CognitoError("NotAuthorizedException", "signed out");
    if (this.now() < this.tokens.expiresAt - EARLY_MS) return this.tokens.idToken;
    return (await this.refresh()).idToken;
  }

  refresh(): Promise<Tokens> {
    this.refreshing ??= this.cognito
      .refresh(this.tokens.refreshToken)
      .then((tokens) => {
        this.tokens = tokens;
        return tokens;
      })
      .catch((error: unknown) => {
        if (error instanceof CognitoError && error.code !== "network") this.end("expired");
        throw error;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  async signOut(): Promise<void> {
    const refreshToken = this.tokens.refreshToken;
    this.end("signedOut");
    await this.cognito.revoke(refreshToken).catch(() => undefined);
  }

  /** The API refused the token: end the session (the user signs in again). */
  expire(): void {
    this.end("expired");
  }

  private end(reason: "signedOut" | "expired"): void {
    if (this.ended) return;
    this.ended = true;
    this.tokens = { idToken: "", accessToken: "", refreshToken: "", expiresAt: 0 };
    this.onEnd(reason);
  }
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) return {};
  try {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}
