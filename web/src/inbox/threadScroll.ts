import { useEffect, useLayoutEffect, useRef } from "react";

/** The conversation's thread opens on its latest entries and follows when one is added (`latestEntry`
 * changes: a reply sent, a message come in); while read at its end it stays there as the boxes around
 * it change size (the customer panel, a draft, the composer loading). Earlier pages loaded above, or
 * a person reading higher up, leave the place read alone. */
export function useThreadAtLatest(latestEntry: string) {
  const thread = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    const box = thread.current;
    if (!box) return;
    box.scrollTop = box.scrollHeight;
    atEnd.current = true;
  }, [latestEntry]);
  useEffect(() => {
    const box = thread.current;
    if (!box || typeof ResizeObserver === "undefined") return;
    const onScroll = () => {
      atEnd.current = box.scrollHeight - box.scrollTop - box.clientHeight < 8;
    };
    const resized = new ResizeObserver(() => {
      if (atEnd.current) box.scrollTop = box.scrollHeight;
    });
    resized.observe(box);
    for (const child of Array.from(box.children)) resized.observe(child);
    box.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      resized.disconnect();
      box.removeEventListener("scroll", onScroll);
    };
  }, [latestEntry]);
  return thread;
}
