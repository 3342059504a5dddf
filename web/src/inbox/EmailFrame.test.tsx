import { act } from "react";
import { describe, expect, it } from "vitest";
import { render } from "../test/render";
import { EmailFrame, emailDocument, releaseImages } from "./EmailFrame";

/** The frame alone: it reads no API. */
async function shown(html: string, remoteImages = false) {
  return (await render(<EmailFrame html={html} remoteImages={remoteImages} />)).container;
}

describe("EmailFrame", () => {
  it("shows the HTML in a frame without scripts or origin, under a CSP that loads nothing", async () => {
    const frame = (await shown("<p>Hello</p>")).querySelector("iframe")!;
    expect(frame.getAttribute("sandbox")).toBe("");
    const srcdoc = frame.getAttribute("srcdoc")!;
    expect(srcdoc).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    );
    expect(srcdoc).toContain("<p>Hello</p>");
  });

  it("lets held-back images in only when the reader asks", async () => {
    const html = '<img data-blocked-src="https://tracker.example/p.gif" alt="x">';
    const container = await shown(html, true);
    expect(container.querySelector("iframe")!.getAttribute("srcdoc")).not.toContain(' src="https://');
    const show = container.querySelector("button")!;
    expect(show.textContent).toBe("Show images");
    act(() => show.click());
    const srcdoc = container.querySelector("iframe")!.getAttribute("srcdoc")!;
    expect(srcdoc).toContain('src="https://tracker.example/p.gif"');
    expect(srcdoc).toContain("img-src data: https: http:");
    expect(container.querySelector("button")).toBeNull();
  });

  it("puts the email after the CSP, so markup in it cannot come first", () => {
    const doc = emailDocument("<meta http-equiv=refresh content=0>");
    expect(doc.indexOf("Content-Security-Policy")).toBeLessThan(doc.indexOf("refresh"));
    expect(releaseImages("<b>no images</b>")).toBe("<b>no images</b>");
  });
});
