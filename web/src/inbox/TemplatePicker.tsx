import { useState, type KeyboardEvent } from "react";
import { useReply } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { errorText } from "../settings/queries";
import { useConversationTemplates, useRefreshConversationTemplates } from "../templates/queries";
import {
  parameterProblem,
  renderTemplate,
  templateLabel,
  templatePieces,
  type WhatsAppTemplate,
} from "./whatsappTemplates";

/** A WhatsApp reply as one of the integration's approved templates: pick one, fill its parameters,
 * read the preview (what the customer gets, and what is stored), send. In place of the text field
 * once the 24-hour window is closed; folded under it while the window is open. */
export function TemplatePicker({ conversationId, windowOpen }: { conversationId: string; windowOpen: boolean }) {
  const { t } = useI18n();
  const templates = useConversationTemplates(conversationId);
  const refresh = useRefreshConversationTemplates(conversationId); // Vonage's list read again (issue 16)
  const reply = useReply(conversationId);
  const [chosen, setChosen] = useState<number | null>(null);
  const [parameters, setParameters] = useState<string[]>([]);
  const list = templates.data ?? [];
  const template: WhatsAppTemplate | null = chosen === null ? null : (list[chosen] ?? null);
  const problems = parameters.map(parameterProblem);
  const ready = template !== null && problems.every((problem) => problem === null) && !reply.isPending;

  const choose = (index: string) => {
    const picked = index === "" ? null : Number(index);
    setChosen(picked);
    setParameters(Array.from({ length: picked === null ? 0 : (list[picked]?.parameters ?? 0) }, () => ""));
    reply.reset();
  };
  const send = () => {
    if (!ready || template === null) return;
    const body = { template: { name: template.name, locale: template.locale, parameters } };
    reply.mutate(body, { onSuccess: () => choose("") });
  };
  const sendOnEnter = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Enter") return;
    event.preventDefault(); // not the composer's own submit: its text field is not what is sent here
    send();
  };

  const body = (
    <div className="template-picker">
      {templates.isPending && <p className="muted">{t("app.loading")}</p>}
      {templates.isError && (
        <p role="alert" className="error">
          {t("app.error", { message: errorText(templates.error, t) })}
        </p>
      )}
      {templates.isSuccess && list.length === 0 && <p className="muted">{t("compose.template.none")}</p>}
      <button
        type="button"
        className="link template-refresh"
        onClick={() => {
          const before = template;
          refresh.mutate(undefined, {
            onSuccess: (items) => {
              // The choice stays while the refreshed list still has it at its place; otherwise it is undone.
              const kept = before && chosen !== null && items[chosen]?.name === before.name;
              if (!kept || items[chosen]?.locale !== before.locale) choose("");
            },
          });
        }}
        disabled={refresh.isPending}
      >
        {refresh.isPending ? t("templates.refreshing") : t("templates.refresh")}
      </button>
      {refresh.isError && (
        <p role="alert" className="error">
          {t("app.error", { message: errorText(refresh.error, t) })}
        </p>
      )}
      {list.length > 0 && (
        <>
          <label>
            {t("compose.template.choose")}
            <select value={chosen ?? ""} onChange={(event) => choose(event.target.value)}>
              <option value="">{t("compose.template.placeholder")}</option>
              {list.map((each, index) => (
                <option key={`${each.name}/${each.locale}`} value={index}>
                  {templateLabel(each, list)}
                </option>
              ))}
            </select>
          </label>
          {parameters.map((value, index) => {
            const problem = value === "" ? null : problems[index];
            return (
              <label key={index} className="template-parameter">
                {t("compose.template.parameter", { number: index + 1 })}
                <input
                  value={value}
                  maxLength={1024}
                  aria-invalid={problem !== null}
                  onChange={(event) =>
                    setParameters((current) => current.map((old, n) => (n === index ? event.target.value : old)))
                  }
                  onKeyDown={sendOnEnter}
                />
                {problem && <span className="error hint">{t(`compose.template.problem.${problem}`)}</span>}
              </label>
            );
          })}
          {template && (
            <figure className="template-preview" data-rendered={renderTemplate(template.text, parameters)}>
              <figcaption>{t("compose.template.preview", { locale: template.locale })}</figcaption>
              <p>
                {templatePieces(template.text, parameters).map((piece, index) =>
                  "text" in piece ? (
                    piece.text
                  ) : piece.value === null ? (
                    <span key={index} className="template-missing">{`{{${piece.parameter}}}`}</span>
                  ) : (
                    <mark key={index}>{piece.value}</mark>
                  ),
                )}
              </p>
            </figure>
          )}
          {reply.isError && (
            <p role="alert" className="error">
              {t("app.error", { message: errorText(reply.error, t) })}
            </p>
          )}
          <button type="button" onClick={send} disabled={!ready}>
            {reply.isPending ? t("compose.sending") : t("compose.template.send")}
          </button>
        </>
      )}
    </div>
  );
  if (!windowOpen) return body;
  return (
    <details className="composer-templates">
      <summary>{t("compose.template.offer")}</summary>
      {body}
    </details>
  );
}
