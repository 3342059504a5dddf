import { useEffect, useMemo, useState, type FormEvent } from "react";
import type { Folder } from "../api/client";
import { ConfirmDelete } from "../forms/ConfirmDelete";
import { useI18n } from "../i18n/i18n";
import { AutoReplyReadiness } from "./AutoReplyReadiness";
import { saidByNudge } from "./nudgeRefusal";
import { NO_NUDGE, NudgeFieldset } from "./NudgeSettings";
import { errorText, useDeleteFolder, useRulePreview, useSaveFolder, type FolderIn } from "./queries";
import { RuleBuilder } from "./RuleBuilder";
import { fromJson, problems, toJson, type GroupNode } from "./rules";

const MAX_EXAMPLES = 10;

/** One folder's settings: name, colour, rule (with what it would match now), AI filter, auto-reply. */
export function FolderEditor({ folder, position, onDone }: { folder: Folder | null; position: number; onDone: () => void }) {
  const { t } = useI18n();
  const save = useSaveFolder();
  const remove = useDeleteFolder();
  const [name, setName] = useState(folder?.name ?? "");
  const [color, setColor] = useState(folder?.color ?? "#1f5fbf");
  const [rule, setRule] = useState<GroupNode>(() => fromJson(folder?.rules ?? null));
  const [aiFilter, setAiFilter] = useState(folder?.ai_filter ?? "");
  const [examples, setExamples] = useState<string[]>(folder?.ai_examples ?? []);
  const [autoReply, setAutoReply] = useState(
    folder?.auto_reply ?? { enabled: false, mode: "validation" as const, min_confidence_percent: 70 },
  );
  const [nudge, setNudge] = useState(folder?.nudge ?? NO_NUDGE);
  const issues = problems(rule);
  const json = useMemo(() => toJson(rule), [rule]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: FolderIn = {
      name: name.trim(),
      position,
      color,
      rules: json as FolderIn["rules"],
      ai_filter: aiFilter.trim() || null,
      ai_examples: examples.map((e) => e.trim()).filter(Boolean),
      auto_reply: autoReply,
      nudge,
    };
    save.mutate({ id: folder?.id ?? null, folder: body }, { onSuccess: onDone });
  };

  return (
    <form className="settings-form folder-editor" onSubmit={submit} aria-labelledby="folder-editor-title">
      <h2 id="folder-editor-title">{folder ? t("settings.folders.editing", { name: folder.name }) : t("settings.folders.new")}</h2>
      <div className="row">
        <label className="grow">
          {t("settings.name")}
          <input name="name" required maxLength={60} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t("settings.folders.color")}
          <input name="color" type="color" value={color} onChange={(e) => setColor(e.target.value)} />
        </label>
      </div>
      <fieldset className="rules">
        <legend>{t("settings.folders.rules")}</legend>
        <p className="muted hint">{t("settings.folders.rulesHint")}</p>
        <RuleBuilder value={rule} onChange={setRule} />
        {issues.length > 0 && (
          <ul className="error">
            {issues.map((issue) => (
              <li key={issue}>{t(`settings.rules.problem.${issue}`)}</li>
            ))}
          </ul>
        )}
        <RulePreview rule={json} ready={issues.length === 0} />
      </fieldset>
      <fieldset>
        <legend>{t("settings.folders.ai")}</legend>
        <label>
          {t("settings.folders.aiFilter")}
          <textarea name="ai_filter" rows={3} maxLength={2000} value={aiFilter} onChange={(e) => setAiFilter(e.target.value)} />
          <span className="muted hint">{t("settings.folders.aiFilterHint")}</span>
        </label>
        <ol className="examples">
          {examples.map((example, index) => (
            <li key={index}>
              <label className="grow">
                {t("settings.folders.example", { n: index + 1 })}
                <textarea
                  rows={2}
                  maxLength={1000}
                  value={example}
                  onChange={(e) => setExamples(examples.map((x, i) => (i === index ? e.target.value : x)))}
                />
              </label>
              <button type="button" className="danger" onClick={() => setExamples(examples.filter((_, i) => i !== index))}>
                {t("settings.rules.remove")}
              </button>
            </li>
          ))}
        </ol>
        {examples.length < MAX_EXAMPLES && (
          <button type="button" onClick={() => setExamples([...examples, ""])}>
            {t("settings.folders.addExample")}
          </button>
        )}
      </fieldset>
      <fieldset>
        <legend>{t("settings.folders.autoReply")}</legend>
        <label className="inline">
          <input
            type="checkbox"
            name="auto_reply"
            role="switch"
            checked={autoReply.enabled}
            onChange={(e) => setAutoReply({ ...autoReply, enabled: e.target.checked })}
          />
          {t("settings.folders.autoReplyOn")}
        </label>
        <AutoReplyReadiness enabled={autoReply.enabled} />
        <label>
          {t("settings.folders.autoReplyMode")}
          <select
            name="auto_reply_mode"
            value={autoReply.mode}
            disabled={!autoReply.enabled}
            onChange={(e) => setAutoReply({ ...autoReply, mode: e.target.value as "automatic" | "validation" })}
          >
            <option value="validation">{t("settings.folders.mode.validation")}</option>
            <option value="automatic">{t("settings.folders.mode.automatic")}</option>
          </select>
        </label>
        <label>
          {t("settings.folders.minConfidence")}
          <input
            name="min_confidence_percent"
            type="number"
            required
            min={0}
            max={100}
            step={1}
            value={autoReply.min_confidence_percent ?? 70}
            disabled={!autoReply.enabled || autoReply.mode !== "automatic"}
            aria-describedby="min-confidence-hint"
            onChange={(e) => setAutoReply({ ...autoReply, min_confidence_percent: e.target.valueAsNumber })}
          />
          <span id="min-confidence-hint" className="muted hint">
            {t("settings.folders.minConfidenceHint")}
          </span>
        </label>
      </fieldset>
      <NudgeFieldset value={nudge} onChange={setNudge} error={save.error} />
      <div className="form-actions">
        <button type="submit" disabled={save.isPending || issues.length > 0}>
          {save.isPending ? t("settings.saving") : t("settings.save")}
        </button>
        <button type="button" onClick={onDone}>
          {t("settings.cancel")}
        </button>
        {folder && (
          <ConfirmDelete
            label={t("settings.delete")}
            question={t("settings.folders.deleteConfirm", { name: folder.name })}
            pending={remove.isPending}
            onDelete={() => remove.mutateAsync(folder.id).then(onDone)}
            focusAfter="folders-title"
          />
        )}
      </div>
      {/* A nudge's refused placeholder is said next to its field (NudgeFieldset), not twice. */}
      {((save.error && !saidByNudge(save.error, nudge)) || remove.error) && (
        <p role="alert" className="error">
          {errorText((saidByNudge(save.error, nudge) ? null : save.error) ?? remove.error, t)}
        </p>
      )}
    </form>
  );
}

/** Which of the latest conversations the rule matches now, asked again 300 ms after each change. */
function RulePreview({ rule, ready }: { rule: ReturnType<typeof toJson>; ready: boolean }) {
  const { t, formatTime } = useI18n();
  const [settled, setSettled] = useState(rule);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(rule), 300);
    return () => clearTimeout(timer);
  }, [rule]);
  const preview = useRulePreview(settled, ready);
  if (!rule) return <p className="muted">{t("settings.preview.empty")}</p>;
  return (
    <section className="rule-preview" aria-labelledby="preview-title" aria-busy={preview.isFetching}>
      <h3 id="preview-title">{t("settings.preview.title")}</h3>
      {preview.isError && <p className="error">{errorText(preview.error, t)}</p>}
      {preview.data && (
        <>
          <p role="status" className="muted">
            {t("settings.preview.count", { count: preview.data.items.length, examined: preview.data.examined })}
          </p>
          {(preview.data.not_previewed ?? []).length > 0 && (
            <p className="notice">{t("settings.preview.notPreviewed", { fields: (preview.data.not_previewed ?? []).join(", ") })}</p>
          )}
          <ul className="preview-list">
            {preview.data.items.map((c) => (
              <li key={c.id} data-conversation-id={c.id}>
                <span className="contact">{c.contact.name || c.contact.email || c.contact.phone || t("list.unknownContact")}</span>
                <span className="summary">{c.subject || c.preview}</span>
                <time dateTime={c.last_activity_at}>{formatTime(c.last_activity_at)}</time>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
