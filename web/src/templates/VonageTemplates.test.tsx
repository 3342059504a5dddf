import { describe, expect, it } from "vitest";
import type { Integration } from "../settings/queries";
import { click, render, settle, type } from "../test/render";
import type { ListedTemplate } from "./queries";
import { VonageTemplates } from "./VonageTemplates";

const INTEGRATION = {
  id: "i1",
  kind: "vonage",
  name: "Vonage",
  settings: { whatsapp_numbers: ["+33612345678"], whatsapp_business_account_id: "11111" },
  secrets_set: {},
  created_at: "2026-12-01T10:00:00Z",
} as unknown as Integration;

const row = (name: string): ListedTemplate => ({ name, locale: "fr", status: "APPROVED", parameters: 0, text: `${name} text` }) as ListedTemplate;

/** The section over an API whose WABA is `waba`: its list is `lists[waba]`; `refusals` answers a PUT or a
 * refresh with an error instead. */
async function mount(refusals: { put?: [number, string]; refresh?: [number, string] } = {}) {
  const state = { waba: "11111", fetched: 0 };
  const lists: Record<string, string[]> = { "11111": ["account_a"], "22222": ["account_b"] };
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    if (request.method === "PUT") {
      if (refusals.put) {
        const [status, message] = refusals.put;
        return Response.json({ error: { code: status === 422 ? "invalid_field" : "unavailable", message } }, { status });
      }
      state.waba = ((await request.json()) as { vonage: { whatsapp_business_account_id: string } }).vonage.whatsapp_business_account_id;
      return Response.json({ ...INTEGRATION, settings: { ...INTEGRATION.settings, whatsapp_business_account_id: state.waba } });
    }
    if (url.pathname.endsWith("/whatsapp-templates")) {
      if (url.searchParams.get("refresh") && refusals.refresh) {
        const [status, message] = refusals.refresh;
        return Response.json({ error: { code: "unavailable", message } }, { status });
      }
      state.fetched += 1;
      return Response.json({
        listed: true,
        fetched_at: `2026-12-01T10:0${state.fetched}:00Z`,
        items: lists[state.waba]!.map(row),
      });
    }
    return Response.json({ items: [] });
  };
  const { container } = await render(<VonageTemplates integration={INTEGRATION} />, fetch);
  await settle();
  return { container };
}

const button = (root: ParentNode, text: string) =>
  [...root.querySelectorAll("button")].find((each) => each.textContent === text)!;
const names = (root: ParentNode) => [...root.querySelectorAll(".vonage-template-list tbody tr td:first-child")].map((td) => td.textContent);

describe("Vonage's templates of an integration", () => {
  it("shows the new account's list once its WABA id is saved, even after a refresh", async () => {
    const { container } = await mount();
    expect(names(container)).toEqual(["account_a"]);
    await click(button(container, "Refresh from Vonage"));
    await settle();
    expect(names(container)).toEqual(["account_a"]);
    await type(container.querySelector<HTMLInputElement>("[name=whatsapp_business_account_id]")!, "22222");
    await click(button(container, "Save the account id"));
    await settle();
    expect(names(container)).toEqual(["account_b"]);
  });

  it("does not keep a failed refresh's error once a later save worked", async () => {
    const { container } = await mount({ refresh: [503, "Vonage did not answer"] });
    await click(button(container, "Refresh from Vonage"));
    await settle();
    expect(container.querySelector("[role=alert]")).not.toBeNull();
    await type(container.querySelector<HTMLInputElement>("[name=whatsapp_business_account_id]")!, "22222");
    await click(button(container, "Save the account id"));
    await settle();
    expect(container.querySelector("[role=alert]")).toBeNull();
  });

  it("says a refused WABA id right after its field, and marks it", async () => {
    const { container } = await mount({ put: [422, "vonage.whatsapp_business_account_id: is not a WhatsApp Business Account id"] });
    const field = container.querySelector<HTMLInputElement>("[name=whatsapp_business_account_id]")!;
    await type(field, "22222");
    await click(button(container, "Save the account id"));
    await settle();
    expect(field.getAttribute("aria-invalid")).toBe("true");
    const said = field.closest("label")!.nextElementSibling!;
    expect(said.getAttribute("role")).toBe("alert");
    expect(field.getAttribute("aria-describedby")).toContain(said.id);
  });
});
