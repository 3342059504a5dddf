import { useState, type KeyboardEvent } from "react";
import type { Folder } from "../api/client";
import { useFolders } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { FolderEditor } from "./FolderEditor";
import { errorText, useSaveFolder, type FolderIn } from "./queries";

/** A folder as PUT takes it (PUT replaces every field). */
export function folderIn(folder: Folder, position = folder.position): FolderIn {
  return {
    name: folder.name,
    position,
    color: folder.color ?? null,
    rules: (folder.rules ?? null) as FolderIn["rules"],
    ai_filter: folder.ai_filter ?? null,
    ai_examples: folder.ai_examples ?? [],
    auto_reply: folder.auto_reply,
  };
}

/** `list` with the item at `from` moved to `to`. */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(Math.max(0, Math.min(to, next.length)), 0, item!);
  return next;
}

/** The tenant's folders in the order rules are tried in: reordered by drag or keys, each opened to edit. */
export function FolderSettings() {
  const { t } = useI18n();
  const folders = useFolders();
  const save = useSaveFolder();
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const [dragged, setDragged] = useState<number | null>(null);
  const [order, setOrder] = useState<string[] | null>(null); // shown at once while the positions are saved
  const [announce, setAnnounce] = useState("");
  const own = (folders.data ?? []).filter((f) => !f.system).sort((a, b) => a.position - b.position);
  const shown = order ? order.flatMap((id) => own.filter((f) => f.id === id)) : own;

  const move = (from: number, to: number) => {
    if (to < 0 || to >= shown.length || from === to) return;
    const next = moved(shown, from, to);
    setOrder(next.map((f) => f.id));
    setAnnounce(t("settings.folders.movedTo", { name: next[to]!.name, position: to + 1, count: next.length }));
    // Positions are the indexes; only the folders whose position changed are written.
    const writes = next.flatMap((folder, index) => (folder.position === index ? [] : [{ folder, index }]));
    void Promise.all(
      writes.map(({ folder, index }) => save.mutateAsync({ id: folder.id, folder: folderIn(folder, index) })),
    ).finally(() => setOrder(null));
    setTimeout(() => document.querySelector<HTMLElement>(`[data-folder-row="${next[to]!.id}"] .drag-handle`)?.focus());
  };
  const keys = (index: number) => (event: KeyboardEvent) => {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    event.preventDefault();
    move(index, index + (event.key === "ArrowUp" ? -1 : 1));
  };
  const open = editing === "new" ? null : shown.find((f) => f.id === editing);

  return (
    <section aria-labelledby="folders-title">
      <h1 id="folders-title" tabIndex={-1}>
        {t("settings.folders.title")}
      </h1>
      <p className="muted">{t("settings.folders.intro")}</p>
      {folders.isError && <p className="error">{errorText(folders.error, t)}</p>}
      <ol className="folder-order" aria-label={t("settings.folders.order")}>
        {shown.map((folder, index) => (
          <li
            key={folder.id}
            data-folder-row={folder.id}
            draggable
            className={dragged === index ? "dragging" : undefined}
            onDragStart={(e) => {
              setDragged(index);
              e.dataTransfer.effectAllowed = "move";
            }}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              if (dragged !== null) move(dragged, index);
              setDragged(null);
            }}
            onDragEnd={() => setDragged(null)}
          >
            <button
              type="button"
              className="drag-handle"
              onKeyDown={keys(index)}
              aria-label={t("settings.folders.handle", { name: folder.name })}
              aria-describedby="folder-order-hint"
            >
              ⋮⋮
            </button>
            <span className="swatch" style={{ background: folder.color ?? "transparent" }} aria-hidden="true" />
            <span className="grow">{folder.name}</span>
            <button
              type="button"
              disabled={index === 0}
              onClick={() => move(index, index - 1)}
              aria-label={t("settings.folders.up", { name: folder.name })}
            >
              ↑
            </button>
            <button
              type="button"
              disabled={index === shown.length - 1}
              onClick={() => move(index, index + 1)}
              aria-label={t("settings.folders.down", { name: folder.name })}
            >
              ↓
            </button>
            <button type="button" onClick={() => setEditing(folder.id)} aria-label={t("settings.folders.edit", { name: folder.name })}>
              {t("settings.edit")}
            </button>
          </li>
        ))}
      </ol>
      <p id="folder-order-hint" className="muted hint">
        {t("settings.folders.orderHint")}
      </p>
      <p className="visually-hidden" role="status">
        {announce}
      </p>
      {save.isError && !editing && (
        <p role="alert" className="error">
          {errorText(save.error, t)}
        </p>
      )}
      {editing === null && (
        <button type="button" onClick={() => setEditing("new")}>
          {t("settings.folders.new")}
        </button>
      )}
      {editing !== null && (
        <FolderEditor
          key={editing}
          folder={open ?? null}
          position={open ? open.position : shown.length}
          // Closes this editor only: a delete that ends after another folder was opened leaves that one open.
          onDone={() => setEditing((current) => (current === editing ? null : current))}
        />
      )}
    </section>
  );
}
