// Saved replies in the composer (issue 16, item 4): a menu beside the text field, and `/` followed by a
// few letters of a title to pick one without leaving the keyboard. The reply goes in where the caret
// is, filled by the API for the conversation; what it could not fill stays as typed, is named under
// the field, and the first of it is selected so the person writes over it.
import { useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import { flushSync } from "react-dom";
import { apiErrorText } from "../api/errorText";
import { useApi } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import {
  fillSavedReply,
  insertAt,
  leftAsTyped,
  matchReplies,
  savedRepliesHashFrom,
  slashQuery,
  useSavedReplies,
  type SavedReply,
} from "./savedReplies";

const SHOWN = 8;

export interface SavedReplyInsert {
  ref: RefObject<HTMLTextAreaElement | null>;
  /** Spread on the text field: the suggestions' ARIA. */
  fieldProps: { "aria-autocomplete": "list"; "aria-controls"?: string; "aria-activedescendant"?: string };
  /** Call from the field's change and selection events: where the caret is. */
  track: () => void;
  /** Call first in the field's onKeyDown: true when it took the key (arrows, Enter, Tab, Escape). */
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  /** The `/` suggestions, the menu, and what the last insert left to write by hand. */
  suggestions: ReactNode;
  menu: ReactNode;
  notice: ReactNode;
}

/** The composer's saved replies for the text `text` (changed through `setText`) of one conversation. */
export function useSavedReplyInsert(
  conversationId: string,
  text: string,
  setText: (text: string) => void,
): SavedReplyInsert {
  const { t } = useI18n();
  const api = useApi();
  const ref = useRef<HTMLTextAreaElement | null>(null);
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null); // the `/` Escape closed
  const [menuOpen, setMenuOpen] = useState(false);
  const [left, setLeft] = useState<string[]>([]);
  const [problem, setProblem] = useState<{ error: unknown; text: string } | null>(null);
  const [filling, setFilling] = useState(false);
  const slash = slashQuery(text, caret);
  const replies = useSavedReplies(slash !== null || menuOpen);
  const list = replies.data?.items ?? [];
  const matches = slash && slash.start !== dismissed ? matchReplies(list, slash.query).slice(0, SHOWN) : [];
  const open = matches.length > 0;
  const listId = `saved-reply-suggestions-${conversationId}`;
  const optionId = (index: number) => `${listId}-${index}`;

  const insert = async (reply: SavedReply, start: number, end: number) => {
    if (filling) return; // a second Enter while the first fill is on its way would insert it twice
    setProblem(null);
    setFilling(true);
    const asked = text;
    const replaced = text.slice(start, end); // the `/query` (or the selection) the reply takes the place of
    try {
      const filled = await fillSavedReply(api, reply.id, conversationId);
      const current = ref.current?.value ?? text;
      // Typed meanwhile: the range may have moved; find what it held, else insert at the caret.
      if (current !== asked) {
        const found = replaced ? current.indexOf(replaced) : -1;
        const caretNow = ref.current?.selectionStart ?? current.length;
        [start, end] = found >= 0 ? [found, found + replaced.length] : [caretNow, caretNow];
      }
      const placed = insertAt(current, start, end, filled.text);
      const names = leftAsTyped(filled);
      // Rendered now, not on React's next task: on a busy page the frame below may come first, and
      // the selection it sets would fall on the old text, then collapse when the reply is put in.
      flushSync(() => {
        setText(placed.text);
        setLeft(names);
        setCaret(placed.caret);
      });
      // The first placeholder left as typed is selected, ready to be written over; else the caret
      // goes after the reply.
      const first = names.length ? placed.text.indexOf(names[0]!, start) : -1;
      requestAnimationFrame(() => {
        const field = ref.current;
        if (!field) return;
        field.focus();
        if (first >= 0 && first < placed.caret) field.setSelectionRange(first, first + names[0]!.length);
        else field.setSelectionRange(placed.caret, placed.caret);
      });
    } catch (error) {
      setProblem({ error, text: ref.current?.value ?? text });
    } finally {
      setFilling(false);
    }
  };

  const track = () => {
    const field = ref.current;
    const at = field ? (field.selectionStart ?? field.value.length) : caret;
    if (at === caret) return;
    setCaret(at);
    setActive(0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open || !slash) return false;
    if (event.key === "Tab" && event.shiftKey) return false; // the way back out of the field stays open
    if (filling && ["ArrowDown", "ArrowUp", "Enter", "Tab"].includes(event.key)) {
      // a fill is on its way: the keys that would choose or insert again do nothing meanwhile
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((index) => (index + step + matches.length) % matches.length);
    } else if ((event.key === "Enter" && !event.ctrlKey && !event.metaKey) || event.key === "Tab") {
      void insert(matches[Math.min(active, matches.length - 1)]!, slash.start, caret);
    } else if (event.key === "Escape") {
      setDismissed(slash.start);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  const suggestions = open && (
    <ul id={listId} role="listbox" className="saved-reply-suggestions" aria-label={t("savedReplies.suggestions")}>
      {matches.map((reply, index) => (
        <li
          key={reply.id}
          id={optionId(index)}
          role="option"
          aria-selected={index === active}
          onMouseDown={(event) => event.preventDefault()} // the field keeps the focus and its caret
          onClick={() => slash && void insert(reply, slash.start, caret)}
        >
          <span className="saved-reply-title">{reply.title}</span>
          <span className="muted saved-reply-preview">{reply.text}</span>
        </li>
      ))}
    </ul>
  );

  const menu = (
    <SavedReplyMenu
      open={menuOpen}
      onOpen={setMenuOpen}
      replies={list}
      loading={replies.isPending && menuOpen}
      error={replies.error}
      leaveTo={text.trim() ? null : savedRepliesHashFrom(conversationId)}
      onPick={(reply) => {
        const field = ref.current;
        const start = field?.selectionStart ?? text.length;
        const end = field?.selectionEnd ?? start;
        setMenuOpen(false);
        void insert(reply, start, end);
      }}
    />
  );

  // What the last insert left to write by hand, while it is still in the text (not once written over or sent).
  const stillLeft = left.filter((name) => text.includes(name));
  const notice = (
    <>
      <p role="status" className="visually-hidden saved-reply-announce">
        {open ? t("savedReplies.suggestionsOpen", { count: matches.length }) : ""}
      </p>
      {stillLeft.length > 0 && (
        <p role="status" className="saved-reply-left">
          {t("savedReplies.left", { names: stillLeft.join(", ") })}
        </p>
      )}
      {problem !== null && problem.text === text && (
        <p role="alert" className="error">
          {apiErrorText(problem.error, t)}
        </p>
      )}
    </>
  );

  return {
    ref,
    fieldProps: {
      "aria-autocomplete": "list",
      "aria-controls": open ? listId : undefined,
      "aria-activedescendant": open ? optionId(Math.min(active, matches.length - 1)) : undefined,
    },
    track,
    onKeyDown,
    suggestions,
    menu,
    notice,
  };
}

interface MenuProps {
  open: boolean;
  onOpen: (open: boolean) => void;
  replies: readonly SavedReply[];
  loading: boolean;
  error: unknown;
  /** The link to the screen, whose way back returns to this conversation. It leaves the inbox (the reply
   * being typed with it): offered on an empty field only (null otherwise). */
  leaveTo: string | null;
  onPick: (reply: SavedReply) => void;
}

/** "Saved replies": a button that opens a list to find one by its title and insert it. */
function SavedReplyMenu({ open, onOpen, replies, loading, error, leaveTo, onPick }: MenuProps) {
  const { t } = useI18n();
  const [query, setQuery] = useState("");
  const button = useRef<HTMLButtonElement>(null);
  const found = matchReplies(replies, query);
  const close = () => {
    onOpen(false);
    setQuery("");
    button.current?.focus();
  };
  return (
    <div
      className="saved-reply-menu"
      onBlur={(event) => {
        // Closed once the focus leaves the button and its panel (a click in the field, Tab past the link).
        if (open && !event.currentTarget.contains(event.relatedTarget as Node | null)) {
          onOpen(false);
          setQuery("");
        }
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="saved-reply-menu"
        onClick={() => (open ? close() : onOpen(true))}
      >
        {t("savedReplies.insert")}
      </button>
      {open && (
        <div
          id="saved-reply-menu"
          className="saved-reply-panel"
          // A click on a choice keeps the focus in the panel (Safari does not focus buttons and links on click).
          onMouseDown={(event) => {
            if (!(event.target instanceof HTMLInputElement)) event.preventDefault();
          }}
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              event.preventDefault();
              close();
            }
          }}
        >
          <label>
            {t("savedReplies.find")}
            <input
              type="search"
              value={query}
              autoFocus
              autoComplete="off"
              onChange={(event) => setQuery(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter") {
                  event.preventDefault(); // not the composer's submit
                  if (found[0]) onPick(found[0]);
                }
              }}
            />
          </label>
          {loading && <p className="muted">{t("app.loading")}</p>}
          {error !== null && error !== undefined && <p className="error">{apiErrorText(error, t)}</p>}
          {!loading && replies.length === 0 && !error && <p className="muted">{t("savedReplies.none")}</p>}
          {replies.length > 0 && found.length === 0 && <p className="muted">{t("savedReplies.noMatch")}</p>}
          <ul className="saved-reply-choices">
            {found.map((reply) => (
              <li key={reply.id}>
                <button type="button" onClick={() => onPick(reply)}>
                  <span className="saved-reply-title">{reply.title}</span>
                  {reply.scope === "personal" && <span className="badge">{t("savedReplies.scope.personal")}</span>}
                </button>
              </li>
            ))}
          </ul>
          {leaveTo && <a href={leaveTo}>{t("savedReplies.manage")}</a>}
        </div>
      )}
    </div>
  );
}
