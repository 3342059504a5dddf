import { act } from "react";
import { describe, expect, it } from "vitest";
import { render, type } from "../test/render";
import { SearchField } from "./SearchField";

const pause = () => act(() => new Promise((resolve) => setTimeout(resolve, 300))); // past the typing pause

async function mount(language: "en" | "fr" = "en") {
  const queries: (string | null)[] = [];
  const escapesLeft: string[] = []; // what reached the document (the inbox's shortcuts listen there)
  const { container } = await render(<SearchField onQuery={(query) => queries.push(query)} />, () => Response.json({}), {
    language,
  });
  const listener = (event: KeyboardEvent) => escapesLeft.push(event.key);
  document.addEventListener("keydown", listener);
  const field = container.querySelector<HTMLInputElement>("input")!;
  return { container, field, queries, escapesLeft, done: () => document.removeEventListener("keydown", listener) };
}

const escape = (field: HTMLElement) =>
  act(() => void field.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true })));

describe("SearchField", () => {
  it("is labelled in the interface's language", async () => {
    const { container, done } = await mount("fr");
    expect(container.querySelector("label")!.textContent).toBe("Rechercher dans les conversations");
    expect(container.querySelector("[role=search] input")!.id).toBe(container.querySelector("label")!.htmlFor);
    done();
  });

  it("tells the query once the typing pauses, and nothing at once when emptied", async () => {
    const { field, queries, done } = await mount();
    await type(field, "pro");
    await type(field, "probl");
    expect(queries.filter((q) => q !== null)).toEqual([]); // still typing: not asked yet
    await pause();
    expect(queries.at(-1)).toBe("probl");
    expect(queries.filter((q) => q !== null)).toEqual(["probl"]); // one request for the pause, not one per key
    await type(field, "");
    expect(queries.at(-1)).toBeNull();
    done();
  });

  it("asks nothing for punctuation alone", async () => {
    const { field, queries, done } = await mount();
    await type(field, '" - ');
    await pause();
    expect(queries.filter((q) => q !== null)).toEqual([]);
    done();
  });

  it("is cleared by Escape, which then leaves the inbox's Escape alone; an empty field lets Escape through", async () => {
    const { field, queries, escapesLeft, done } = await mount();
    await type(field, "facture");
    await pause();
    await escape(field);
    expect(field.value).toBe("");
    expect(queries.at(-1)).toBeNull();
    expect(escapesLeft).toEqual([]);
    await escape(field);
    expect(escapesLeft).toEqual(["Escape"]);
    done();
  });
});
