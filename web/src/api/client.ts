import createClient, { type Middleware } from "openapi-fetch";
import type { Session } from "../auth/session";
import type { components, paths } from "./schema";

export type ApiClient = ReturnType<typeof createClient<paths>>;
export type Schemas = components["schemas"];
export type Conversation = Schemas["ConversationOut"];
export type ConversationDetail = Schemas["ConversationDetail"];
export type Message = Schemas["MessageOut"];
export type Note = Schemas["NoteOut"];
export type Folder = Schemas["FolderOut"];
export type Status = Schemas["Status"];
export type Channel = Schemas["Channel"];
export type Party = Schemas["Party"];

export const STATUSES: readonly Status[] = ["new", "open", "urgent", "resolved", "archived", "spam"];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
    this.name = "ApiError";
  }
}

/** The typed API client of one session: every request carries its ID token (refreshed when due);
 * a 401 ends the session. */
export function apiClient(baseUrl: string, session: Session): ApiClient {
  const client = createClient<paths>({ baseUrl });
  const auth: Middleware = {
    async onRequest({ request }) {
      request.headers.set("authorization", `Bearer ${await session.idToken()}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) session.expire();
      return response;
    },
  };
  client.use(auth);
  return client;
}

/** The data of an openapi-fetch answer, or an ApiError for TanStack Query to hold. */
export function dataOf<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    throw new ApiError(result.response.status, result.error);
  }
  return result.data;
}
