import { useRef } from "react";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { useFocusTrap } from "./focusTrap";
import { SHORTCUTS, type ShortcutAction } from "./shortcuts";

const LABELS: Record<ShortcutAction, MessageKey> = {
  next: "shortcuts.next",
  previous: "shortcuts.previous",
  open: "shortcuts.open",
  reply: "shortcuts.reply",
  note: "shortcuts.note",
  resolve: "shortcuts.resolve",
  assign: "shortcuts.assign",
  move: "shortcuts.move",
  unread: "shortcuts.unread",
  suggest: "shortcuts.suggest",
  select: "shortcuts.select",
  search: "shortcuts.search",
  close: "shortcuts.close.action",
  help: "shortcuts.help",
};

/** The `?` list of keys: a modal dialog that keeps the focus while open and gives it back when closed. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDivElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  useFocusTrap(dialog, close);
  return (
    <div className="overlay" onClick={onClose}>
      <div
        ref={dialog}
        className="shortcuts"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onClick={(event) => event.stopPropagation()}
      >
        <h2 id="shortcuts-title">{t("shortcuts.title")}</h2>
        <dl>
          {SHORTCUTS.map(({ keys, action }) => (
            <div key={action}>
              <dt>
                {keys.map((key) => (
                  <kbd key={key}>{key}</kbd>
                ))}
              </dt>
              <dd>{t(LABELS[action])}</dd>
            </div>
          ))}
        </dl>
        <button type="button" ref={close} onClick={onClose}>
          {t("shortcuts.close")}
        </button>
      </div>
    </div>
  );
}
