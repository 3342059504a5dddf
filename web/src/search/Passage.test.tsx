import { describe, expect, it } from "vitest";
import { render } from "../test/render";
import { Passage } from "./Passage";

describe("Passage", () => {
  it("marks the found words and reads the rest as plain text", async () => {
    const { container } = await render(
      <Passage
        parts={[
          { text: "Bonjour, j'ai un ", match: false },
          { text: "problème", match: true },
          { text: " avec ma ", match: false },
          { text: "commande", match: true },
        ]}
      />,
      () => Response.json({}),
    );
    expect(container.textContent).toBe("Bonjour, j'ai un problème avec ma commande");
    expect([...container.querySelectorAll("mark")].map((mark) => mark.textContent)).toEqual(["problème", "commande"]);
  });

  it("never reads a customer's words as markup", async () => {
    const { container } = await render(
      <Passage
        parts={[
          { text: "<img src=x onerror=alert(1)> ", match: false },
          { text: "<b>facture</b>", match: true },
        ]}
      />,
      () => Response.json({}),
    );
    expect(container.querySelector("img, b")).toBeNull();
    expect(container.querySelector("mark")!.textContent).toBe("<b>facture</b>");
  });
});
