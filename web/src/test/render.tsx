// Vitest only: mounting a component as the app does (TanStack Query, the API client, i18n) over a
// stubbed fetch, and acting as a person would. The app never imports it, so the build leaves it out.
import { act, type ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import createClient from "openapi-fetch";
import { afterEach } from "vitest";
import type { paths } from "../api/schema";
import { ApiContext } from "../api/queries";
import { I18nProvider } from "../i18n/i18n";
import type { Language } from "../i18n/messages";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  document.body.innerHTML = "";
});

/** What the stubbed API answers a request with. */
export type StubFetch = (request: Request) => Promise<Response> | Response;

/** `ui` inside the app's providers, its API answered by `fetch` (no retries), in a new element of the
 * page; the element and the query client (to invalidate, as a live update would). */
export async function render(ui: ReactNode, fetch: StubFetch, { language = "en" as Language } = {}) {
  const api = createClient<paths>({ baseUrl: "http://api.test", fetch: async (request) => fetch(request) });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const container = document.body.appendChild(document.createElement("div"));
  await act(async () =>
    createRoot(container).render(
      <QueryClientProvider client={queries}>
        <ApiContext.Provider value={api}>
          <I18nProvider language={language}>{ui}</I18nProvider>
        </ApiContext.Provider>
      </QueryClientProvider>,
    ),
  );
  return { container, queries };
}

/** Lets the stubbed requests answer and React render what they brought (a few timer turns). */
export async function settle() {
  await act(async () => {
    for (let n = 0; n < 5; n++) await new Promise((r) => setTimeout(r, 10));
  });
}

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A value typed (or chosen) as a person would: React reads it through the element's own setter. */
export async function type(element: Field, value: string) {
  const prototype =
    element instanceof HTMLSelectElement
      ? HTMLSelectElement.prototype
      : element instanceof HTMLTextAreaElement
        ? HTMLTextAreaElement.prototype
        : HTMLInputElement.prototype;
  await act(async () => {
    Object.getOwnPropertyDescriptor(prototype, "value")!.set!.call(element, value);
    element.dispatchEvent(new Event(element instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
}
