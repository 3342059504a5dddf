/** What the app learns at run time from `/config.json`, served next to it (by the local stack, or
 * written into the bucket by the deploy): where the API and the user pool are. */
export interface AppConfig {
  /** The API's origin, "" when it is the app's own (the local stack serves both). */
  apiBaseUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Cognito's JSON API: https://cognito-idp.<region>.amazonaws.com/ on AWS, moto locally. */
  cognitoEndpoint: string;
  /** The WebSocket API of live updates (ws:// locally, wss:// on AWS); the app works without. */
  websocketUrl?: string;
}

export async function loadConfig(url = "/config.json"): Promise<AppConfig> {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const config = (await response.json()) as Partial<AppConfig>;
  for (const key of ["userPoolClientId", "cognitoEndpoint"] as const) {
    if (!config[key]) throw new Error(`${url} has no ${key}`);
  }
  return { apiBaseUrl: "", region: "", userPoolId: "", ...config } as AppConfig;
}
