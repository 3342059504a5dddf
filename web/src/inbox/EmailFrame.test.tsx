import { act } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import { I18nProvider } from "../i18n/i18n";
import { EmailFrame, emailDocument, releaseImages } from "./EmailFrame";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  document.body.innerHTML = "";
});

function render(html: string, remoteImages = false) {
  const container = document.body.appendChild(document.createElement("div"));
  act(() =>
    createRoot(container).render(
      <I18nProvider language="en">
        <EmailFrame html={html} remoteImages={remoteImages} />
      </I18nProvider>,
    ),
  );
  return container;
}

describe("EmailFrame", () => {
  it("shows the HTML in a frame without scripts or origin, under a CSP that loads nothing", () => {
    const frame = render("<p>Hello</p>").querySelector("iframe")!;
    expect(frame.getAttribute("sandbox")).toBe("");
    const srcdoc = frame.getAttribute("srcdoc")!;
    expect(srcdoc).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    );
    expect(srcdoc).toContain("<p>Hello</p>");
  });

  it("lets held-back images in only when the reader asks", () => {
    const html = '<img data-blocked-src="https://tracker.example/p.gif" alt="x">';
    const container = render(html, true);
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
