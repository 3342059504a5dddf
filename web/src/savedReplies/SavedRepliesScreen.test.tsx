import { describe, expect, it } from "vitest";
import { act } from "react";
import { AuthProvider } from "../auth/AuthProvider";
import { click, render, settle, type } from "../test/render";
import { SavedReplies, SavedRepliesScreen } from "./SavedRepliesScreen";

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
async function mount(role: "admin" | "agent", language: "en" | "fr" = "en", refusal: unknown = null) {
  const posted: unknown[] = [];
  const changes: string[] = [];
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path.endsWith("/me")) return Response.json({ user_id: "u1", tenant_id: "t1", role });
    if (refusal && request.method !== "GET") return Response.json(refusal, { status: 422 });
    if (request.method === "PATCH" || request.method === "DELETE") {
      changes.push(`${request.method} ${path.split("/").at(-1)} ${request.method === "PATCH" ? await request.text() : ""}`.trim());
      return request.method === "DELETE" ? new Response(null, { status: 204 }) : Response.json(reply("r2", "Sig", "personal"));
    }
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
  return { container, posted, changes };
}

const buttons = (element: Element) => [...element.querySelectorAll("button")].map((b) => b.textContent);

describe("the saved replies' screen", () => {
  it.each([
    ["en", "Back to the conversation", "Back to the inbox"],
    ["fr", "Retour à la conversation", "Retour à la boîte de réception"],
  ] as const)("leads back to the conversation it was reached from, else to the inbox (%s)", async (language, toConversation, toInbox) => {
    const fetch = async () => Response.json({ items: [], placeholders: [] });
    const screen = async (hash: string) => {
      const config = { apiBaseUrl: "", region: "", userPoolId: "", userPoolClientId: "c", cognitoEndpoint: "http://cognito.test/" };
      const mounted = await render(
        <AuthProvider config={config}>
          <SavedRepliesScreen hash={hash} />
        </AuthProvider>,
        fetch,
        { language },
      );
      await settle();
      return mounted;
    };
    const back = (container: Element) => container.querySelector<HTMLAnchorElement>("header.top-bar a")!;
    const fromComposer = await screen("#saved-replies?conversation=c%2F1");
    expect(back(fromComposer.container).textContent).toBe(toConversation);
    expect(back(fromComposer.container).getAttribute("href")).toBe("#conversation/c%2F1");
    const fromHeader = await screen("#saved-replies");
    expect(back(fromHeader.container).textContent).toBe(toInbox);
    expect(back(fromHeader.container).getAttribute("href")).toBe("#");
  });

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

  it("keeps the focus on the item through Edit, Delete and Cancel, and on its section once deleted", async () => {
    const { container, changes } = await mount("agent");
    const mine = () => container.querySelectorAll(".saved-reply")[1]!;
    const button = (name: string) => [...mine().querySelectorAll("button")].find((b) => b.textContent === name)!;
    await click(button("Edit"));
    expect(document.activeElement).toBe(mine().querySelector("input[name=title]"));
    await type(mine().querySelector("input[name=title]")!, "Signature");
    await click(button("Cancel"));
    expect(document.activeElement).toBe(button("Edit"));

    await click(button("Edit"));
    await type(mine().querySelector("input[name=title]")!, "Signature");
    await act(async () => mine().querySelector("form")!.requestSubmit());
    await settle();
    expect(changes).toEqual([`PATCH r2 {"title":"Signature","text":"Ma signature: Bonjour {{contact.first_name}}"}`]);
    expect(document.activeElement).toBe(button("Edit"));

    await click(button("Delete"));
    expect(document.activeElement).toBe(button("Yes, delete"));
    await click(button("Cancel"));
    expect(document.activeElement).toBe(button("Delete"));
    await click(button("Delete"));
    await click(button("Yes, delete"));
    expect(changes.at(-1)).toBe("DELETE r2");
    expect(document.activeElement).toBe(container.querySelector("#saved-replies-personal"));
  });

  it("asks and refuses in French, the refusal said after the field it names", async () => {
    const { container } = await mount("agent", "fr", {
      error: { code: "invalid_field", message: "title: is over 200 characters" },
    });
    const mine = container.querySelectorAll(".saved-reply")[1]!;
    await click([...mine.querySelectorAll("button")].find((b) => b.textContent === "Supprimer"));
    expect(mine.querySelector("[role=status]")!.textContent).toBe("Supprimer cette réponse enregistrée ?");
    const form = container.querySelector("form")!;
    await type(form.querySelector("input[name=title]")!, "Délais");
    await type(form.querySelector("textarea")!, "Bonjour");
    await click([...form.querySelectorAll("button")].find((b) => b.textContent === "Enregistrer la réponse"));
    const title = form.querySelector("input[name=title]")!;
    expect(title.getAttribute("aria-invalid")).toBe("true");
    const said = title.closest("label")!.nextElementSibling!;
    expect(said.getAttribute("role")).toBe("alert");
    expect(title.getAttribute("aria-describedby")).toBe(said.id);
    expect(said.textContent).toContain("n'a pas été accepté");
    expect(form.querySelectorAll("[role=alert]")).toHaveLength(1);
    expect(form.querySelector("textarea")!.hasAttribute("aria-invalid")).toBe(false);
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
