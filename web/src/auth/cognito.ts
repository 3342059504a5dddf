// Cognito's user pool JSON API, called with fetch: the calls a public app client may make without
// AWS credentials. Passwords go to Cognito and nowhere else; nothing here is stored.

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** Milliseconds since the epoch when the ID and access tokens expire. */
  expiresAt: number;
}

export type SignInResult =
  | { kind: "signedIn"; tokens: Tokens }
  | { kind: "newPasswordRequired"; session: string; username: string };

export class CognitoError extends Error {
  constructor(
    /** Cognito's exception name (NotAuthorizedException…), or "network". */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "CognitoError";
  }
}

interface AuthenticationResult {
  IdToken: string;
  AccessToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
}

interface AuthResponse {
  AuthenticationResult?: AuthenticationResult;
  ChallengeName?: string;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
}

export class CognitoClient {
  constructor(
    private readonly endpoint: string,
    private readonly clientId: string,
    private readonly now: () => number = Date.now,
  ) {}

  async signIn(email: string, password: string): Promise<SignInResult> {
    const response = await this.call<AuthResponse>("InitiateAuth", {
      ClientId: this.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    return this.outcome(response, email);
  }

  /** The answer to NEW_PASSWORD_REQUIRED: a user an admin created signs in for the first time. */
  async setNewPassword(session: string, username: string, newPassword: string): Promise<SignInResult> {
    const response = await this.call<AuthResponse>("RespondToAuthChallenge", {
      ClientId: this.clientId,
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      Session: session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
    });
    return this.outcome(response, username);
  }

  async refresh(refreshToken: string): Promise<Tokens> {
    const response = await this.call<AuthResponse>("InitiateAuth", {
      ClientId: this.clientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    if (!response.AuthenticationResult) throw new CognitoError("NotAuthorizedException", "refresh refused");
    return this.tokens(response.AuthenticationResult, refreshToken);
  }

  /** Sends a code to the user's address; returns where it went (masked), when Cognito says. */
  async forgotPassword(email: string): Promise<string | null> {
    const response = await this.call<{ CodeDeliveryDetails?: { Destination?: string } }>("ForgotPassword", {
      ClientId: this.clientId,
      Username: email,
    });
    return response.CodeDeliveryDetails?.Destination ?? null;
  }

  async confirmForgotPassword(email: string, code: string, newPassword: string): Promise<void> {
    await this.call("ConfirmForgotPassword", {
      ClientId: this.clientId,
      Username: email,
      ConfirmationCode: code,
      Password: newPassword,
    });
  }

  /** Ends this sign-in's refresh token; the app forgets the tokens whatever Cognito answers. */
  async revoke(refreshToken: string): Promise<void> {
    await this.call("RevokeToken", { ClientId: this.clientId, Token: refreshToken });
  }

  private outcome(response: AuthResponse, username: string): SignInResult {
    if (response.AuthenticationResult) {
      return { kind: "signedIn", tokens: this.tokens(response.AuthenticationResult) };
    }
    if (response.ChallengeName === "NEW_PASSWORD_REQUIRED" && response.Session) {
      const id = response.ChallengeParameters?.USER_ID_FOR_SRP ?? username;
      return { kind: "newPasswordRequired", session: response.Session, username: id };
    }
    throw new CognitoError(response.ChallengeName ?? "UnknownChallenge", "this sign-in step is not supported");
  }

  private tokens(result: AuthenticationResult, refreshToken?: string): Tokens {
    const refresh = result.RefreshToken ?? refreshToken;
    if (!refresh) throw new CognitoError("NoRefreshToken", "Cognito gave no refresh token");
    return {
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      refreshToken: refresh,
      expiresAt: this.now() + result.ExpiresIn * 1000,
    };
  }

  private async call<T>(action: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AWSCognitoIdentityProviderService.${action}`,
        },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new CognitoError("network", String(error));
    }
    const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const type = String(data.__type ?? data.code ?? `HTTP${response.status}`);
      throw new CognitoError(type.split("#").pop() ?? type, String(data.message ?? data.Message ?? ""));
    }
    return data as T;
  }
}
