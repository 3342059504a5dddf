import { useEffect, useState } from "react";
import { useI18n } from "../i18n/i18n";
import { useDebounced } from "../inbox/useDebounced";
import { MAX_QUERY, searchQuery } from "./query";

/** The field atop the conversation list. It tells `onQuery` what to search once the typing pauses
 * (each word is a prefix for the API, so a half-typed word finds already), and null at once when
 * emptied. Escape clears it (once empty, Escape leaves the field, as in any field of the inbox);
 * `/` elsewhere in the inbox focuses it (Inbox.tsx). */
export function SearchField({ onQuery }: { onQuery: (query: string | null) => void }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState("");
  const settled = useDebounced(typed);
  const query = typed.trim() ? searchQuery(settled) : null;
  useEffect(() => {
    onQuery(query);
  }, [query, onQuery]);

  return (
    <div className="search-field" role="search">
      <label className="visually-hidden" htmlFor="conversation-search">
        {t("search.label")}
      </label>
      <input
        id="conversation-search"
        type="search"
        name="q"
        value={typed}
        maxLength={MAX_QUERY}
        placeholder={t("search.placeholder")}
        aria-keyshortcuts="/"
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => setTyped(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== "Escape" || typed === "") return;
          event.preventDefault();
          event.stopPropagation(); // cleared, not left: the inbox's Escape is for an empty field
          setTyped("");
        }}
      />
    </div>
  );
}
