import { useId, type ReactNode } from "react";
import { apiErrorText, refusedField } from "../api/errorText";
import { useI18n } from "../i18n/i18n";

/** A form's refusal by the field it names (issue 16 review, web #4/#9): `invalid(name)` marks that field
 * (aria-invalid, described by the message) and `fieldError(name)` is the message, to render right after the
 * field's label. `general` is a refusal that names none of `fields`, for one alert under the form. */
export function useFieldErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  { top = true, hintOf }: { top?: boolean; hintOf?: (name: F) => string | undefined } = {},
) {
  const { t } = useI18n();
  const id = useId();
  const named = refusedField(error, { top });
  const field = (fields as readonly (string | null)[]).includes(named) ? (named as F) : null;
  const errorId = (name: F) => `${id}-${name.replace(/\W/g, "_")}-error`;
  const invalid = (name: F) => {
    const ids = [hintOf?.(name) ?? "", field === name ? errorId(name) : ""].filter(Boolean).join(" ");
    return {
      ...(field === name ? { "aria-invalid": true as const } : {}),
      ...(ids ? { "aria-describedby": ids } : {}),
    };
  };
  const fieldError = (name: F, said?: ReactNode) =>
    field === name ? (
      <p id={errorId(name)} role="alert" className="error field-error">
        {said ?? apiErrorText(error, t)}
      </p>
    ) : null;
  const general = error && !field ? apiErrorText(error, t) : null;
  return { field, invalid, fieldError, general };
}
