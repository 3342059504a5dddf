import { useRef, useState, type DragEvent } from "react";
import type { Channel } from "../api/client";
import { useI18n } from "../i18n/i18n";
import type { Attachments } from "./AttachmentsUpload";

/** `1.2 MB`, `340 kB`, `12 B`, in the reader's number format. */
export function fileSize(bytes: number, language: string): string {
  const format = (value: number, unit: string) =>
    `${new Intl.NumberFormat(language, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} ${unit}`;
  if (bytes >= 1_000_000) return format(bytes / 1_000_000, language === "fr" ? "Mo" : "MB");
  if (bytes >= 1_000) return format(bytes / 1_000, language === "fr" ? "ko" : "kB");
  return format(bytes, language === "fr" ? "o" : "B");
}

/** The composer's "Attach files" button and its hidden file input; on SMS, the button disabled and the
 * reason said beside it (SMS carries no file). */
export function AttachButton({ channel, attachments }: { channel: Channel; attachments: Attachments }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  if (channel === "sms") {
    return (
      <span className="attach">
        <button type="button" disabled aria-describedby="attach-unavailable">
          {t("files.attach")}
        </button>
        <span id="attach-unavailable" className="muted hint">
          {t("files.smsNone")}
        </span>
      </span>
    );
  }
  return (
    <span className="attach">
      <button type="button" onClick={() => input.current?.click()} aria-describedby="attach-hint">
        {t("files.attach")}
      </button>
      <span id="attach-hint" className="muted hint">
        {t("files.dropHint")}
      </span>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="attach-input"
        onChange={(event) => {
          attachments.add(Array.from(event.target.files ?? []));
          event.target.value = ""; // the same file can be chosen again after a removal
        }}
      />
    </span>
  );
}

/** The files of the reply being written: each with its progress, its error, and a button that removes it. */
export function AttachmentList({ attachments }: { attachments: Attachments }) {
  const { t, language } = useI18n();
  if (attachments.files.length === 0) return null;
  return (
    <ul className="pending-files" aria-label={t("files.list")}>
      {attachments.files.map((file) => (
        <li key={file.key} className={`pending-file ${file.state}`} data-state={file.state}>
          <span className="pending-file-name">{file.name}</span>
          <span className="muted">{fileSize(file.size, language)}</span>
          {file.state === "uploading" && (
            <progress max={1} value={file.progress} aria-label={t("files.progress", { name: file.name })} />
          )}
          {file.state === "done" && <span className="muted">{t("files.ready")}</span>}
          <button
            type="button"
            className="link"
            aria-label={t("files.remove", { name: file.name })}
            onClick={() => attachments.remove(file.key)}
          >
            {t("files.removeShort")}
          </button>
          {file.error && (
            <p role="alert" className="error">
              {file.error}
            </p>
          )}
        </li>
      ))}
      {attachments.failed && <li className="muted">{t("files.removeFailed")}</li>}
    </ul>
  );
}

/** Files dropped on the composer are attached; `dragging` while some are held over it. Off on SMS. */
export function useFileDrop(enabled: boolean, onFiles: (files: File[]) => void) {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0); // dragenter/leave fire for every child crossed
  const carriesFiles = (event: DragEvent) => enabled && Array.from(event.dataTransfer?.types ?? []).includes("Files");
  return {
    dragging,
    handlers: {
      onDragEnter: (event: DragEvent) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth.current += 1;
        setDragging(true);
      },
      onDragOver: (event: DragEvent) => {
        if (carriesFiles(event)) event.preventDefault(); // lets the drop happen
      },
      onDragLeave: (event: DragEvent) => {
        if (!carriesFiles(event)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      },
      onDrop: (event: DragEvent) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth.current = 0;
        setDragging(false);
        onFiles(Array.from(event.dataTransfer.files));
      },
    },
  };
}
