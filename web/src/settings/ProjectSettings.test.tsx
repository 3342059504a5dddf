import { act } from "react";
import { describe, expect, it } from "vitest";
import type { Project } from "../projects/projects";
import { render, settle, type, until } from "../test/render";
import { ProjectSettings } from "./ProjectSettings";

const project = (id: string, name: string): Project => ({
  id,
  name,
  external_ref: null,
  url: null,
  archived: false,
  created_at: "2026-11-30T10:00:00Z",
  updated_at: "2026-11-30T10:00:00Z",
});

describe("ProjectSettings", () => {
  // What failed in CI (test_web_projects): the list's first read, asked before the add and answered
  // after it, was taken as the list after the add, and the new project's row did not show.
  it("shows a project added before the list's first read came back", async () => {
    const projects = [project("p1", "Garden")];
    let answerFirstRead = () => {};
    let reads = 0;
    const fetch = async (request: Request) => {
      if (request.method === "POST") {
        const body = (await request.json()) as { name: string };
        projects.unshift(project("p2", body.name));
        return Response.json(projects[0], { status: 201 });
      }
      reads += 1;
      const asked = [...projects]; // the list as it is when the read is asked
      if (reads === 1) await new Promise<void>((resolve) => (answerFirstRead = resolve));
      return Response.json({ items: asked, next_cursor: null });
    };
    const { container } = await render(<ProjectSettings />, fetch);
    const form = container.querySelector<HTMLFormElement>("form")!;
    const name = form.querySelector<HTMLInputElement>("[name=name]")!;
    await type(name, "Kitchen");
    await act(async () => void form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true })));
    // Added (the form is emptied once the API answered), while the first read is still unanswered.
    await act(async () => {
      for (let waited = 0; name.value !== "" && waited < 3000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    expect(name.value).toBe("");
    answerFirstRead();
    await settle();

    await until(() =>
      expect([...container.querySelectorAll(".project-list tbody th")].map((cell) => cell.textContent)).toEqual([
        "Kitchen",
        "Garden",
      ]),
    );
  });
});
