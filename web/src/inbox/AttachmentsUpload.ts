import { useCallback, useEffect, useRef, useState } from "react";
import { dataOf, type ApiClient, type Schemas } from "../api/client";
import { apiErrorText, refusedField as refusedFieldOf, type Translate } from "../api/errorText";
import { useApi } from "../api/queries";

/** What POST /inbox/conversations/{id}/attachments answers: a presigned S3 POST for one file. */
export type UploadTarget = Schemas["UploadOut"];

/** Sends a form to a URL, telling how much of it went (0 to 1); resolves with the HTTP status.
 * The browser's is XMLHttpRequest, the one API that reports an upload's progress. */
export type FormPoster = (
  url: string,
  form: FormData,
  onProgress: (sent: number) => void,
  signal: AbortSignal,
) => Promise<number>;

export const xhrPoster: FormPoster = (url, form, onProgress, signal) =>
  new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => resolve(request.status);
    request.onerror = () => reject(new TypeError("upload failed"));
    request.onabort = () => reject(new DOMException("aborted", "AbortError"));
    signal.addEventListener("abort", () => request.abort());
    request.send(form);
  });

/** One file of the reply being written. */
export interface PendingFile {
  key: number;
  name: string;
  size: number;
  state: "uploading" | "done" | "failed";
  progress: number;
  uploadId?: string;
  /** Why it cannot go, in the reader's language. */
  error?: string;
}

/** The type the file says it is; the API compares it with the file's real content before sending. */
export function contentTypeOf(file: File): string {
  return file.type || "application/octet-stream";
}

/** Asks the API where to put `file` (a 422 names `size`, `content_type`, `filename` or `conversation_id`). */
export async function requestUpload(api: ApiClient, conversationId: string, file: File): Promise<UploadTarget> {
  return dataOf(
    await api.POST("/inbox/conversations/{conversation_id}/attachments", {
      params: { path: { conversation_id: conversationId } },
      body: { filename: file.name, content_type: contentTypeOf(file), size: file.size },
    }),
  );
}

/** The presigned POST's form: its fields first, the file last (S3 ignores whatever follows the file). */
export function uploadForm(target: UploadTarget, file: File): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
  form.append("file", file, file.name);
  return form;
}

/** The field a 422 (or 413) is about, as the API's message starts: `size: over 10 MB`. */
export function refusedField(error: unknown): string | null {
  return refusedFieldOf(error, { statuses: [422, 413] });
}

/** Why the API refused a file, in the reader's words: by the field its 422 names. */
export function uploadErrorText(error: unknown, name: string, t: Translate): string {
  switch (refusedField(error)) {
    case "size":
      return t("files.error.size", { name });
    case "content_type":
      return t("files.error.type", { name });
    case "filename":
      return t("files.error.filename", { name });
    case "conversation_id":
      return t("files.error.sms");
    default:
      if (error instanceof UploadRejected) return t("files.error.storage", { name });
      return t("files.error.other", { name, detail: apiErrorText(error, t) });
  }
}

/** A reply refused for one of its files (`attachments[1]: not a PDF`): which file, in words; else null. */
export function replyFileErrorText(error: unknown, files: readonly PendingFile[], t: Translate): string | null {
  const index = /^attachments\[(\d+)\]$/.exec(refusedField(error) ?? "")?.[1];
  if (index === undefined) return null;
  const name = files.filter((file) => file.state === "done")[Number(index)]?.name ?? "";
  return t("files.error.content", { name });
}

/** The storage refused the upload itself (an expired or exceeded policy): a status, not an API error. */
export class UploadRejected extends Error {
  constructor(readonly status: number) {
    super(`storage answered ${status}`);
  }
}

/** The files of one reply: each asked for, then sent straight to the storage with its progress;
 * `uploadIds` are what the reply carries once every file is there. */
export function useAttachments(conversationId: string, t: Translate) {
  const api = useApi();
  const [files, setFiles] = useState<PendingFile[]>([]);
  const aborts = useRef(new Map<number, AbortController>());
  const nextKey = useRef(1);

  useEffect(() => {
    const running = aborts.current;
    return () => running.forEach((controller) => controller.abort());
  }, []);

  const update = useCallback((key: number, changes: Partial<PendingFile>) => {
    setFiles((current) => current.map((file) => (file.key === key ? { ...file, ...changes } : file)));
  }, []);

  const upload = useCallback(
    async (key: number, file: File) => {
      const controller = new AbortController();
      aborts.current.set(key, controller);
      try {
        const target = await requestUpload(api, conversationId, file);
        if (controller.signal.aborted) return;
        const progress = (sent: number) => update(key, { progress: sent });
        const status = await xhrPoster(target.url, uploadForm(target, file), progress, controller.signal);
        if (status < 200 || status >= 300) throw new UploadRejected(status);
        update(key, { state: "done", progress: 1, uploadId: target.upload_id });
      } catch (error) {
        if (controller.signal.aborted) return; // removed meanwhile
        update(key, { state: "failed", error: uploadErrorText(error, file.name, t) });
      } finally {
        aborts.current.delete(key);
      }
    },
    [api, conversationId, t, update],
  );

  const add = useCallback(
    (chosen: Iterable<File>) => {
      for (const file of chosen) {
        const key = nextKey.current++;
        setFiles((current) => [...current, { key, name: file.name, size: file.size, state: "uploading", progress: 0 }]);
        void upload(key, file);
      }
    },
    [upload],
  );

  const remove = useCallback((key: number) => {
    aborts.current.get(key)?.abort();
    aborts.current.delete(key);
    setFiles((current) => current.filter((file) => file.key !== key));
  }, []);

  const clear = useCallback(() => setFiles([]), []);

  const ready = files.filter((file) => file.state === "done");
  return {
    files,
    add,
    remove,
    clear,
    uploadIds: ready.map((file) => file.uploadId!),
    uploading: files.some((file) => file.state === "uploading"),
    failed: files.some((file) => file.state === "failed"),
  };
}

export type Attachments = ReturnType<typeof useAttachments>;
