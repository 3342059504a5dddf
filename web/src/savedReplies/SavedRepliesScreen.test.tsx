import { describe, expect, it } from "vitest";
import { click, render, settle, type } from "../test/render";
import { SavedReplies } from "./SavedRepliesScreen";

const reply = (id: string, title: string, scope: string) => ({
  id,
  scope,
  owner_id: "u1",
  title,
  text: `${title}: Bonjour {{contact.first_name}}`,
  created_at: "2026-12-01T10:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
});

/** The screen for a person of `role`, over an API that lists two replies and records what is posted. */
async function mount(role: "admin" | "agent", language: "en" | "fr" = "en") {
  const posted: unknown[] = [];
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path.endsWith("/me")) return Response.json({ user_id: "u1", tenant_id: "t1", role });
    if (request.method === "POST") {
      posted.push(await request.json());
      return Response.json(reply("r3", "New", "team"), { status: 201 });
    }
    return Response.json({
      items: [reply("r1", "Horaires", "team"), reply("r2", "Ma signature", "personal")],
      placeholders: ["contact.first_name", "agent.name"],
    });
  };
  const { container } = await render(<SavedReplies />, fetch, { language });
  await settle();
  return { container, posted };
}

const buttons = (element: Element) => [...element.querySelectorAll("button")].map((b) => b.textContent);

describe("the saved replies' screen", () => {
  it("lets an agent change their own replies only, and write personal ones", async () => {
    const { container } = await mount("agent");
    const [team, mine] = container.querySelectorAll(".saved-reply");
    expect(team!.querySelector("h3")!.textContent).toBe("Horaires");
    expect(buttons(team!)).toEqual([]);
    expect(buttons(mine!)).toEqual(["Edit", "Delete"]);
    expect(container.querySelector("input[name=scope]")).toBeNull();
  });

  it("lets an admin write one for the team, a placeholder inserted from the menu", async () => {
    const { container, posted } = await mount("admin");
    const form = container.querySelector("form")!;
    await type(form.querySelector("input[name=title]")!, "Délais");
    await type(form.querySelector("textarea")!, "Bonjour ");
    await type(form.querySelector("select")!, "agent.name"); // arrow keys on a select change it as they go:
    await type(form.querySelector("select")!, "contact.first_name"); // choosing inserts nothing yet
    expect(form.querySelector("textarea")!.value).toBe("Bonjour ");
    await click([...form.querySelectorAll("button")].find((b) => b.textContent === "Insert"));
    expect(form.querySelector("textarea")!.value).toBe("Bonjour {{contact.first_name}}");
    await click(form.querySelector("input[value=team]"));
    await click([...form.querySelectorAll("button")].find((b) => b.textContent === "Save the reply"));
    expect(posted).toEqual([{ title: "Délais", text: "Bonjour {{contact.first_name}}", scope: "team" }]);
  });

  it("speaks French", async () => {
    const { container } = await mount("admin", "fr");
    expect(container.querySelector("h1")!.textContent).toBe("Réponses enregistrées");
    expect([...container.querySelectorAll("h2")].map((h) => h.textContent)).toEqual([
      "Écrire une réponse enregistrée",
      "Celles de l'équipe",
      "Les vôtres",
    ]);
  });
});
