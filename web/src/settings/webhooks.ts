// Where integrations' webhooks are to be sent, and a custom webhook's secret.

/** The API's origin: /config.json's apiBaseUrl, or the app's own when it is empty. */
export function apiOrigin(apiBaseUrl: string, appOrigin: string): string {
  return (apiBaseUrl || appOrigin).replace(/\/+$/, "");
}

/** A full URL of an API path such as `/inbox/webhooks/sms`. */
export function webhookUrl(origin: string, path: string): string {
  return `${origin.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** The order Vonage's dashboard asks for them, with their full URLs. */
export const VONAGE_HOOKS = ["sms_inbound", "messages_inbound", "messages_status"] as const;
export type VonageHook = (typeof VONAGE_HOOKS)[number];

export function vonageWebhookUrls(origin: string, paths: Record<string, string>): { hook: VonageHook; url: string }[] {
  return VONAGE_HOOKS.flatMap((hook) => {
    const path = paths[hook];
    return path ? [{ hook, url: webhookUrl(origin, path) }] : [];
  });
}

/** A new signing secret, made in the browser: 32 random bytes in hex after `whsec_` (the API takes 24 to 256
 * characters). Shown once, when the webhook is created; the API never gives it back. */
export function newWebhookSecret(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(32));
  return `whsec_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** How a sender signs a message (`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`), as shell. */
export function signingExample(url: string): string {
  return [
    `BODY='{"external_id":"order-42","from":{"name":"Ana","email":"ana@example.com"},"text":"Hello!"}'`,
    `T=$(date +%s)`,
    `SIG=$(printf '%s' "$T.$BODY" | openssl dgst -sha256 -hmac "$SECRET" | cut -d' ' -f2)`,
    `curl -X POST -H 'Content-Type: application/json' -H "X-Inbox-Signature: t=$T,v1=$SIG" -d "$BODY" '${url}'`,
  ].join("\n");
}
