import { describe, expect, it } from "vitest";
import { base64Of, formatSize } from "./knowledge";

describe("knowledge base helpers", () => {
  it("reads a file as the base64 the upload's JSON carries, past one chunk too", async () => {
    expect(await base64Of(new Blob(["Bonjour é"]))).toBe(btoa(unescape(encodeURIComponent("Bonjour é"))));
    const bytes = new Uint8Array(70_000).map((_, i) => i % 256);
    const expected = btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
    expect(await base64Of(new Blob([bytes]))).toBe(expected);
  });

  it("writes sizes as a person reads them, in the interface's language", () => {
    expect(formatSize(512, "en")).toBe("512 B");
    expect(formatSize(4 * 1024 * 1024, "en")).toBe("4 MB");
    expect(formatSize(1_258_291, "en")).toBe("1.2 MB");
    expect(formatSize(1_500, "fr")).toBe("1,5 Ko");
    expect(formatSize(25_600, "fr")).toBe("25 Ko");
  });
});
