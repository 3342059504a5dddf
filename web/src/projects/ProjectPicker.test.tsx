import { act } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import type { paths } from "../api/schema";
import { ApiContext } from "../api/queries";
import { I18nProvider } from "../i18n/i18n";
import { ProjectPicker } from "./ProjectPicker";
import type { Project } from "./projects";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  document.body.innerHTML = "";
});

const project = (id: string, name: string, more: Partial<Project> = {}): Project => ({
  id,
  name,
  external_ref: null,
  url: null,
  archived: false,
  created_at: "2026-11-30T10:00:00Z",
  updated_at: "2026-11-30T10:00:00Z",
  ...more,
});

/** The picker over an API holding `projects`; `picked` records what it linked. */
async function mount(projects: Project[], current: string | null) {
  const picked: (string | null)[] = [];
  const fetch = async (request: Request) => {
    if (request.method === "POST") {
      const body = (await request.json()) as { name: string; external_ref: string | null };
      projects.unshift(project(`p${projects.length + 1}`, body.name, { external_ref: body.external_ref }));
      return Response.json(projects[0], { status: 201 });
    }
    return Response.json({ items: projects, next_cursor: null });
  };
  const api = createClient<paths>({ baseUrl: "http://api.test", fetch });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const container = document.body.appendChild(document.createElement("div"));
  await act(async () =>
    createRoot(container).render(
      <QueryClientProvider client={queries}>
        <ApiContext.Provider value={api}>
          <I18nProvider language="en">
            <ProjectPicker current={current} onPick={(id) => picked.push(id)} />
          </I18nProvider>
        </ApiContext.Provider>
      </QueryClientProvider>,
    ),
  );
  await settle();
  return { container, picked };
}

async function settle() {
  await act(async () => new Promise((r) => setTimeout(r, 40)));
}

async function type(element: HTMLInputElement | HTMLSelectElement, value: string) {
  const prototype = element instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  await act(async () => {
    Object.getOwnPropertyDescriptor(prototype, "value")!.set!.call(element, value);
    element.dispatchEvent(new Event(element instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
}

const options = (select: HTMLSelectElement) => [...select.options].map((option) => option.textContent);

describe("ProjectPicker", () => {
  it("shows the linked project with its link, and offers the active projects but not the archived ones", async () => {
    const projects = [
      project("p3", "Roof", { archived: true }),
      project("p2", "Kitchen", { external_ref: "JOB-7", url: "https://erp.example.com/jobs/7" }),
      project("p1", "Garden"),
    ];
    const { container, picked } = await mount(projects, "p2");
    const select = container.querySelector<HTMLSelectElement>("select[name=project]")!;
    expect(select.value).toBe("p2");
    expect(options(select)).toEqual(["No project", "Kitchen (JOB-7)", "Garden", "New project…"]);
    expect(container.querySelector("a")!.textContent).toBe("Open in erp.example.com");
    expect(container.querySelector("a")!.getAttribute("rel")).toBe("noopener noreferrer");

    await type(select, "");
    expect(picked).toEqual([null]);
  });

  it("creates a project on the spot and links it", async () => {
    const { container, picked } = await mount([project("p1", "Garden")], null);
    await type(container.querySelector<HTMLSelectElement>("select[name=project]")!, "__new__");
    const form = container.querySelector<HTMLFormElement>("form")!;
    await type(form.querySelector<HTMLInputElement>("[name=project-name]")!, "Bathroom");
    await type(form.querySelector<HTMLInputElement>("[name=project-reference]")!, "JOB-9");
    await act(async () => void form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true })));
    await settle();
    expect(picked).toEqual(["p2"]);
    expect(container.querySelector("form")).toBeNull();
  });
});
