import { act } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Conversation, Message } from "../api/client";
import type { Language } from "../i18n/messages";
import { click, render, settle, type } from "../test/render";
import { fileSize } from "./Attachments";
import { Composer } from "./Composer";
import { parseAddresses, replyAllCc } from "./ComposerRecipients";

const EMAIL = {
  id: "c1",
  channel: "email",
  subject: "Devis",
  contact: { name: "Alice", email: "alice@client.fr", phone: null },
} as Conversation;
const SMS = { id: "c2", channel: "sms", subject: null, contact: { phone: "+33600000000" } } as Conversation;

function message(fields: Partial<Message>): Message {
  return {
    id: "m1",
    channel: "email",
    direction: "inbound",
    sender: { name: "Alice", email: "alice@client.fr", phone: null },
    to: [{ name: null, email: "support@shop.fr", phone: null }],
    cc: [],
    bcc: [],
    subject: "Devis",
    text: "Bonjour",
    attachments: [],
    received_at: "2026-12-01T10:00:00Z",
    ...fields,
  } as Message;
}

/** What the storage got: one XMLHttpRequest POST per file, answered once the test says so. */
class FakeStorage {
  static posts: { url: string; form: FormData; request: FakeStorage }[] = [];
  upload: { onprogress: ((event: Partial<ProgressEvent>) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  url = "";
  open(_method: string, url: string) {
    this.url = url;
  }
  send(form: FormData) {
    FakeStorage.posts.push({ url: this.url, form, request: this });
  }
  abort() {
    this.onabort?.();
  }
  async finish(status = 204) {
    await act(async () => {
      this.upload.onprogress?.({ lengthComputable: true, loaded: 5, total: 10 });
      this.status = status;
      this.onload?.();
    });
  }
}

const original = globalThis.XMLHttpRequest;
beforeEach(() => {
  FakeStorage.posts = [];
  globalThis.XMLHttpRequest = FakeStorage as unknown as typeof XMLHttpRequest;
});
afterEach(() => {
  globalThis.XMLHttpRequest = original;
});

type Answer = { status: number; body: unknown };
const TICKET = {
  upload_id: "u1",
  url: "http://storage.test/blob",
  fields: { key: "uploads/t/c1/u1", "Content-Type": "application/pdf", policy: "p" },
  max_bytes: 10_000_000,
  expires_at: "2026-12-01T10:15:00Z",
};

/** The composer over a stubbed API: `answers` by path ending (a list: one after the other); requests recorded. */
async function mount(
  conversation: Conversation,
  { answers = {} as Record<string, Answer[]>, language = "en" as Language, messages = [] as Message[] } = {},
) {
  const requests: { method: string; path: string; body: unknown }[] = [];
  const fetch = async (request: Request) => {
    const path = new URL(request.url).pathname;
    const body = await request.json().catch(() => null);
    requests.push({ method: request.method, path, body });
    const found = Object.entries(answers).find(([end]) => path.endsWith(end));
    const answer = found?.[1].shift() ?? { status: 201, body: { id: "sent" } };
    return Response.json(answer.body, { status: answer.status });
  };
  const { container } = await render(<Composer conversation={conversation} messages={messages} />, fetch, { language });
  return { container, requests };
}

async function choose(container: Element, ...files: File[]) {
  const input = container.querySelector<HTMLInputElement>('input[type="file"]')!;
  Object.defineProperty(input, "files", { value: files, configurable: true });
  await act(async () => input.dispatchEvent(new Event("change", { bubbles: true })));
  await settle();
}

const pdf = (name = "devis.pdf", size = 10) => new File(["x".repeat(size)], name, { type: "application/pdf" });
const buttonNamed = (container: Element, text: string) =>
  [...container.querySelectorAll("button")].find((button) => button.textContent === text)!;
const sendButton = (container: Element) => container.querySelector<HTMLButtonElement>('button[type="submit"]')!;

describe("the composer's files", () => {
  it("ask the API for an upload, post the file to the storage with its fields first, and send the reply with it", async () => {
    const { container, requests } = await mount(EMAIL, { answers: { "/attachments": [{ status: 201, body: TICKET }] } });
    await choose(container, pdf());

    expect(requests[0]).toEqual({
      method: "POST",
      path: "/inbox/conversations/c1/attachments",
      body: { filename: "devis.pdf", content_type: "application/pdf", size: 10 },
    });
    const [post] = FakeStorage.posts;
    expect(post!.url).toBe("http://storage.test/blob");
    expect([...post!.form.keys()]).toEqual(["key", "Content-Type", "policy", "file"]); // S3 reads the file last
    expect((post!.form.get("file") as File).name).toBe("devis.pdf");
    expect(container.querySelector(".pending-file progress")).not.toBeNull();
    expect(sendButton(container).disabled).toBe(true); // not while a file is on its way

    await post!.request.finish();
    expect(container.querySelector(".pending-file")!.getAttribute("data-state")).toBe("done");
    expect(container.querySelector(".pending-file")!.textContent).toContain("ready");

    await type(container.querySelector("textarea")!, "Voici le devis.");
    await click(sendButton(container));
    const reply = requests.find((request) => request.path.endsWith("/messages"))!;
    expect(reply.body).toMatchObject({ text: "Voici le devis.", subject: "Re: Devis", attachments: ["u1"] });
    expect(container.querySelector(".pending-file")).toBeNull(); // sent: the list starts again
  });

  it("say why the API refused a file, by the field its 422 names, in English and French; Send waits for its removal", async () => {
    const refused = { status: 422, body: { error: { code: "invalid_field", message: "size: over the 10 MB email takes" } } };
    const wrongType = { status: 422, body: { error: { code: "invalid_field", message: "content_type: programs are refused" } } };
    const { container } = await mount(EMAIL, { answers: { "/attachments": [refused, wrongType] } });
    await choose(container, pdf("big.pdf"), new File(["MZ"], "setup.exe", { type: "application/x-msdownload" }));

    const alerts = [...container.querySelectorAll(".pending-file [role=alert]")].map((alert) => alert.textContent);
    expect(alerts).toEqual(["“big.pdf” is too large to send on this channel.", "“setup.exe”: this type of file cannot be sent."]);
    expect(FakeStorage.posts).toHaveLength(0);
    await type(container.querySelector("textarea")!, "Voici.");
    expect(sendButton(container).disabled).toBe(true);

    await click(container.querySelector('button[aria-label="Remove big.pdf"]')!);
    await click(container.querySelector('button[aria-label="Remove setup.exe"]')!);
    expect(container.querySelector(".pending-files")).toBeNull();
    expect(sendButton(container).disabled).toBe(false);

    document.body.innerHTML = "";
    const french = await mount(EMAIL, { language: "fr", answers: { "/attachments": [{ ...refused }] } });
    await choose(french.container, pdf("gros.pdf"));
    expect(french.container.querySelector(".pending-file [role=alert]")!.textContent).toBe(
      "« gros.pdf » est trop volumineux pour ce canal.",
    );
  });

  it("drop a file removed while it uploads, and name the file a reply's 422 on attachments[i] is about", async () => {
    const second = { ...TICKET, upload_id: "u2" };
    const disguised = { status: 422, body: { error: { code: "invalid_field", message: "attachments[1]: not a PDF" } } };
    const { container, requests } = await mount(EMAIL, {
      answers: { "/attachments": [{ status: 201, body: TICKET }, { status: 201, body: second }], "/messages": [disguised] },
    });
    await choose(container, pdf("a.pdf"), pdf("b.pdf"));
    await FakeStorage.posts[0]!.request.finish();
    await FakeStorage.posts[1]!.request.finish();
    await type(container.querySelector("textarea")!, "Les deux.");
    await click(sendButton(container));

    expect(requests.at(-1)!.body).toMatchObject({ attachments: ["u1", "u2"] });
    expect(container.querySelector("form > [role=alert]")!.textContent).toBe(
      "“b.pdf” is not what its type says: it was refused. Remove it to send the reply.",
    );

    await choose(container, pdf("c.pdf"));
    await click(container.querySelector('button[aria-label="Remove c.pdf"]')!); // still uploading: aborted
    expect([...container.querySelectorAll(".pending-file-name")].map((name) => name.textContent)).toEqual(["a.pdf", "b.pdf"]);
  });

  it("are not offered on SMS: the button is disabled and says why; nothing is attached by a drop", async () => {
    const { container } = await mount(SMS);
    const attach = buttonNamed(container, "Attach files");
    expect(attach.disabled).toBe(true);
    expect(document.getElementById(attach.getAttribute("aria-describedby")!)!.textContent).toBe("SMS carries no file.");
    expect(container.querySelector('input[type="file"]')).toBeNull();
  });

  it("take files dropped on the composer (not on SMS), saying where to drop them while held over it", async () => {
    const drag = async (form: Element, type: string, files: File[]) => {
      const event = new Event(type, { bubbles: true, cancelable: true });
      Object.defineProperty(event, "dataTransfer", { value: { types: ["Files"], files } });
      await act(async () => void form.dispatchEvent(event));
      return event;
    };
    const { container, requests } = await mount(EMAIL, { answers: { "/attachments": [{ status: 201, body: TICKET }] } });
    const form = container.querySelector("form")!;
    expect((await drag(form, "dragenter", [])).defaultPrevented).toBe(true);
    expect(container.querySelector(".drop-hint")!.textContent).toBe("Drop the files to attach them");
    await drag(form, "drop", [pdf("dropped.pdf")]);
    await settle();
    expect(container.querySelector(".drop-hint")).toBeNull();
    expect(requests.map((request) => request.path)).toEqual(["/inbox/conversations/c1/attachments"]);
    expect(container.querySelector(".pending-file-name")!.textContent).toBe("dropped.pdf");

    document.body.innerHTML = "";
    const sms = await mount(SMS);
    const smsForm = sms.container.querySelector("form")!;
    expect((await drag(smsForm, "drop", [pdf()])).defaultPrevented).toBe(false);
    await settle();
    expect(sms.requests).toEqual([]);
  });

  it("say sizes in the reader's units", () => {
    expect(fileSize(1_234_567, "en")).toBe("1.2 MB");
    expect(fileSize(1_234_567, "fr")).toBe("1,2 Mo");
    expect(fileSize(340_000, "en")).toBe("340 kB");
    expect(fileSize(12, "fr")).toBe("12 o");
  });
});

describe("Cc, Bcc and reply-all", () => {
  it("show Cc and Bcc on demand and send the addresses typed, only those", async () => {
    const { container, requests } = await mount(EMAIL);
    expect(container.querySelector('input[name="cc"]')).toBeNull();
    await click(buttonNamed(container, "Add Cc"));
    await click(buttonNamed(container, "Add Bcc"));
    await type(container.querySelector('input[name="cc"]')!, "bob@client.fr; carol@client.fr");
    await type(container.querySelector('input[name="bcc"]')!, "boss@shop.fr");
    await type(container.querySelector("textarea")!, "Bien reçu.");
    await click(sendButton(container));

    const reply = requests.find((request) => request.path.endsWith("/messages"))!;
    expect(reply.body).toMatchObject({ cc: ["bob@client.fr", "carol@client.fr"], bcc: ["boss@shop.fr"] });
    expect(reply.body).not.toHaveProperty("attachments");
    expect(container.querySelector('input[name="cc"]')).toBeNull(); // sent: hidden again
  });

  it("offer Reply all when the customer wrote to others too, say who it copies, and send reply_all", async () => {
    const messages = [
      message({ id: "m0", direction: "outbound", sender: { name: null, email: "support@shop.fr", phone: null } }),
      message({
        id: "m1",
        to: [
          { name: null, email: "support@shop.fr", phone: null },
          { name: "Bob", email: "Bob@Client.fr", phone: null },
          { name: null, email: "carol@client.fr", phone: null },
        ],
      }),
    ];
    const { container, requests } = await mount(EMAIL, { messages, language: "fr" });
    await click(container.querySelector('input[name="reply_all"]')!);
    expect(container.querySelector("[data-testid=reply-all-cc]")!.textContent).toBe(
      "Répondre à tous met en copie (Cc) les autres destinataires du client, sauf nos propres boîtes : bob@client.fr, carol@client.fr",
    );
    await type(container.querySelector("textarea")!, "Bien reçu.");
    await click(sendButton(container));
    expect(requests.find((request) => request.path.endsWith("/messages"))!.body).toMatchObject({ reply_all: true });
  });

  it("have no Reply all when the customer wrote to us alone", async () => {
    const { container } = await mount(EMAIL, { messages: [message({})] });
    expect(container.querySelector('input[name="reply_all"]')).toBeNull();
    expect(replyAllCc(EMAIL, [message({})])).toEqual([]);
  });

  it("name the address a 422 on cc[i] is about", async () => {
    const refused = { status: 422, body: { error: { code: "invalid_field", message: "cc[1]: 'bob@' is not an email address" } } };
    const { container } = await mount(EMAIL, { answers: { "/messages": [refused] } });
    await click(buttonNamed(container, "Add Cc"));
    await type(container.querySelector('input[name="cc"]')!, "alice@client.fr, bob@");
    await type(container.querySelector("textarea")!, "Bien reçu.");
    await click(sendButton(container));
    expect(container.querySelector("form > [role=alert]")!.textContent).toBe("Cc: “bob@” is not an email address.");
  });

  it("split addresses on commas, semicolons and spaces", () => {
    expect(parseAddresses(" a@x.fr,b@y.fr ;\nc@z.fr  ")).toEqual(["a@x.fr", "b@y.fr", "c@z.fr"]);
  });
});
