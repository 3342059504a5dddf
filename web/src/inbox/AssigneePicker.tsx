import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useMe, useUsers } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { choiceStartingWith, personLabel, pickerChoices, type Choice, type Person } from "./people";

/** A button that opens the tenant's people as a list box (me first, then nobody, then the others):
 * the conversation's assign action (key `a` clicks it) and the bulk bar's. The people are read when it
 * first opens. Keys: arrows, Home/End, a letter, Enter or Space to choose, Esc or Tab to close. */
export function AssigneePicker({
  current,
  onPick,
  disabled = false,
  name,
}: {
  current: string | null | undefined;
  onPick: (assigneeId: string | null) => void;
  disabled?: boolean;
  /** Marks the button for the keyboard shortcut and the browser tests. */
  name: string;
}) {
  const { t } = useI18n();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const users = useUsers(open);
  const choices = pickerChoices(users.data, me.data?.user_id);
  const labels = choices.map((choice) => choiceLabel(choice, t));
  const [active, setActive] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const index = choices.findIndex((choice) => choice.id === (current ?? null));
    setActive(index === -1 ? 0 : index);
    list.current?.focus();
    // Once when it opens, and again when the people arrive (the current one may be among them).
  }, [open, users.data]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const pick = (choice: Choice) => {
    close();
    if (choice.id !== (current ?? null)) onPick(choice.id);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    // The list box's keys are its own: the inbox's shortcuts (document-wide) must not see them.
    event.stopPropagation();
    const last = choices.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: Math.min(last, active + 1),
      ArrowUp: Math.max(0, active - 1),
      Home: 0,
      End: last,
    };
    if (event.key in moves) setActive(moves[event.key]!);
    else if (event.key === "Enter" || event.key === " ") pick(choices[active]!);
    else if (event.key === "Escape") close();
    else if (event.key === "Tab") setOpen(false);
    else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      setActive(choiceStartingWith(labels, event.key, active));
    } else return;
    if (event.key !== "Tab") event.preventDefault();
  };

  return (
    <span className="assignee-picker">
      <button
        ref={button}
        type="button"
        name={name}
        disabled={disabled}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={open ? `${id}-list` : undefined}
        onClick={() => setOpen((was) => !was)}
      >
        {t("people.assignTo")}
      </button>
      {open && (
        <ul
          ref={list}
          id={`${id}-list`}
          role="listbox"
          tabIndex={-1}
          aria-label={t("people.assignTo")}
          aria-activedescendant={`${id}-${active}`}
          aria-busy={users.isPending}
          className="assignee-list"
          onKeyDown={onKeyDown}
          onBlur={(event) => {
            if (!event.currentTarget.parentElement?.contains(event.relatedTarget as Node | null)) setOpen(false);
          }}
        >
          {choices.map((choice, index) => (
            <li
              key={choice.id ?? "nobody"}
              id={`${id}-${index}`}
              role="option"
              aria-selected={choice.id === (current ?? null)}
              className={index === active ? "active" : undefined}
              onMouseDown={(event) => event.preventDefault()} // the list box keeps the focus
              onClick={() => pick(choice)}
            >
              {labels[index]}
              {choice.person?.email && choice.person.name && <span className="muted"> {choice.person.email}</span>}
            </li>
          ))}
          {users.isPending && (
            <li role="option" aria-disabled="true" aria-selected={false} className="muted">
              {t("people.loading")}
            </li>
          )}
          {users.isError && (
            <li role="option" aria-disabled="true" aria-selected={false} className="error">
              {t("people.error")}
            </li>
          )}
        </ul>
      )}
    </span>
  );
}

function choiceLabel(choice: Choice, t: ReturnType<typeof useI18n>["t"]): string {
  if (choice.kind === "nobody") return t("people.nobody");
  if (choice.kind === "me") return choice.person ? t("people.meNamed", { name: personLabel(choice.person) }) : t("people.me");
  return personLabel(choice.person!);
}

/** Who a conversation is assigned to, in words: null when nobody, `mine` when me, else the person's
 * name (the people are read for it, once; read again when a person nobody knows shows up). */
export function useAssignee(assigneeId: string | null | undefined): { mine: boolean; name: string } | null {
  const me = useMe();
  const { t } = useI18n();
  const other = Boolean(assigneeId) && me.data !== undefined && assigneeId !== me.data.user_id;
  const users = useUsers(other);
  const person = users.data?.find((p) => p.id === assigneeId);
  const stale = users.data !== undefined && Date.now() - users.dataUpdatedAt > 60_000;
  useEffect(() => {
    if (other && !person && stale && !users.isFetching) void users.refetch();
  }, [other, person, stale, users]);
  if (!assigneeId) return null;
  if (me.data === undefined) return { mine: false, name: "…" };
  if (!other) return { mine: true, name: t("people.me") };
  return { mine: false, name: person ? personLabel(person) : users.isPending ? "…" : t("people.unknown") };
}

/** The people as a select's options (the filter bar's assignee), me and nobody left to the caller. */
export function PeopleOptions({ people, meId }: { people: readonly Person[]; meId: string | undefined }) {
  return (
    <>
      {people
        .filter((person) => person.id !== meId)
        .map((person) => (
          <option key={person.id} value={person.id}>
            {personLabel(person)}
          </option>
        ))}
    </>
  );
}
