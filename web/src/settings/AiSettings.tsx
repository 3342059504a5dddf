import { useEffect, useState, type FormEvent } from "react";
import { useI18n } from "../i18n/i18n";
import { AiLookups } from "./AiLookups";
import { AiTry } from "./AiTry";
import { AutoReplyCapsFields, CompanyPromptField, DEFAULT_LIMITS, type AutoReplyLimits } from "./AutoReplySettings";
import { errorText, useAiSettings, useSaveAiSettings } from "./queries";

/** The tenant's AI model, server and key (written, never read back), company prompt and auto-reply caps. */
export function AiSettingsScreen() {
  const { t } = useI18n();
  const current = useAiSettings();
  const save = useSaveAiSettings();
  const [model, setModel] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const [companyPrompt, setCompanyPrompt] = useState("");
  const [limits, setLimits] = useState<AutoReplyLimits>(DEFAULT_LIMITS);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data) {
      setModel(current.data.model);
      setBaseUrl(current.data.base_url ?? "");
      setCompanyPrompt(current.data.company_prompt);
      setLimits(current.data.autoreply_limits);
    }
  }, [current.data]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const key = (form.elements.namedItem("api_key") as HTMLInputElement).value;
    const clear = (form.elements.namedItem("clear_key") as HTMLInputElement | null)?.checked;
    setSaved(false);
    // Only what changed: a server URL set by the deployment (say, a local one) is not sent back to be judged.
    const before = current.data!;
    const nextUrl = baseUrl.trim() || null;
    save.mutate(
      {
        ...(model.trim() !== before.model ? { model: model.trim() } : {}),
        ...(nextUrl !== (before.base_url ?? null) ? { base_url: nextUrl } : {}),
        ...(key ? { api_key: key } : clear ? { api_key: "" } : {}),
        ...(companyPrompt !== before.company_prompt ? { company_prompt: companyPrompt } : {}),
        ...(JSON.stringify(limits) !== JSON.stringify(before.autoreply_limits) ? { autoreply_limits: limits } : {}),
      },
      {
        onSuccess: () => {
          form.reset();
          setSaved(true);
        },
      },
    );
  };

  return (
    <section aria-labelledby="ai-title">
      <h1 id="ai-title" tabIndex={-1}>
        {t("settings.ai.title")}
      </h1>
      {current.isError && <p className="error">{errorText(current.error, t)}</p>}
      {current.data && (
        <form className="settings-form" onSubmit={submit}>
          <p className="notice">
            {current.data.configured ? t("settings.ai.configured") : t("settings.ai.notConfigured")}
          </p>
          <label>
            {t("settings.ai.model")}
            <input name="model" required maxLength={100} value={model} onChange={(e) => setModel(e.target.value)} />
          </label>
          <label>
            {t("settings.ai.baseUrl")}
            <input
              name="base_url"
              type="url"
              maxLength={300}
              placeholder="https://api.openai.com/v1"
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
            />
            <span className="muted hint">{t("settings.ai.baseUrlHint")}</span>
          </label>
          <label>
            {t("settings.ai.key")}{" "}
            <span className="key-state" data-key-set={current.data.api_key_set}>
              ({current.data.api_key_set ? t("settings.secret.set") : t("settings.secret.notSet")})
            </span>
            <input name="api_key" type="password" autoComplete="off" maxLength={500} />
            <span className="muted hint">
              {t("settings.ai.keyHint")} {current.data.deployment_key ? t("settings.ai.deploymentKey") : ""}
            </span>
          </label>
          {current.data.api_key_set && (
            <label className="inline">
              <input name="clear_key" type="checkbox" /> {t("settings.ai.clearKey")}
            </label>
          )}
          <CompanyPromptField value={companyPrompt} onChange={setCompanyPrompt} />
          <AutoReplyCapsFields value={limits} onChange={setLimits} />
          <div className="form-actions">
            <button type="submit" disabled={save.isPending}>
              {save.isPending ? t("settings.saving") : t("settings.save")}
            </button>
            {saved && (
              <span role="status" className="muted">
                {t("settings.saved")}
              </span>
            )}
          </div>
          {save.isError && (
            <p role="alert" className="error">
              {errorText(save.error, t)}
            </p>
          )}
        </form>
      )}
      {current.data && <AiLookups />}
      {current.data && <AiTry />}
    </section>
  );
}
