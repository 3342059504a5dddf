import { useMemo, useState } from "react";
import { useI18n } from "../i18n/i18n";

// The email's own HTML runs nowhere: the frame has no scripts and no origin (sandbox=""), and its
// CSP forbids every load but inline styles and data: images. Remote images, held back by the API in
// `data-blocked-src`, are let in only when the reader asks.
const STRICT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";
const IMAGES_CSP = "default-src 'none'; img-src data: https: http:; style-src 'unsafe-inline'";

export function emailDocument(html: string, allowImages = false): string {
  const body = allowImages ? releaseImages(html) : html;
  const csp = allowImages ? IMAGES_CSP : STRICT_CSP;
  return (
    `<!doctype html><html><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<style>body{margin:0;font:14px/1.5 system-ui,sans-serif;color:#1c1c1e;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style>` +
    `</head><body>${body}</body></html>`
  );
}

/** The HTML with held-back images pointed at their source again (parsed inertly, never rendered here). */
export function releaseImages(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const image of doc.querySelectorAll("[data-blocked-src]")) {
    image.setAttribute("src", image.getAttribute("data-blocked-src") ?? "");
    image.removeAttribute("data-blocked-src");
  }
  return doc.body.innerHTML;
}

export function EmailFrame({ html, remoteImages }: { html: string; remoteImages: boolean }) {
  const { t } = useI18n();
  const [allowImages, setAllowImages] = useState(false);
  const srcDoc = useMemo(() => emailDocument(html, allowImages), [html, allowImages]);
  return (
    <div className="email-html">
      {remoteImages && !allowImages && (
        <p className="images-held">
          {t("conversation.remoteImages")}{" "}
          <button type="button" className="link" onClick={() => setAllowImages(true)}>
            {t("conversation.showImages")}
          </button>
        </p>
      )}
      <iframe sandbox="" srcDoc={srcDoc} title={t("conversation.htmlTitle")} referrerPolicy="no-referrer" />
    </div>
  );
}
