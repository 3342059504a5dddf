// A saved reply as a follow-up's message (issue 16, item 4): its text as written goes in the field,
// placeholders and all; they are filled when the follow-up sends it, from the conversation as it is then.
import { useState } from "react";
import { useI18n } from "../i18n/i18n";
import { useSavedReplies } from "./savedReplies";

export function FollowUpSavedReply({ onPick }: { onPick: (text: string) => void }) {
  const { t } = useI18n();
  const [wanted, setWanted] = useState(false);
  const replies = useSavedReplies(wanted);
  const items = replies.data?.items ?? [];
  return (
    <div className="follow-up-saved-reply">
      <label>
        {t("savedReplies.followUp.choose")}
        <select
          value=""
          onFocus={() => setWanted(true)}
          onPointerDown={() => setWanted(true)}
          onChange={(event) => {
            const reply = items.find((each) => each.id === event.target.value);
            if (reply) onPick(reply.text);
          }}
        >
          <option value="">{t(replies.isFetching ? "app.loading" : "savedReplies.followUp.none")}</option>
          {items.map((reply) => (
            <option key={reply.id} value={reply.id}>
              {reply.title}
            </option>
          ))}
        </select>
      </label>
      <p className="muted hint">{t("savedReplies.followUp.hint")}</p>
    </div>
  );
}
