import { useI18n } from "../i18n/i18n";
import { answeredText, argumentsText, lookupFailure, type LookupCallShown } from "./lookupCalls";

/** One lookup call: "find_order order_number 12345: status shipped, …", or "find_order 12345: failed,
 * the endpoint did not answer in time". */
export function LookupCallLine({ call }: { call: LookupCallShown }) {
  const { t } = useI18n();
  if (call.ok) {
    return (
      <span className="lookup-call lookup-call-ok" data-lookup-ok="true">
        <code>{call.name}</code> <span lang="en">{answeredText(call)}</span>
      </span>
    );
  }
  const failure = lookupFailure(call.error);
  const args = argumentsText(call.arguments);
  return (
    <span className="lookup-call lookup-call-failed" data-lookup-ok="false">
      <code>{call.name}</code>
      {args && ` ${args}`}: {t("lookups.failed", { reason: t(failure.key, failure.values) })}
      {failure.technical && (
        <span className="muted">
          {" "}
          {t("settings.webhooks.technicalDetail")} <span lang="en">{failure.technical}</span>
        </span>
      )}
    </span>
  );
}

/** The lookups a draft's reply called, with what each answered or why it failed. */
export function DraftLookups({ lookups }: { lookups: readonly LookupCallShown[] | undefined | null }) {
  const { t } = useI18n();
  if (!lookups || lookups.length === 0) return null;
  return (
    <div className="draft-lookups">
      <p className="draft-lookups-title">{t("drafts.lookups", { count: lookups.length })}</p>
      <ul>
        {lookups.map((call, index) => (
          <li key={index}>
            <LookupCallLine call={call} />
          </li>
        ))}
      </ul>
    </div>
  );
}
