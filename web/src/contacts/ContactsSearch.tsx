import { useRef, useState } from "react";
import { createPortal } from "react-dom";
import { apiErrorText } from "../api/errorText";
import { useI18n } from "../i18n/i18n";
import { useFocusTrap } from "../inbox/focusTrap";
import { useDebounced } from "../inbox/useDebounced";
import { ContactPanel } from "./ContactPanel";
import { contactLabel } from "./contactForm";
import { useContactPages } from "./queries";

/** The top bar's **Customers**: find a customer by name, email or phone, see their panel (details,
 * history, merge), and open one of their conversations. */
export function ContactsSearch({ onOpen }: { onOpen: (conversationId: string) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" name="customers" onClick={() => setOpen(true)}>
        {t("contacts.open")}
      </button>
      {open && (
        <ContactsDialog
          onClose={() => setOpen(false)}
          onOpen={(id) => {
            setOpen(false);
            onOpen(id);
          }}
        />
      )}
    </>
  );
}

function ContactsDialog({ onClose, onOpen }: { onClose: () => void; onOpen: (conversationId: string) => void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState("");
  const searched = useDebounced(query.trim());
  const [chosen, setChosen] = useState<string | null>(null);
  const pages = useContactPages(searched);
  useFocusTrap(dialog, first);
  const found = pages.data?.pages.flatMap((page) => page.items) ?? [];

  return createPortal(
    <div className="overlay" onClick={onClose}>
      <div
        ref={dialog}
        className="contacts-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="contacts-title"
        onClick={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          event.stopPropagation(); // the inbox's shortcuts are not for keys typed here
          // Escape in the merge dialog above closes that one only (it is in the body, not in here).
          if (event.key === "Escape") onClose();
        }}
      >
        <h2 id="contacts-title">{t("contacts.title")}</h2>
        {chosen === null ? (
          <>
            <label htmlFor="contacts-search">{t("merge.search")}</label>
            <input
              ref={first}
              id="contacts-search"
              type="search"
              autoComplete="off"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
            {pages.isError && (
              <p role="alert" className="error">
                {apiErrorText(pages.error, t)}
              </p>
            )}
            {pages.isSuccess && !found.length && <p className="muted">{t("merge.noMatch")}</p>}
            <ul className="merge-candidates">
              {found.map((contact) => (
                <li key={contact.id}>
                  <button type="button" className="merge-candidate" onClick={() => setChosen(contact.id)}>
                    <strong>{contactLabel(contact) ?? t("contact.unknown")}</strong>
                    <span className="muted">
                      {[...contact.emails, ...contact.phones, contact.company ?? ""].filter(Boolean).join(" · ")}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {pages.hasNextPage && (
              <button
                type="button"
                className="link"
                disabled={pages.isFetchingNextPage}
                onClick={() => void pages.fetchNextPage()}
              >
                {t("contact.historyMore")}
              </button>
            )}
          </>
        ) : (
          <>
            <button type="button" className="link" onClick={() => setChosen(null)}>
              ← {t("contacts.back")}
            </button>
            <ContactPanel contactId={chosen} conversationId={null} onOpen={onOpen} startOpen dialogHost={dialog.current} />
          </>
        )}
        <div className="contact-buttons">
          <button type="button" onClick={onClose}>
            {t("contacts.close")}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
