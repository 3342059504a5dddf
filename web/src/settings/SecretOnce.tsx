import { useEffect, useRef, type ReactNode } from "react";
import { CopyField } from "./CopyField";

/** A signing secret shown this once (a webhook's, a lookup's), with its copy field and the button that
 * hides it for good. It takes the focus when it appears: it shows above a list while the form that made it
 * may be far below, off screen (issue 16 review, web #9b). */
export function SecretOnce({
  message,
  label,
  secret,
  doneLabel,
  onDone,
  className,
  children,
}: {
  message: string;
  label: string;
  secret: string;
  doneLabel: string;
  onDone: () => void;
  className?: string;
  children?: ReactNode;
}) {
  const notice = useRef<HTMLDivElement>(null);
  useEffect(() => notice.current?.focus(), [secret]);
  return (
    <div className={["notice", "secret-once", className].filter(Boolean).join(" ")} role="status" tabIndex={-1} ref={notice}>
      <p>{message}</p>
      <CopyField label={label} value={secret} />
      {children}
      <button type="button" onClick={onDone}>
        {doneLabel}
      </button>
    </div>
  );
}
