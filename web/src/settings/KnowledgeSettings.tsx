import { useEffect, useState, type FormEvent } from "react";
import { ConfirmDelete } from "../forms/ConfirmDelete";
import { useI18n } from "../i18n/i18n";
import {
  ACCEPTED_FILES,
  formatSize,
  useAddKnowledgeText,
  useDeleteKnowledgeDocument,
  useKnowledge,
  useKnowledgeDocument,
  useUpdateKnowledgeDocument,
  useUploadKnowledgeFile,
  type KnowledgeDocument,
} from "./knowledge";
import { errorText } from "./queries";

type Adding = "text" | "file" | null;

/** The company's knowledge base, what AI replies are written from: documents typed in or uploaded. */
export function KnowledgeSettings() {
  const { t, language } = useI18n();
  const base = useKnowledge();
  const [adding, setAdding] = useState<Adding>(null);
  const limits = base.data?.limits;

  return (
    <section aria-labelledby="knowledge-title" className="knowledge">
      <h1 id="knowledge-title" tabIndex={-1}>
        {t("settings.knowledge.title")}
      </h1>
      <p className="muted">{t("settings.knowledge.intro")}</p>
      {limits && (
        <p className="muted hint">
          {t("settings.knowledge.limits", {
            documents: limits.documents,
            size: formatSize(limits.upload_bytes, language),
          })}
        </p>
      )}
      <div className="form-actions">
        <button type="button" onClick={() => setAdding("text")} aria-expanded={adding === "text"}>
          {t("settings.knowledge.addText")}
        </button>
        <button type="button" onClick={() => setAdding("file")} aria-expanded={adding === "file"}>
          {t("settings.knowledge.upload")}
        </button>
      </div>
      {adding === "text" && <TextForm onDone={() => setAdding(null)} />}
      {adding === "file" && <UploadForm maxBytes={limits?.upload_bytes} onDone={() => setAdding(null)} />}
      {base.isPending && <p className="muted">{t("app.loading")}</p>}
      {base.isError && <p className="error">{errorText(base.error, t)}</p>}
      {base.data?.items.length === 0 && <p className="muted">{t("settings.knowledge.empty")}</p>}
      {base.data && base.data.items.length > 0 && (
        <ul className="knowledge-list">
          {base.data.items.map((document) => (
            <DocumentItem key={document.id} document={document} />
          ))}
        </ul>
      )}
    </section>
  );
}

function DocumentItem({ document }: { document: KnowledgeDocument }) {
  const { t, language, formatDateTime } = useI18n();
  const [editing, setEditing] = useState(false);
  const remove = useDeleteKnowledgeDocument();
  const headingId = `knowledge-${document.id}`;

  return (
    <li className="knowledge-document" aria-labelledby={headingId}>
      <h2 id={headingId}>{document.title}</h2>
      <p className="muted">
        {t("settings.knowledge.details", {
          kind: t(`settings.knowledge.kind.${document.kind}`),
          size: formatSize(document.size, language),
          passages: document.passages,
        })}
        {document.filename ? ` · ${document.filename}` : ""}
      </p>
      <p className="muted hint">
        {t("settings.knowledge.updated", { date: formatDateTime(document.updated_at), who: document.updated_by })}
      </p>
      {editing ? (
        <EditForm id={document.id} onDone={() => setEditing(false)} />
      ) : (
        <div className="form-actions">
          <button type="button" aria-describedby={headingId} onClick={() => setEditing(true)}>
            {t("settings.edit")}
          </button>
          <ConfirmDelete
            label={t("settings.delete")}
            question={t("settings.knowledge.deleteConfirm", { title: document.title })}
            describedBy={headingId}
            pending={remove.isPending}
            onDelete={() => remove.mutateAsync(document.id)}
            focusAfter="knowledge-title"
          />
        </div>
      )}
      {remove.isError && (
        <p role="alert" className="error">
          {errorText(remove.error, t)}
        </p>
      )}
    </li>
  );
}

function TextForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const add = useAddKnowledgeText();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget);
    const format = fields.get("format") === "markdown" ? "markdown" : "text";
    add.mutate(
      { title: String(fields.get("title") ?? ""), text: String(fields.get("text") ?? ""), format },
      { onSuccess: onDone },
    );
  };
  return (
    <form className="settings-form" onSubmit={submit} aria-label={t("settings.knowledge.addText")}>
      <label>
        {t("settings.knowledge.docTitle")}
        <input name="title" required maxLength={200} />
      </label>
      <label>
        {t("settings.knowledge.format")}
        <select name="format" defaultValue="markdown">
          <option value="markdown">{t("settings.knowledge.format.markdown")}</option>
          <option value="text">{t("settings.knowledge.format.text")}</option>
        </select>
      </label>
      <label>
        {t("settings.knowledge.text")}
        <textarea name="text" required rows={12} />
        <span className="muted hint">{t("settings.knowledge.textHint")}</span>
      </label>
      <FormButtons pending={add.isPending} label={t("settings.knowledge.add")} onCancel={onDone} />
      {add.isError && (
        <p role="alert" className="error">
          {errorText(add.error, t)}
        </p>
      )}
    </form>
  );
}

function UploadForm({ maxBytes, onDone }: { maxBytes?: number; onDone: () => void }) {
  const { t, language } = useI18n();
  const upload = useUploadKnowledgeFile();
  const [tooBig, setTooBig] = useState<string | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget);
    const file = fields.get("file");
    if (!(file instanceof File) || !file.name) return;
    if (maxBytes !== undefined && file.size > maxBytes) {
      setTooBig(t("settings.knowledge.tooBig", { size: formatSize(maxBytes, language) }));
      return;
    }
    setTooBig(null);
    upload.mutate({ file, title: String(fields.get("title") ?? "").trim() }, { onSuccess: onDone });
  };
  const problem = tooBig ?? (upload.isError ? errorText(upload.error, t) : null);
  return (
    <form className="settings-form" onSubmit={submit} aria-label={t("settings.knowledge.upload")}>
      <label>
        {t("settings.knowledge.file")}
        <input name="file" type="file" required accept={ACCEPTED_FILES} />
        <span className="muted hint">{t("settings.knowledge.fileHint")}</span>
      </label>
      <label>
        {t("settings.knowledge.titleOptional")}
        <input name="title" maxLength={200} />
      </label>
      <FormButtons
        pending={upload.isPending}
        label={t("settings.knowledge.add")}
        pendingLabel={t("settings.knowledge.uploading")}
        onCancel={onDone}
      />
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </form>
  );
}

function EditForm({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useI18n();
  const current = useKnowledgeDocument(id);
  const update = useUpdateKnowledgeDocument();
  const [title, setTitle] = useState("");
  const [text, setText] = useState("");
  useEffect(() => {
    if (current.data) {
      setTitle(current.data.title);
      setText(current.data.text);
    }
  }, [current.data]);

  if (current.isPending) return <p className="muted">{t("app.loading")}</p>;
  if (current.isError) return <p className="error">{errorText(current.error, t)}</p>;
  const before = current.data;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Only what changed: a title alone keeps the text's object and its passages as they are.
    const change = {
      ...(title.trim() !== before.title ? { title: title.trim() } : {}),
      ...(text !== before.text ? { text } : {}),
    };
    if (Object.keys(change).length === 0) return onDone();
    update.mutate({ id, ...change }, { onSuccess: onDone });
  };
  return (
    <form
      className="settings-form"
      onSubmit={submit}
      aria-label={t("settings.knowledge.editing", { title: before.title })}
    >
      <label>
        {t("settings.knowledge.docTitle")}
        <input name="title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        {t("settings.knowledge.text")}
        <textarea name="text" required rows={14} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <FormButtons pending={update.isPending} label={t("settings.save")} onCancel={onDone} />
      {update.isError && (
        <p role="alert" className="error">
          {errorText(update.error, t)}
        </p>
      )}
    </form>
  );
}

function FormButtons(props: { pending: boolean; label: string; pendingLabel?: string; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <div className="form-actions">
      <button type="submit" disabled={props.pending}>
        {props.pending ? (props.pendingLabel ?? t("settings.saving")) : props.label}
      </button>
      <button type="button" onClick={props.onCancel}>
        {t("settings.cancel")}
      </button>
    </div>
  );
}
