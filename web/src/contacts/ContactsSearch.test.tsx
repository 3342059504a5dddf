import { act } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import type { paths } from "../api/schema";
import { ApiContext } from "../api/queries";
import { I18nProvider } from "../i18n/i18n";
import { ContactsSearch } from "./ContactsSearch";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  document.body.innerHTML = "";
});

const at = "2026-12-01T10:00:00+00:00";
const ann = {
  id: "c1",
  name: "Ann",
  emails: ["ann@example.fr"],
  phones: [],
  company: "ACME",
  notes: null,
  merged_ids: [],
  created_at: at,
  updated_at: null,
};

async function mount() {
  const requests: string[] = [];
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    requests.push(`${url.pathname}${url.search}`);
    if (url.pathname === "/inbox/contacts") {
      const q = url.searchParams.get("q") ?? "";
      return Response.json({ items: "ann".startsWith(q.toLowerCase()) ? [ann] : [], next_cursor: null });
    }
    const conversation = {
      id: "v9",
      channel: "sms",
      integration_id: "i",
      contact_id: "c1",
      contact: { name: "Ann", email: null, phone: null },
      subject: null,
      status: "resolved",
      folder_id: null,
      folder: "inbox",
      assignee_id: null,
      unread: false,
      message_count: 1,
      preview: "Merci !",
      created_at: at,
      last_activity_at: at,
    };
    return Response.json({ contact: ann, conversations: [conversation], next_cursor: null });
  };
  const api = createClient<paths>({ baseUrl: "http://api.test", fetch });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const opened: string[] = [];
  const container = document.body.appendChild(document.createElement("div"));
  await act(async () =>
    createRoot(container).render(
      <QueryClientProvider client={queries}>
        <ApiContext.Provider value={api}>
          <I18nProvider language="en">
            <ContactsSearch onOpen={(id) => opened.push(id)} />
          </I18nProvider>
        </ApiContext.Provider>
      </QueryClientProvider>,
    ),
  );
  return { container, requests, opened };
}

async function settle(ms = 40) {
  await act(async () => new Promise((r) => setTimeout(r, ms)));
}

async function click(element: Element | null) {
  await act(async () => (element as HTMLElement).click());
  await settle();
}

describe("the customers' search", () => {
  it("finds a customer, shows their panel and opens one of their conversations", async () => {
    const { container, requests, opened } = await mount();
    await click(container.querySelector("button[name=customers]"));
    const dialog = document.querySelector("[role=dialog]")!;
    expect(dialog.querySelector("h2")!.textContent).toBe("Customers");
    const search = dialog.querySelector<HTMLInputElement>("input[type=search]")!;
    expect(document.activeElement).toBe(search);
    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(search, "an");
      search.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await settle(300);
    await settle();
    expect(requests.at(-1)).toBe("/inbox/contacts?q=an&limit=20");
    const [found] = [...dialog.querySelectorAll(".merge-candidate")];
    expect(found!.textContent).toContain("ann@example.fr · ACME");

    await click(found!);
    expect(dialog.querySelector(".contact-name")!.textContent).toBe("Ann");
    await click(dialog.querySelector('.contact-conversation[data-conversation-id="v9"]'));
    expect(opened).toEqual(["v9"]);
    expect(document.querySelector("[role=dialog]")).toBeNull();
  });
});
