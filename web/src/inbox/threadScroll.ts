import { useLayoutEffect, useRef } from "react";

/** The conversation's thread opens on its latest entries and goes back to them when one is added
 * (`latestEntry` changes: another conversation, a reply sent, a message come in). The thread scrolls
 * from its end (styles.css: a column-reverse box), so boxes around it changing size and earlier pages
 * loaded above leave the place read alone, with no script moving it under a person's pointer. */
export function useThreadAtLatest(latestEntry: string) {
  const thread = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const box = thread.current;
    // The end of a column-reverse box is its scrollTop 0; of a plain one (a phone's), its height.
    if (box) box.scrollTop = getComputedStyle(box).flexDirection === "column-reverse" ? 0 : box.scrollHeight;
  }, [latestEntry]);
  return thread;
}
