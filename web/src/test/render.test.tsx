import { useState } from "react";
import { describe, expect, it } from "vitest";
import { useMe } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { click, render, settle, type } from "./render";

/** Reads the API (through the query client and ApiContext) and the catalog (through I18nProvider). */
function Probe() {
  const me = useMe();
  const { t } = useI18n();
  const [text, setText] = useState("");
  const [choice, setChoice] = useState("a");
  const [note, setNote] = useState("");
  return (
    <form>
      <output>{me.data?.email ?? "…"}</output>
      <span>{t("settings.cancel")}</span>
      <input value={text} onChange={(e) => setText(e.target.value)} />
      <select value={choice} onChange={(e) => setChoice(e.target.value)}>
        <option value="a">a</option>
        <option value="b">b</option>
      </select>
      <textarea value={note} onChange={(e) => setNote(e.target.value)} />
      <p>{`${text}|${choice}|${note}`}</p>
    </form>
  );
}

describe("render", () => {
  it("mounts inside the app's providers over the stubbed fetch, in the language asked; type fills each kind of field", async () => {
    const requests: string[] = [];
    const { container } = await render(
      <Probe />,
      (request) => {
        requests.push(`${request.method} ${new URL(request.url).pathname}`);
        return Response.json({ user_id: "u1", tenant_id: "t1", role: "admin", email: "ada@example.com" });
      },
      { language: "fr" },
    );
    await settle();
    expect(requests).toEqual(["GET /inbox/me"]);
    expect(container.querySelector("output")!.textContent).toBe("ada@example.com");
    expect(container.querySelector("span")!.textContent).toBe("Annuler");
    await type(container.querySelector("input")!, "hello");
    await type(container.querySelector("select")!, "b");
    await type(container.querySelector("textarea")!, "a note");
    expect(container.querySelector("p")!.textContent).toBe("hello|b|a note");
  });

  it("renders without an API, where any request fails, and clicks as a person would, then settles", async () => {
    function Asker() {
      const me = useMe();
      const [clicks, setClicks] = useState(0);
      return <button onClick={() => setClicks(clicks + 1)}>{me.isError ? `no API, ${clicks}` : "…"}</button>;
    }
    const { container } = await render(<Asker />);
    await click(container.querySelector("button"));
    expect(container.querySelector("button")!.textContent).toBe("no API, 1");
  });
});
