import { afterEach, describe, expect, it, vi } from "vitest";
import { CognitoClient, CognitoError, type Tokens } from "./cognito";
import { Session } from "./session";

const ENDPOINT = "http://cognito.test/";

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/x-amz-json-1.1" } });
}

function mockFetch(...answers: Response[]) {
  const calls: { target: string; body: Record<string, unknown> }[] = [];
  const fetchMock = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({ target: headers.get("x-amz-target") ?? "", body: JSON.parse(String(init?.body)) });
    const next = answers.shift();
    if (!next) throw new Error("unexpected call");
    return next;
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

const RESULT = { IdToken: "id", AccessToken: "access", RefreshToken: "refresh", ExpiresIn: 3600 };

afterEach(() => vi.unstubAllGlobals());

describe("CognitoClient", () => {
  it("signs in with USER_PASSWORD_AUTH and keeps the tokens' expiry", async () => {
    const calls = mockFetch(answer(200, { AuthenticationResult: RESULT }));
    const result = await new CognitoClient(ENDPOINT, "client", () => 1000).signIn("a@b.c", "secret");
    expect(result).toEqual({
      kind: "signedIn",
      tokens: { idToken: "id", accessToken: "access", refreshToken: "refresh", expiresAt: 1000 + 3600_000 },
    });
    expect(calls[0]).toEqual({
      target: "AWSCognitoIdentityProviderService.InitiateAuth",
      body: { ClientId: "client", AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "a@b.c", PASSWORD: "secret" } },
    });
  });

  it("answers the first sign-in's NEW_PASSWORD_REQUIRED challenge with the new password", async () => {
    const calls = mockFetch(
      answer(200, { ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "s1", ChallengeParameters: { USER_ID_FOR_SRP: "uuid-1" } }),
      answer(200, { AuthenticationResult: RESULT }),
    );
    const client = new CognitoClient(ENDPOINT, "client");
    const first = await client.signIn("a@b.c", "temporary");
    expect(first).toEqual({ kind: "newPasswordRequired", session: "s1", username: "uuid-1" });
    if (first.kind !== "newPasswordRequired") throw new Error("unreachable");
    const second = await client.setNewPassword(first.session, first.username, "A-new-Password-1");
    expect(second.kind).toBe("signedIn");
    expect(calls[1]!.body).toEqual({
      ClientId: "client",
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      Session: "s1",
      ChallengeResponses: { USERNAME: "uuid-1", NEW_PASSWORD: "A-new-Password-1" },
    });
  });

  it("names Cognito's refusal by its exception", async () => {
    mockFetch(answer(400, { __type: "NotAuthorizedException", message: "Incorrect username or password." }));
    const refused = await new CognitoClient(ENDPOINT, "client").signIn("a@b.c", "wrong").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CognitoError);
    expect((refused as CognitoError).code).toBe("NotAuthorizedException");
  });

  it("asks for a code and sets the new password with it", async () => {
    const calls = mockFetch(answer(200, { CodeDeliveryDetails: { Destination: "a***@b.c" } }), answer(200, {}));
    const client = new CognitoClient(ENDPOINT, "client");
    expect(await client.forgotPassword("a@b.c")).toBe("a***@b.c");
    await client.confirmForgotPassword("a@b.c", "123456", "A-new-Password-1");
    expect(calls.map((c) => c.target.split(".")[1])).toEqual(["ForgotPassword", "ConfirmForgotPassword"]);
    expect(calls[1]!.body).toMatchObject({ Username: "a@b.c", ConfirmationCode: "123456", Password: "A-new-Password-1" });
  });
});

describe("Session", () => {
  const tokens = (expiresAt: number): Tokens => ({ idToken: "old", accessToken: "a", refreshToken: "r", expiresAt });

  it("refreshes once for every caller when the token is about to expire", async () => {
    let now = 0;
    const calls = mockFetch(answer(200, { AuthenticationResult: { IdToken: "new", AccessToken: "a2", ExpiresIn: 3600 } }));
    const session = new Session(new CognitoClient(ENDPOINT, "c", () => now), tokens(120_000), () => {}, () => now);
    expect(await session.idToken()).toBe("old");
    now = 90_000; // within a minute of the end
    expect(await Promise.all([session.idToken(), session.idToken()])).toEqual(["new", "new"]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toMatchObject({ AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: "r" } });
  });

  it("ends when the refresh is refused, and on sign-out forgets the tokens", async () => {
    mockFetch(answer(400, { __type: "NotAuthorizedException" }), answer(200, {}));
    const ended: string[] = [];
    const session = new Session(new CognitoClient(ENDPOINT, "c"), tokens(0), (reason) => ended.push(reason));
    await expect(session.idToken()).rejects.toBeInstanceOf(CognitoError);
    expect(ended).toEqual(["expired"]);
    await expect(session.idToken()).rejects.toThrow("signed out");
  });
});
