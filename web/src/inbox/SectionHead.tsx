/** The head of a conversation's section that has a form to add to it (tasks, follow-ups): its
 * heading, and the button that shows or hides the form. */
export function SectionHead({
  className,
  titleId,
  title,
  buttonName,
  formId,
  open,
  showLabel,
  hideLabel,
  onToggle,
}: {
  className: string;
  titleId: string;
  title: string;
  buttonName: string;
  formId: string;
  open: boolean;
  showLabel: string;
  hideLabel: string;
  onToggle: () => void;
}) {
  return (
    <div className={className}>
      <h3 id={titleId}>{title}</h3>
      <button type="button" name={buttonName} aria-expanded={open} aria-controls={formId} onClick={onToggle}>
        {open ? hideLabel : showLabel}
      </button>
    </div>
  );
}
