// A saved reply as a follow-up's message (issue 16, item 4): its text as written goes in the field,
// placeholders and all; they are filled when the follow-up sends it, from the conversation as it is then.
import { useState } from "react";
import { useI18n } from "../i18n/i18n";
import { useSavedReplies } from "./savedReplies";

/** A select to choose a saved reply and a button to use it: choosing alone does nothing (arrow keys on a
 * closed select change it as they go); `onPick` gets the chosen reply's text. */
export function FollowUpSavedReply({ onPick }: { onPick: (text: string) => void }) {
  const { t } = useI18n();
  const [wanted, setWanted] = useState(false);
  const [chosen, setChosen] = useState("");
  const replies = useSavedReplies(wanted);
  const items = replies.data?.items ?? [];
  const reply = items.find((each) => each.id === chosen);
  return (
    <div className="follow-up-saved-reply">
      <label>
        {t("savedReplies.followUp.choose")}
        <select
          value={chosen}
          onFocus={() => setWanted(true)}
          onPointerDown={() => setWanted(true)}
          onChange={(event) => setChosen(event.target.value)}
        >
          <option value="">{t(replies.isFetching ? "app.loading" : "savedReplies.followUp.none")}</option>
          {items.map((each) => (
            <option key={each.id} value={each.id}>
              {each.title}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={!reply} onClick={() => reply && onPick(reply.text)}>
        {t("savedReplies.followUp.use")}
      </button>
      <p className="muted hint">{t("savedReplies.followUp.hint")}</p>
    </div>
  );
}

/** The follow-up's text once a saved reply is used: the reply alone in an empty field, else after what
 * was typed, on a new paragraph (nothing typed is lost). */
export function withSavedReply(current: string, reply: string): string {
  return current.trim() ? `${current.trimEnd()}\n\n${reply}` : reply;
}
