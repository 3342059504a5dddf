// Vitest only: mounting a component as the app does (TanStack Query, the API client, i18n) over a
// stubbed fetch, and acting as a person would. The app never imports it, so the build leaves it out.
import { act, type ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import { QueryClientProvider } from "@tanstack/react-query";
import createClient from "openapi-fetch";
import { afterEach } from "vitest";
import type { paths } from "../api/schema";
import { ApiContext } from "../api/queries";
import { AppQueryClient } from "../api/queryClient";
import { I18nProvider } from "../i18n/i18n";
import type { Language } from "../i18n/messages";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const roots: Root[] = [];

// Unmounted first, so what a test mounted (a dialog's listener on the document) goes with it.
afterEach(() => {
  act(() => roots.splice(0).forEach((root) => root.unmount()));
  document.body.innerHTML = "";
  inFlight = 0; // a request a test left unanswered does not hold the next test's settles
});

/** What the stubbed API answers a request with. */
export type StubFetch = (request: Request) => Promise<Response> | Response;

/** The API of a component that reads none: any request fails the test, naming what was asked. */
const noApi: StubFetch = (request) => {
  throw new Error(`this test stubs no API, yet ${request.method} ${request.url} was asked`);
};

/** `ui` inside the app's providers, its API answered by `fetch` (no retries; none given: no API), in a
 * new element of the page; the element and the query client (to invalidate, as a live update would). */
export async function render(ui: ReactNode, fetch: StubFetch = noApi, { language = "en" as Language } = {}) {
  const api = createClient<paths>({
    baseUrl: "http://api.test",
    fetch: async (request) => {
      inFlight += 1;
      try {
        return await fetch(request);
      } finally {
        inFlight -= 1;
      }
    },
  });
  const queries = new AppQueryClient({ defaultOptions: { queries: { retry: false } } });
  const container = document.body.appendChild(document.createElement("div"));
  const root = createRoot(container);
  roots.push(root);
  await act(async () =>
    root.render(
      <QueryClientProvider client={queries}>
        <ApiContext.Provider value={api}>
          <I18nProvider language={language}>{ui}</I18nProvider>
        </ApiContext.Provider>
      </QueryClientProvider>,
    ),
  );
  return { container, queries };
}

/** The stubbed requests asked and not yet answered. */
let inFlight = 0;

/** Lets the stubbed requests answer and React render what they brought: timer turns of 10 ms for `ms`
 * (more than a debounce's delay to let a debounced search run), then more while a request is still
 * unanswered (up to 5 s), as it may be on a loaded machine. */
export async function settle(ms = 50) {
  const turn = () => new Promise((r) => setTimeout(r, 10));
  await act(async () => {
    for (let waited = 0; waited < ms; waited += 10) await turn();
    for (let waited = 0; inFlight > 0 && waited < 5000; waited += 10) await turn();
    if (ms) await turn(); // what the last answer brought rendered
  });
}

/** A click as a person's, then whatever it asked of the API settled. */
export async function click(element: Element | null | undefined) {
  await act(async () => (element as HTMLElement).click());
  await settle();
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

/** Settles until `check` stops throwing (an `expect` that holds), for what arrives in its own time
 * on a loaded machine; its last failure after `ms`. */
export async function until(check: () => void, ms = 3000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (failure) {
      if (Date.now() > deadline) throw failure;
      await settle(10);
    }
  }
}
