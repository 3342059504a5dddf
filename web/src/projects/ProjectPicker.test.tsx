import { act } from "react";
import { describe, expect, it } from "vitest";
import { render, settle, type } from "../test/render";
import { ProjectPicker } from "./ProjectPicker";
import type { Project } from "./projects";

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
  const { container } = await render(<ProjectPicker current={current} onPick={(id) => picked.push(id)} />, fetch);
  await settle();
  return { container, picked };
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
