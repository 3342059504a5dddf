import { useId, type ReactNode } from "react";
import { apiErrorText, refusedField } from "../api/errorText";
import { useI18n } from "../i18n/i18n";

/** A form's refusal by the field it names (issue 16 review, web #4/#9): `invalid(name)` marks that field
 * (aria-invalid, described by its hint and the message) and `fieldError(name)` is the message, to render
 * right after the field's label; `describedBy(name)` is the description alone, for a group (a fieldset is
 * not a field to mark invalid). `general` is a refusal that names none of `fields`, for one alert under
 * the form. `fieldOf` reads the field from the error when a form's API names one otherwise (a 409 too). */
export function useFieldErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  {
    top = true,
    hintOf,
    fieldOf,
  }: {
    top?: boolean;
    hintOf?: (name: F) => string | undefined;
    fieldOf?: (error: unknown) => string | null;
  } = {},
) {
  const { t } = useI18n();
  const id = useId();
  const named = fieldOf ? fieldOf(error) : refusedField(error, { top });
  const field = (fields as readonly (string | null)[]).includes(named) ? (named as F) : null;
  const errorId = (name: F) => `${id}-${name.replace(/\W/g, "_")}-error`;
  const describedBy = (name: F) => {
    const ids = [hintOf?.(name) ?? "", field === name ? errorId(name) : ""].filter(Boolean).join(" ");
    return ids ? { "aria-describedby": ids } : {};
  };
  const invalid = (name: F) => ({
    ...(field === name ? { "aria-invalid": true as const } : {}),
    ...describedBy(name),
  });
  const fieldError = (name: F, said?: ReactNode) =>
    field === name ? (
      <p id={errorId(name)} role="alert" className="error field-error">
        {said ?? apiErrorText(error, t)}
      </p>
    ) : null;
  const general = error && !field ? apiErrorText(error, t) : null;
  return { field, invalid, describedBy, fieldError, general };
}
