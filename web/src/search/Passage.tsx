/** A piece of a search result's passage, as the API gives it: plain text, `match` on the words found. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/** The passage that matched, its found words in <mark>: built from the parts as text nodes, so
 * whatever a customer wrote (tags included) is read as words, never as markup. */
export function Passage({ parts }: { parts: readonly SnippetPart[] }) {
  return (
    <span className="passage">
      {parts.map((part, index) => (part.match ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>))}
    </span>
  );
}
