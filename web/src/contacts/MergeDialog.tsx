import { useRef, useState } from "react";
import { createPortal } from "react-dom";
import { apiErrorText } from "../api/errorText";
import { useI18n } from "../i18n/i18n";
import { useFocusTrap } from "../inbox/focusTrap";
import { useDebounced } from "../inbox/useDebounced";
import { contactLabel } from "./contactForm";
import { useContactSearch, useMerge, useMergePreview, type Contact } from "./queries";

/** A modal dialog merging another customer into `contact`: find them (name, email or phone), see the
 * result of the merge (the API's preview, nothing written), then confirm. */
export function MergeDialog({
  contact,
  initialQuery,
  onClose,
  onMerged,
  host,
}: {
  contact: Contact;
  initialQuery: string;
  onClose: () => void;
  onMerged: (moved: number) => void;
  /** Where it is put: the body, or the dialog it is opened from (whose focus trap must contain it). */
  host?: HTMLElement | null;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState(initialQuery);
  const searched = useDebounced(query.trim());
  const [other, setOther] = useState<Contact | null>(null);
  const search = useContactSearch(searched, other === null);
  const preview = useMergePreview(contact.id);
  const merge = useMerge(contact.id);
  useFocusTrap(dialog, first);

  const name = contactLabel(contact) ?? t("contact.unknown");
  const otherName = other ? (contactLabel(other) ?? t("contact.unknown")) : "";
  const candidates = (search.data ?? []).filter((found) => found.id !== contact.id);
  const choose = (found: Contact) => {
    setOther(found);
    preview.mutate(found.id);
  };
  const back = () => {
    setOther(null);
    preview.reset();
    merge.reset();
    setTimeout(() => first.current?.focus());
  };
  const result = preview.data?.contact;
  const error = merge.error ?? preview.error ?? search.error;

  // Not in the panel: the panel (sticky, beside the conversation) is a stacking context that the
  // conversation's sticky composer would paint over.
  return createPortal(
    <div className="overlay" onClick={onClose}>
      <div
        ref={dialog}
        className="merge-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="merge-title"
        onClick={(event) => event.stopPropagation()}
        onKeyDown={(event) => {
          event.stopPropagation(); // the inbox's shortcuts are not for keys typed here
          if (event.key === "Escape") onClose();
        }}
      >
        <h2 id="merge-title">{t("merge.title", { name })}</h2>
        {other === null ? (
          <>
            <label htmlFor="merge-search">{t("merge.search")}</label>
            <input
              ref={first}
              id="merge-search"
              type="search"
              autoComplete="off"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
            {search.isFetching && <p className="muted">{t("merge.searching")}</p>}
            {search.isSuccess && !candidates.length && <p className="muted">{t("merge.noMatch")}</p>}
            <ul className="merge-candidates">
              {candidates.map((found) => (
                <li key={found.id}>
                  <button
                    type="button"
                    className="merge-candidate"
                    aria-label={t("merge.choose", { name: contactLabel(found) ?? t("contact.unknown") })}
                    onClick={() => choose(found)}
                  >
                    <strong>{contactLabel(found) ?? t("contact.unknown")}</strong>
                    <span className="muted">
                      {[...found.emails, ...found.phones, found.company ?? ""].filter(Boolean).join(" · ")}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <section aria-labelledby="merge-preview-title" className="merge-preview">
            <h3 id="merge-preview-title">{t("merge.preview")}</h3>
            <p>{t("merge.previewIntro", { other: otherName, name })}</p>
            {preview.isPending && <p className="muted">{t("app.loading")}</p>}
            {result && (
              <dl>
                <dt>{t("contact.name")}</dt>
                <dd>{result.name || <span className="muted">{t("contact.none")}</span>}</dd>
                <dt>{t("contact.emails")}</dt>
                <dd>{result.emails.join(", ") || <span className="muted">{t("contact.none")}</span>}</dd>
                <dt>{t("contact.phones")}</dt>
                <dd>{result.phones.join(", ") || <span className="muted">{t("contact.none")}</span>}</dd>
                <dt>{t("contact.company")}</dt>
                <dd>{result.company || <span className="muted">{t("contact.none")}</span>}</dd>
                <dt>{t("contact.notes")}</dt>
                <dd className="contact-notes">{result.notes || <span className="muted">{t("contact.none")}</span>}</dd>
              </dl>
            )}
          </section>
        )}
        {error && (
          <p role="alert" className="error">
            {apiErrorText(error, t)}
          </p>
        )}
        <div className="contact-buttons">
          {other === null ? (
            <button type="button" onClick={onClose}>
              {t("merge.cancel")}
            </button>
          ) : (
            <>
              <button type="button" onClick={back} disabled={merge.isPending}>
                {t("merge.back")}
              </button>
              <button
                type="submit"
                name="confirm-merge"
                disabled={!result || merge.isPending}
                onClick={() =>
                  merge.mutate(other.id, { onSuccess: (done) => onMerged(done.moved_conversations) })
                }
              >
                {merge.isPending ? t("merge.merging") : t("merge.confirm")}
              </button>
            </>
          )}
        </div>
      </div>
    </div>,
    host ?? document.body,
  );
}
