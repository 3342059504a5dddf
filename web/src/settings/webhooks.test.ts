import { describe, expect, it } from "vitest";
import { apiOrigin, newWebhookSecret, signingExample, vonageWebhookUrls, webhookUrl } from "./webhooks";

describe("webhook URLs", () => {
  it("are on the API's origin from /config.json, or the app's own when it is empty", () => {
    expect(apiOrigin("https://abc.execute-api.eu-west-3.amazonaws.com/", "https://app.example")).toBe(
      "https://abc.execute-api.eu-west-3.amazonaws.com",
    );
    expect(apiOrigin("", "http://127.0.0.1:3000")).toBe("http://127.0.0.1:3000");
    expect(webhookUrl("http://127.0.0.1:3000/", "/inbox/webhooks/custom/01ab")).toBe(
      "http://127.0.0.1:3000/inbox/webhooks/custom/01ab",
    );
  });

  it("for Vonage: SMS inbound, then the Messages application's inbound and status", () => {
    const paths = {
      messages_status: "/inbox/webhooks/status",
      sms_inbound: "/inbox/webhooks/sms",
      messages_inbound: "/inbox/webhooks/whatsapp",
    };
    expect(vonageWebhookUrls("https://api.example", paths)).toEqual([
      { hook: "sms_inbound", url: "https://api.example/inbox/webhooks/sms" },
      { hook: "messages_inbound", url: "https://api.example/inbox/webhooks/whatsapp" },
      { hook: "messages_status", url: "https://api.example/inbox/webhooks/status" },
    ]);
  });
});

describe("a custom webhook's secret", () => {
  it("is 32 random bytes in hex, long enough for the API (24 to 256 characters)", () => {
    const secret = newWebhookSecret((bytes) => bytes.fill(0xab));
    expect(secret).toBe(`whsec_${"ab".repeat(32)}`);
    const real = newWebhookSecret();
    expect(real).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(real).not.toBe(newWebhookSecret());
  });

  it("signs as the API checks: t=<seconds>,v1=HMAC-SHA256 of '<t>.<body>'", () => {
    const example = signingExample("https://api.example/inbox/webhooks/custom/01ab");
    expect(example).toContain(`printf '%s' "$T.$BODY" | openssl dgst -sha256 -hmac "$SECRET"`);
    expect(example).toContain("X-Inbox-Signature: t=$T,v1=$SIG");
    expect(example).toContain("'https://api.example/inbox/webhooks/custom/01ab'");
  });
});
